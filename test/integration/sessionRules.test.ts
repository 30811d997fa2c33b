import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/db/audit.js';
import { getLock } from '../../src/db/locks.js';
import { getSession } from '../../src/db/sessions.js';
import { admin, approver, dev, otherGuildAdmin, sandboxProject, stranger, testApp, vm, type TestApp, keyOf, sqlOf, oneApproverPerTier } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  await oneApproverPerTier(t.app);
});
afterEach(() => t.cleanup());

const codeOf = async (fn: () => unknown): Promise<string> => {
  try {
    await fn();
  } catch (e) {
    if (e instanceof CoreError) return e.code;
    throw e;
  }
  return 'no error';
};

async function planned(resources = [vm('web-1')]) {
  const o = t.app.orchestrator;
  const s = await o.startSession(dev, 'shop');
  for (const r of resources) await o.addResource(dev, s.id, r);
  await o.plan(dev, s.id);
  return s;
}

describe('project locks', () => {
  it('GIVEN one session holds the lock THEN another session’s plan is told who holds it and since when, and gets it once the first is cancelled', async () => {
    const o = t.app.orchestrator;
    const first = await planned();
    const second = await o.startSession(admin, 'shop');
    await o.addResource(admin, second.id, vm('api-1'));
    await expect(o.plan(admin, second.id)).rejects.toMatchObject({
      code: 'locked', message: expect.stringContaining(`locked by session ${first.id.slice(0, 8)} since 2026-11-28T10:00:00`),
      next: { kind: 'wait_or_unlock', projectId: keyOf('shop'), holderUserId: dev.userId },
    });
    await o.cancel(dev, first.id);
    expect((await getLock(sqlOf(t.app), keyOf('shop')))).toBeUndefined();
    expect((await o.plan(admin, second.id)).plan.status).toBe('succeeded');
    expect((await getLock(sqlOf(t.app), keyOf('shop')))?.sessionId).toBe(second.id);
  });

  it('GIVEN an admin force-unlocks THEN it is audited with the reason', async () => {
    const first = await planned();
    expect(await t.app.orchestrator.forceUnlock(admin, 'shop', 'owner on holiday')).toEqual({ released: true, sessionId: first.id });
    const [e] = (await queryAudit(sqlOf(t.app), { eventType: 'lock_force_released' }));
    expect(e?.details).toMatchObject({ reason: 'owner on holiday', holder: dev.userId });
  });

  it('GIVEN a session idle past its TTL THEN it expires, its lock is released and the expiry is audited', async () => {
    const s = await planned();
    t.clock.advance(61 * 60_000);
    expect((await t.app.orchestrator.expireIdle()).map((x) => x.id)).toEqual([s.id]);
    expect((await getSession(sqlOf(t.app), s.id))?.state).toBe('EXPIRED');
    expect((await getLock(sqlOf(t.app), keyOf('shop')))).toBeUndefined();
    expect((await queryAudit(sqlOf(t.app), { eventType: 'session_expired' }))).toHaveLength(1);
    expect(await codeOf(() => t.app.orchestrator.addResource(dev, s.id, vm('late')))).toBe('invalid_state');
    await expect(t.app.orchestrator.addResource(dev, s.id, vm('late'))).rejects.toMatchObject({ refusal: { kind: 'session_state', state: 'EXPIRED', action: 'edit' } });
  });
});

describe('approval is bound to the reviewed plan', () => {
  it('GIVEN an edit after the plan THEN the session is back in DRAFT and cannot be approved', async () => {
    const s = await planned();
    await t.app.orchestrator.addResource(dev, s.id, vm('web-2'));
    expect((await getSession(sqlOf(t.app), s.id))?.state).toBe('DRAFT');
    expect(await codeOf(() => t.app.orchestrator.approve(approver, s.id))).toBe('invalid_state');
    await expect(t.app.orchestrator.approve(approver, s.id)).rejects.toMatchObject({
      refusal: { kind: 'session_state', state: 'DRAFT', action: 'approve' }, next: { kind: 'replan', projectId: keyOf('shop'), sessionId: s.id },
    });
  });

  it('GIVEN another session applied after this plan THEN approving the old plan is refused as stale', async () => {
    const o = t.app.orchestrator;
    const old = await planned([vm('web-1')]);
    await o.forceUnlock(admin, 'shop', 'emergency change');
    const other = await o.startSession(admin, 'shop');
    await o.addResource(admin, other.id, vm('hotfix'));
    await o.plan(admin, other.id);
    await o.approve(approver, other.id);
    await (await o.apply(other.id, 'ann')).result;
    expect(await codeOf(() => o.approve(approver, old.id))).toBe('stale_plan');
    expect((await getSession(sqlOf(t.app), old.id))?.state).toBe('PLANNED');
  });

  it('GIVEN 50 concurrent approvals THEN exactly one apply starts and the others are told it was already approved', async () => {
    const s = await planned();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => Promise.resolve().then(() => t.app.orchestrator.approve(approver, s.id))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const reasons = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => (r.reason as CoreError).code);
    expect(new Set(reasons)).toEqual(new Set(['conflict']));
    expect((await queryAudit(sqlOf(t.app), { eventType: 'deployment_approved' }))).toHaveLength(1);
    await (await t.app.orchestrator.apply(s.id, 'ann')).result;
  });

  it('GIVEN the owner approves their own low-risk plan THEN it is refused unless the project allows self-approval', async () => {
    const o = t.app.orchestrator;
    await o.grantRole(admin, 'shop', dev.userId, 'approver');
    const s = await planned([vm('web-1', { labels: { owner: 'team', environment: 'dev' } })]);
    expect(await codeOf(() => o.approve(dev, s.id))).toBe('forbidden');
    await o.setReviewSettings(admin, 'shop', { allowSelfApproval: true });
    expect((await o.approve(dev, s.id)).session.state).toBe('APPLYING');
    await (await o.apply(s.id, 'dan')).result;
  });

  it('GIVEN a plan over the budget THEN approval needs an admin’s explicit override, which is audited', async () => {
    const o = t.app.orchestrator;
    await o.setBudgetLimit(admin, 'shop', 10);
    const s = await planned([vm('big', { machine_type: 'large' })]);
    // The warning is data: the adapters word it; money stays in micro-dollars.
    const { plan } = await o.sessionView(dev, s.id);
    const over = plan!.warnings.find((w) => w.kind === 'over_budget');
    expect(over).toMatchObject({ kind: 'over_budget', limitMicros: 10_000_000 });
    if (over?.kind === 'over_budget') expect(over.projectedMicros - over.limitMicros).toBe(over.overageMicros);
    expect(await codeOf(() => o.approve(approver, s.id))).toBe('budget');
    expect(await codeOf(() => o.approve(approver, s.id, { budgetOverride: true }))).toBe('forbidden');
    expect((await o.approve(admin, s.id, { budgetOverride: true })).session.state).toBe('APPLYING');
    expect((await queryAudit(sqlOf(t.app), { eventType: 'budget_override' }))[0]?.userId).toBe(admin.userId);
    await (await o.apply(s.id, 'alice')).result;
  });
});

describe('permissions', () => {
  it('GIVEN a non-member THEN they cannot start a session, and the refusal is audited', async () => {
    expect(await codeOf(() => t.app.orchestrator.startSession(stranger, 'shop'))).toBe('forbidden');
    expect((await queryAudit(sqlOf(t.app), { eventType: 'permission_denied' }))[0]?.userId).toBe(stranger.userId);
  });

  it('GIVEN a user of another guild, even its admin THEN the project does not exist for them', async () => {
    expect(await codeOf(() => t.app.orchestrator.startSession(otherGuildAdmin, 'shop'))).toBe('not_found');
    expect(await t.app.orchestrator.listProjects(otherGuildAdmin)).toEqual([]);
  });

  it('GIVEN a deployer THEN they cannot edit someone else’s session', async () => {
    const o = t.app.orchestrator;
    await o.grantRole(admin, 'shop', stranger.userId, 'deployer');
    const s = await o.startSession(dev, 'shop');
    expect(await codeOf(() => o.addResource(stranger, s.id, vm('x1')))).toBe('forbidden');
  });
});

describe('budget alerts', () => {
  it('GIVEN a threshold THEN the alert fires once per crossing, is recorded and notified', async () => {
    const notices: unknown[] = [];
    t.cleanup();
    t = await testApp({ notifier: { budgetAlert: async (n) => void notices.push(n) } });
    await sandboxProject(t.app);
    const o = t.app.orchestrator;
    await o.setBudgetAlert(admin, 'shop', 30);
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1', { machine_type: 'medium' }));
    await o.plan(dev, s.id);
    await o.plan(dev, s.id);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ projectId: keyOf('shop'), threshold: 30_000_000, budgetLimit: 1_000_000_000, overage: 0, adminUserIds: [admin.userId] });
    expect((await queryAudit(sqlOf(t.app), { eventType: 'budget_alert_triggered' }))).toHaveLength(1);
    await o.removeResource(dev, s.id, 'web-1');
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    await o.editResource(dev, s.id, 'web-1', vm('web-1', { machine_type: 'medium' }));
    await o.plan(dev, s.id);
    expect(notices).toHaveLength(2);
  });
});
