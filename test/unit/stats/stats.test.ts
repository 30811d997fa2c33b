import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sql } from '../../../src/db/sql.js';
import { getDeploymentStatistics, statisticsWindow } from '../../../src/db/stats.js';
import { deployment, project, session, tempDb } from './seed.js';

const NOW = new Date('2025-06-30T15:00:00.000Z');
const G1 = '100000000000000001';
const G2 = '100000000000000002';
let q: Sql;
let close: () => void;

beforeEach(async () => {
  ({ q, close } = tempDb());
  await project(q, 'alpha', G1);
  await project(q, 'beta', G1);
  await project(q, 'gamma', G2);
});
afterEach(() => close());

/** A small history inside a 7-day window (2025-06-24 … 2025-06-30) plus some just outside it. */
async function seedHistory(): Promise<void> {
  const d = (projectId: string, author: string, status: 'succeeded' | 'failed' | 'interrupted' | 'running', startedAt: string, types?: string[], durationMs?: number | null) =>
    deployment(q, { projectId, author, approver: 'zed', status, startedAt, types, durationMs });
  await d('alpha', 'ann', 'succeeded', '2025-06-24T00:00:00.000Z', ['compute_vm', 'database'], 1000);
  await d('alpha', 'ann', 'succeeded', '2025-06-26T10:00:00.000Z', ['compute_vm'], 3000);
  await d('beta', 'bob', 'failed', '2025-06-26T11:00:00.000Z', ['database'], 500);
  await d('beta', 'ann', 'interrupted', '2025-06-28T09:00:00.000Z', ['storage_bucket'], null);
  await d('gamma', 'cid', 'succeeded', '2025-06-30T14:59:59.000Z', ['vpc_network', 'firewall_rule'], 2000);
  await d('gamma', 'cid', 'running', '2025-06-30T14:00:00.000Z', ['vpc_network'], null);
  await d('alpha', 'old', 'succeeded', '2025-06-23T23:59:59.999Z', ['database']);
  await d('alpha', 'future', 'succeeded', '2025-06-30T15:00:00.001Z', ['database']);
}

describe('deployment statistics', () => {
  it('GIVEN no deployments THEN counts are zero, rates and averages null, and every day is still listed', async () => {
    const s = (await getDeploymentStatistics(q, undefined, 3, NOW));
    expect(s).toMatchObject({ days: 3, total: 0, successful: 0, success_rate: null, avg_apply_duration_ms: null, top_users: [], top_resource_types: [] });
    expect(s.per_day).toEqual(['2025-06-28', '2025-06-29', '2025-06-30'].map((date) => ({ date, succeeded: 0, failed: 0, interrupted: 0 })));
  });

  it('GIVEN a history THEN counts outcomes, rates successes among finished deployments and averages successful applies', async () => {
    await seedHistory();
    const s = (await getDeploymentStatistics(q, undefined, 7, NOW));
    expect(s).toMatchObject({ days: 7, total: 6, successful: 3, failed: 1, interrupted: 1, running: 1, success_rate: 60, avg_apply_duration_ms: 2000 });
  });

  it('GIVEN the window edges THEN the first instant of the first day and `now` are in, a millisecond either side is out', async () => {
    await seedHistory();
    const users = (await getDeploymentStatistics(q, undefined, 7, NOW)).top_users.map((u) => u.user_id);
    expect(users).not.toContain('old');
    expect(users).not.toContain('future');
    expect((await getDeploymentStatistics(q, undefined, 8, NOW)).top_users.map((u) => u.user_id)).toContain('old');
  });

  it('GIVEN authors and resource types THEN ranks them by count, ties by name', async () => {
    await seedHistory();
    const s = (await getDeploymentStatistics(q, undefined, 7, NOW));
    expect(s.top_users).toEqual([{ user_id: 'ann', user_name: 'ann-name', count: 3 }, { user_id: 'cid', user_name: 'cid-name', count: 2 }, { user_id: 'bob', user_name: 'bob-name', count: 1 }]);
    expect(s.top_resource_types).toEqual([
      { type: 'compute_vm', count: 2 }, { type: 'database', count: 2 }, { type: 'vpc_network', count: 2 }, { type: 'firewall_rule', count: 1 }, { type: 'storage_bucket', count: 1 },
    ]);
  });

  it('GIVEN days with and without deployments THEN per_day has every day, zero-filled, interrupted apart from failed, running in neither', async () => {
    await seedHistory();
    expect((await getDeploymentStatistics(q, undefined, 7, NOW)).per_day).toEqual([
      { date: '2025-06-24', succeeded: 1, failed: 0, interrupted: 0 },
      { date: '2025-06-25', succeeded: 0, failed: 0, interrupted: 0 },
      { date: '2025-06-26', succeeded: 1, failed: 1, interrupted: 0 },
      { date: '2025-06-27', succeeded: 0, failed: 0, interrupted: 0 },
      { date: '2025-06-28', succeeded: 0, failed: 0, interrupted: 1 },
      { date: '2025-06-29', succeeded: 0, failed: 0, interrupted: 0 },
      { date: '2025-06-30', succeeded: 1, failed: 0, interrupted: 0 },
    ]);
  });

  it('GIVEN a guild THEN only its projects count, deployments and active sessions alike', async () => {
    await seedHistory();
    await session(q, 'alpha', 'DRAFT');
    await session(q, 'beta', 'PLANNED');
    await session(q, 'gamma', 'APPLYING');
    await session(q, 'gamma', 'CANCELLED');
    expect((await getDeploymentStatistics(q, G1, 7, NOW))).toMatchObject({ total: 4, successful: 2, success_rate: 50, active_sessions: 2 });
    expect((await getDeploymentStatistics(q, G2, 7, NOW))).toMatchObject({ total: 2, successful: 1, running: 1, success_rate: 100, active_sessions: 1 });
    expect((await getDeploymentStatistics(q, '999', 7, NOW))).toMatchObject({ total: 0, active_sessions: 0 });
    expect((await getDeploymentStatistics(q, undefined, 7, NOW)).active_sessions).toBe(3);
  });

  it('GIVEN one person approving everyone\'s sessions THEN top deployers are the sessions\' authors, never the approver', async () => {
    await deployment(q, { projectId: 'alpha', author: 'ann', approver: 'boss', status: 'succeeded', startedAt: '2025-06-30T01:00:00.000Z' });
    await deployment(q, { projectId: 'alpha', author: 'ann', approver: 'boss', status: 'failed', startedAt: '2025-06-30T02:00:00.000Z' });
    await deployment(q, { projectId: 'beta', author: 'bob', approver: 'boss', status: 'succeeded', startedAt: '2025-06-30T03:00:00.000Z' });
    // Self-approval: the author approved their own session; it still counts once, for them.
    await deployment(q, { projectId: 'beta', author: 'boss', approver: 'boss', status: 'succeeded', startedAt: '2025-06-30T04:00:00.000Z' });
    expect((await getDeploymentStatistics(q, undefined, 1, NOW)).top_users).toEqual([
      { user_id: 'ann', user_name: 'ann-name', count: 2 }, { user_id: 'bob', user_name: 'bob-name', count: 1 }, { user_id: 'boss', user_name: 'boss-name', count: 1 },
    ]);
  });

  it('GIVEN a rate with a repeating decimal THEN rounds to one decimal', async () => {
    for (const status of ['succeeded', 'succeeded', 'failed'] as const) await deployment(q, { projectId: 'alpha', author: 'u', status, startedAt: '2025-06-30T01:00:00.000Z' });
    expect((await getDeploymentStatistics(q, undefined, 1, NOW)).success_rate).toBe(66.7);
  });

  it('GIVEN a window outside 1..366 days THEN a validation error', async () => {
    for (const days of [0, -1, 1.5, 367]) expect(() => statisticsWindow(days, NOW)).toThrow(expect.objectContaining({ code: 'validation' }));
  });
});
