import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { HOURS_PER_MONTH } from '../../src/domain/money.js';
import { admin, approver, db, dev, keyOf, repoOf, sqlOf, testApp, vm, type TestApp } from '../helpers/app.js';
import { plannedSession, started } from '../helpers/approval.js';
import { refusal } from '../unit/files/refusal.js';

/**
 * Environments that expire (issue 20), on real sandbox Terraform with a fake clock: the lease counts from the
 * last apply, reminds once per threshold, and at its end one destroy session plans, is judged and approved by the
 * project's rule for expiry, destroys everything and records what the environment cost.
 */
let t: TestApp;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeEach(async () => {
  t = await testApp();
  const o = t.app.orchestrator;
  await o.createProject(admin, { id: 'shop', provider: 'sandbox', budgetUsd: 1000, ttl: '7d' });
  await o.grantRole(admin, 'shop', dev.userId, 'deployer');
  await o.grantRole(admin, 'shop', approver.userId, 'approver');
});
afterEach(() => t.cleanup());

const lease = async () => (await t.app.orchestrator.leaseOf(dev, 'shop')).lease!;
const audit = (eventType: string) => queryAudit(sqlOf(t.app), { projectId: keyOf('shop'), eventType });
const now = () => t.clock.now().getTime();

async function deploy(resources: object[]) {
  const { id } = await plannedSession(t.app, resources);
  const result = await started(await t.app.orchestrator.approveAndApply(approver, id)).run.result;
  expect(result.status, result.error ?? '').toBe('succeeded');
}

/** Moves the clock to `ms` before the lease's end. */
const toBeforeEnd = async (ms: number) => t.clock.advance(Date.parse((await lease()).endsAt!) - ms - now());

describe('a lease on a project', () => {
  it('GIVEN ttl 7d and auto expiry THEN the end counts from the last apply, each reminder is claimed once, and at the end one destroy session plans, is approved by the system, destroys everything and records the cost', async () => {
    const o = t.app.orchestrator;
    await o.setReviewSettings(admin, 'shop', { expiryApproval: 'auto' });
    expect((await lease()).endsAt).toBeNull();
    await deploy([vm('web-1')]);
    expect((await lease()).endsAt).toBe(new Date(now() + 7 * DAY).toISOString());
    const firstCost = (await t.app.store.deployments.list(keyOf('shop')))[0]!.monthlyCostMicros!;
    t.clock.advance(2 * DAY);
    await deploy([vm('web-2')]);
    expect((await lease()).endsAt).toBe(new Date(now() + 7 * DAY).toISOString());
    const secondCost = (await t.app.store.deployments.list(keyOf('shop')))[0]!.monthlyCostMicros!;
    expect(secondCost).toBeGreaterThan(firstCost);

    await toBeforeEnd(23 * HOUR);
    expect((await o.claimLeaseReminders()).map((r) => r.lease.remindersSent)).toEqual([1]);
    expect(await o.claimLeaseReminders()).toEqual([]);
    await toBeforeEnd(30 * 60_000);
    expect((await o.claimLeaseReminders()).map((r) => r.lease.remindersSent)).toEqual([2]);
    expect(await o.claimLeaseReminders()).toEqual([]);
    expect(await o.expireDueLeases()).toEqual([]);

    await toBeforeEnd(-60_000);
    const [expiry, ...more] = await o.expireDueLeases();
    expect(more).toEqual([]);
    expect(await o.expireDueLeases()).toEqual([]);
    const planned = await expiry!.outcome;
    expect(planned.decision).toEqual({ kind: 'auto' });
    expect([planned.plan.toAdd, planned.plan.toChange, planned.plan.toDestroy]).toEqual([0, 0, 2]);
    expect(planned.session).toMatchObject({ purpose: 'expiry', state: 'PLANNED', userName: 'Cloud Engine (lease expiry)' });
    const applying = await o.approveExpiry(expiry!.session.id);
    if (applying.kind !== 'applying') throw new Error(`not applied: ${applying.reason}`);
    expect((await applying.run.result).status).toBe('succeeded');

    expect(await t.app.store.sessions.listDeployed(keyOf('shop'))).toEqual([]);
    const state = JSON.parse((await t.app.store.states.latest(keyOf('shop')))!.stateJson) as { resources: unknown[] };
    expect(state.resources).toEqual([]);
    const hoursFirst = 2 * 24;
    const hoursSecond = 7 * 24 + 1 / 60;
    const expected = Math.round(((firstCost * hoursFirst) + (secondCost * hoursSecond)) / HOURS_PER_MONTH);
    const expired = await lease();
    expect(expired).toMatchObject({ status: 'expired', destroySessionId: expiry!.session.id });
    expect(Math.abs(expired.costMicros! - expected)).toBeLessThanOrEqual(1);
    expect((await audit('lease_expired'))[0]!.details).toMatchObject({ cost_micros: expired.costMicros, hours: 216, partly_unpriced: false });
    expect((await audit('lease_reminded')).map((r) => r.details.reminder).sort()).toEqual([1, 2]);
    expect((await o.claimLeaseOutcomes()).map((x) => x.lease.status)).toEqual(['expired']);
    expect(await o.claimLeaseOutcomes()).toEqual([]);
  });

  it('GIVEN expiry by an approver (the default) and a database THEN the high-risk destroy waits in its lobby for one approver — not a deployer — and then expires the lease', async () => {
    const o = t.app.orchestrator;
    await deploy([db('orders')]);
    await toBeforeEnd(-1);
    const [expiry] = await o.expireDueLeases();
    const planned = await expiry!.outcome;
    expect(planned.decision).toEqual({ kind: 'awaiting_approval' });
    expect(planned.plan.policy!.tier).toBe('high');
    expect(planned.approvalsRequired).toBe(1);
    // Its claimer stopping before it named the session: the next sweep adopts the session, and starts no second one.
    await sqlOf(t.app).run('UPDATE environment_leases SET destroy_session_id = NULL');
    expect(await o.expireDueLeases()).toEqual([]);
    expect((await lease()).destroySessionId).toBe(expiry!.session.id);
    expect((await refusal(() => o.approve(dev, expiry!.session.id))).refusal).toEqual({ kind: 'not_allowed', denial: 'not_approver' });
    const result = await started(await o.approveAndApply(approver, expiry!.session.id)).run.result;
    expect(result.status).toBe('succeeded');
    expect((await lease()).status).toBe('expired');
  });

  it('GIVEN a hard-mandatory rule against destroying THEN the expiry destroy is stopped: its session cancelled, nothing destroyed, audited, and the outcome names the rule', async () => {
    const o = t.app.orchestrator;
    await o.setReviewSettings(admin, 'shop', { expiryApproval: 'auto' });
    await deploy([vm('web-1')]);
    const repo = repoOf(t.dir, 'shop');
    mkdirSync(join(repo, 'policies'), { recursive: true });
    writeFileSync(join(repo, 'policies', 'keep.yaml'), 'rules:\n  - id: no-destroy\n    level: hard-mandatory\n    description: Nothing is destroyed.\n    expression: resource.action == "delete"\n');
    execFileSync('git', ['-C', repo, 'add', '--', 'policies/keep.yaml']);
    execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '-m', 'policy']);
    await toBeforeEnd(-1);
    const [expiry] = await o.expireDueLeases();
    expect((await expiry!.outcome).decision).toEqual({ kind: 'blocked', rules: [{ ruleId: 'no-destroy', resource: 'web-1' }] });
    expect((await t.app.store.sessions.get(expiry!.session.id))!.state).toBe('CANCELLED');
    expect((await t.app.store.sessions.listDeployed(keyOf('shop'))).map((d) => d.spec.name)).toEqual(['web-1']);
    expect(await lease()).toMatchObject({ status: 'stopped', stopReason: 'policy_blocked' });
    expect((await audit('lease_expiry_stopped'))[0]!.details).toMatchObject({ reason: 'policy_blocked', rules: [{ ruleId: 'no-destroy', resource: 'web-1' }] });
    expect(await o.expireDueLeases()).toEqual([]);
    const [said] = await o.claimLeaseOutcomes();
    expect(said!.rules).toEqual([{ ruleId: 'no-destroy', resource: 'web-1' }]);
  });
});

describe('extending a lease', () => {
  it('GIVEN the project over its budget THEN a deployer may not extend (refused and audited) and an approver may; durations are checked naming the field', async () => {
    const o = t.app.orchestrator;
    await deploy([vm('web-1')]);
    const end = (await lease()).endsAt!;
    expect(Date.parse((await o.extendLease(dev, 'shop', '1d')).endsAt!)).toBe(Date.parse(end) + DAY);
    await o.setBudgetLimit(admin, 'shop', 1);
    const denied = await refusal(() => o.extendLease(dev, 'shop', '3d'));
    expect(denied.refusal).toMatchObject({ kind: 'extend_over_budget', project: 'shop', limit: 1_000_000 });
    expect((await audit('permission_denied')).at(0)!.details).toMatchObject({ over_budget: true, denial: 'not_approver' });
    const extended = await o.extendLease(approver, 'shop', '3d');
    expect(Date.parse(extended.endsAt!)).toBe(Date.parse(end) + 4 * DAY);
    expect((await audit('lease_extended'))[0]!.details).toMatchObject({ by_seconds: 3 * 24 * 3600, over_budget: true });
    for (const by of ['100d', '0h', '3 weeks']) expect((await refusal(() => o.extendLease(approver, 'shop', by))).problems[0]?.field).toBe('by');
    expect((await refusal(() => o.createProject(admin, { id: 'other', provider: 'sandbox', budgetUsd: 1, ttl: '30m' }))).problems[0]).toMatchObject({ field: 'ttl', message: expect.stringContaining('from 1h to 90d') });
  });
});
