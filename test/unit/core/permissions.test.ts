import { describe, expect, it } from 'vitest';
import { decide, type Actor } from '../../../src/policy/permissions.js';

const actor = (over: Partial<Actor> = {}): Actor => ({ userId: 'u1', userName: 'u', guildId: 'g1', isGuildAdmin: false, ...over });

describe('who may do what', () => {
  it('GIVEN another guild THEN even a guild admin is refused', () => {
    expect(decide({ actor: actor({ guildId: 'g2', isGuildAdmin: true }), action: 'project.view', projectGuildId: 'g1', role: undefined }).allowed).toBe(false);
  });
  it('GIVEN roles THEN viewer views, deployer starts, approver approves, admin administers', () => {
    const can = (role: 'viewer' | 'deployer' | 'approver' | 'admin', action: Parameters<typeof decide>[0]['action']) =>
      decide({ actor: actor(), action, projectGuildId: 'g1', role, sessionOwnerId: 'someone-else' }).allowed;
    expect([can('viewer', 'project.view'), can('viewer', 'session.start')]).toEqual([true, false]);
    expect([can('deployer', 'session.start'), can('deployer', 'session.approve')]).toEqual([true, false]);
    expect([can('approver', 'session.approve'), can('approver', 'project.admin')]).toEqual([true, false]);
    expect(can('admin', 'project.admin')).toBe(true);
  });
  it('GIVEN the session owner THEN approving their own plan depends on the project setting', () => {
    const base = { actor: actor(), action: 'session.approve' as const, projectGuildId: 'g1', role: 'approver' as const, sessionOwnerId: 'u1' };
    expect(decide({ ...base, allowSelfApproval: false })).toEqual({ allowed: false, denial: 'self_approval_off' });
    expect(decide({ ...base, allowSelfApproval: true }).allowed).toBe(true);
  });
  it('GIVEN a deployer who does not own the session THEN they cannot edit it', () => {
    expect(decide({ actor: actor(), action: 'session.edit', projectGuildId: 'g1', role: 'deployer', sessionOwnerId: 'u2' }).allowed).toBe(false);
  });
});
