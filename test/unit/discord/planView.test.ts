/** The lobby's plan field: per resource the action and, for updates, before → after, within Discord's 1,024 characters. */
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../src/core/views.js';
import type { PlanRecord, ResourceChange } from '../../../src/domain/plans.js';
import type { SessionState } from '../../../src/domain/sessions.js';
import { planField } from '../../../src/discord/views/plan.js';
import { blocksWithin } from '../../../src/discord/views/planChanges.js';
import { LIMITS } from '../../../src/discord/views/limits.js';

const value = (json: string) => ({ kind: 'value' as const, json });

const update: ResourceChange = {
  address: 'terraform_data.web-1', type: 'terraform_data', name: 'web-1', actions: ['update'],
  attributes: [
    { path: 'input.machine_type', before: value('"medium"'), after: value('"large"') },
    { path: 'input.region', before: value('"local"'), after: value('"remote"') },
    { path: 'input.token', before: { kind: 'sensitive' }, after: { kind: 'sensitive' } },
    { path: 'output', after: { kind: 'unknown' } },
  ],
};
const replace: ResourceChange = {
  address: 'terraform_data.db-1', type: 'terraform_data', name: 'db-1', actions: ['delete', 'create'],
  attributes: [{ path: 'triggers_replace.engine', before: value('"postgres"'), after: value('"mysql"'), forcesReplacement: true }],
};
const create = (name: string): ResourceChange => ({ address: `terraform_data.${name}`, type: 'terraform_data', name, actions: ['create'] });
const destroy = (name: string): ResourceChange => ({ address: `terraform_data.${name}`, type: 'terraform_data', name, actions: ['delete'] });

function view(changes: ResourceChange[], state: SessionState = 'PLANNED', status: PlanRecord['status'] = 'succeeded'): SessionView {
  const counts = { toAdd: changes.filter((c) => c.actions.includes('create')).length, toChange: changes.filter((c) => c.actions.includes('update')).length, toDestroy: changes.filter((c) => c.actions.includes('delete')).length };
  const plan = { status, changes, ...counts, budgetOverrideBy: null, error: null } as unknown as PlanRecord;
  return { session: { state }, plan, planStale: undefined, resources: [] } as unknown as SessionView;
}

describe('the plan in the lobby', () => {
  it('GIVEN an update and a replacement THEN each says its action, and what changes before → after, sensitive values hidden, destructive changes first', () => {
    const text = planField(view([create('new-1'), update, destroy('old-1'), replace])).value;
    expect(text).toBe([
      '📋 Plan: 2 to add, 1 to change, 2 to destroy',
      '```',
      '-/+ replace terraform_data.db-1',
      '    triggers_replace.engine: "postgres" → "mysql" (forces replacement)',
      '- destroy terraform_data.old-1',
      '~ update terraform_data.web-1',
      '    input.machine_type: "medium" → "large"',
      '    input.region: "local" → "remote"',
      '    input.token: (sensitive value)',
      '    output: (known after apply)',
      '+ create terraform_data.new-1',
      '```',
    ].join('\n'));
  });

  it('GIVEN an update of many attributes with long values THEN five are shown, cut, and the rest counted', () => {
    const many: ResourceChange = {
      ...update,
      attributes: Array.from({ length: 7 }, (_, i) => ({ path: `input.k${i}`, before: value(`"${'a'.repeat(150)}"`), after: value('"b"') })),
      moreAttributes: 13,
    };
    const lines = planField(view([many])).value.split('\n');
    expect(lines.filter((l) => l.startsWith('    input.k'))).toHaveLength(5);
    expect(lines.find((l) => l.startsWith('    input.k0'))!.length).toBeLessThan(100);
    expect(lines).toContain('    … 15 more attributes');
  });

  it('GIVEN 300 changes THEN the field stays within 1,024 characters and counts exactly the resources it leaves out', () => {
    const changes = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? { ...update, address: `terraform_data.web-${i}` } : create(`bucket-with-a-long-name-${i}`)));
    const text = planField(view(changes)).value;
    expect(text.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    const shown = text.split('\n').filter((l) => /^(~|\+|-|-\/\+) (update|create|destroy|replace) /.test(l)).length;
    const left = Number(/\+ (\d+) more resources: the whole plan is in the plan message\n```$/.exec(text)?.[1]);
    expect(shown + left).toBe(300);
  });

  it('GIVEN blocks that do not fit whole THEN a block keeps its first line before the list is cut, and the tail always fits', () => {
    const blocks = [['a'.repeat(10), 'x'.repeat(50)], ['b'.repeat(10)], ['c'.repeat(10)]];
    const text = blocksWithin(blocks, 40, (n) => `+${n} more`);
    expect(text).toBe(`${'a'.repeat(10)}\n${'b'.repeat(10)}\n${'c'.repeat(10)}`);
    const tight = blocksWithin(blocks, 25, (n) => `+${n} more`);
    expect(tight).toBe(`${'a'.repeat(10)}\n+2 more`);
    expect(tight.length).toBeLessThanOrEqual(25);
  });

  it('GIVEN sessions that are over THEN the plan field points at no button', () => {
    for (const state of ['CANCELLED', 'EXPIRED', 'INTERRUPTED', 'FAILED'] as const) {
      expect(planField(view([create('a')], state, 'superseded')).value).toBe('📋 Plan: 1 to add, 0 to change, 0 to destroy — not applied.');
      expect(planField({ ...view([], state), plan: undefined }).value).toBe('Never planned.');
    }
    expect(planField(view([create('a')], 'APPLIED', 'applied')).value).toContain('+ create terraform_data.a');
  });
});
