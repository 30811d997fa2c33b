import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { driftCommand } from '../../src/cli/commands/drift.js';
import { loadConfig } from '../../src/config.js';
import { queryAudit } from '../../src/db/audit.js';
import { admin, approver, db, dev, keyOf, REPO_ROOT, sandboxProject, SHARED_PLUGIN_CACHE, sqlOf, testApp, vm, oneApproverPerTier, restartedProcess, type TestApp } from '../helpers/app.js';
import { deployedSession, plannedSession, started } from '../helpers/approval.js';
import { refusal } from '../unit/files/refusal.js';

/** The drift thread (issue 20, step 2): scheduled checks, the open drift kept per project, one thread per drift. */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  await oneApproverPerTier(t.app);
});
afterEach(() => t.cleanup());

const HOUR = 3_600_000;

const deployed = (resources: object[]) => deployedSession(t.app, resources);

describe('scheduled drift checks', () => {
  it('GIVEN a sandbox project THEN its drift schedule is off until set; a bad value is refused naming the field; hourly checks run once per hour, as the system, and a locked project is tried again at the next sweep', async () => {
    const o = t.app.orchestrator;
    expect(await o.reviewSettings(dev, 'shop')).toMatchObject({ drift: 'off', driftDefault: true });
    await o.createProject(admin, { id: 'cloudy', provider: 'gcp', budgetUsd: 100 });
    expect(await o.reviewSettings(admin, 'cloudy')).toMatchObject({ drift: 'daily', driftDefault: true });
    expect((await refusal(() => o.setReviewSettings(admin, 'shop', { drift: 'sometimes' }))).problems).toEqual([{ field: 'drift', message: "drift must be one of off, hourly, daily, weekly, got 'sometimes'" }]);

    await deployed([vm('web-1')]);
    expect(await o.runDueDriftChecks()).toEqual([]);
    expect(await o.setReviewSettings(admin, 'shop', { drift: 'hourly' })).toMatchObject({ drift: 'hourly', driftDefault: false });
    await o.tamperSandbox(admin, 'shop', 'web-1', { set: { machine_type: 'large' } });

    const first = await o.runDueDriftChecks();
    expect(first.map((c) => [c.projectId, c.outcome, c.report?.drifted.map((d) => d.name)])).toEqual([[keyOf('shop'), 'checked', ['web-1']]]);
    const opened = (await t.app.store.driftStates.get(keyOf('shop')))!;
    expect(opened.open).toEqual({
      since: first[0]!.report!.checkedAt,
      resources: [{ name: 'web-1', type: 'compute_vm', kind: 'changed', attributes: [{ attribute: 'machine_type', deployed: 'small', observed: 'large' }], since: first[0]!.report!.checkedAt }],
    });
    // Claimed for the hour: a second sweep (or another process) runs nothing.
    t.clock.advance(60_000);
    expect(await o.runDueDriftChecks()).toEqual([]);

    // Due again, but a session holds the project: skipped, not failed, and tried at the next sweep.
    t.clock.advance(HOUR);
    const { id } = await plannedSession(t.app, [vm('web-2')]);
    expect((await o.runDueDriftChecks()).map((c) => c.outcome)).toEqual(['locked']);
    await o.cancel(dev, id);
    t.clock.advance(30_000);
    const again = await o.runDueDriftChecks();
    expect(again.map((c) => c.outcome)).toEqual(['checked']);
    // The same drift seen again keeps its "since", and moves the revision its thread shows.
    const seen = (await t.app.store.driftStates.get(keyOf('shop')))!;
    expect([seen.open!.since, seen.open!.resources[0]!.since, seen.checkedAt, seen.revision]).toEqual([opened.open!.since, opened.open!.since, again[0]!.report!.checkedAt, opened.revision + 1]);

    const audit = await queryAudit(sqlOf(t.app), { projectId: keyOf('shop'), eventType: 'drift_checked' });
    expect(audit.map((r) => [r.userId, r.status, r.details.scheduled])).toEqual([[null, 'success', true], [null, 'success', true]]);
    const stats = await o.statistics(admin, 7);
    expect(stats.drift).toEqual({ checks: 2, detected: 2, open: 1 });
  });
});

describe('adopt and revert', () => {
  /** Approves and applies an adopt or revert session, which must have planned. */
  async function applied(start: Awaited<ReturnType<TestApp['app']['orchestrator']['startDriftAction']>>) {
    const { plan } = await start.outcome;
    expect(plan.status, plan.error ?? '').toBe('succeeded');
    const result = await started(await t.app.orchestrator.approveAndApply(approver, start.session.id)).run.result;
    expect(result.status, result.error ?? '').toBe('succeeded');
    return plan;
  }

  it('GIVEN drift kept with its thread THEN Adopt plans the real values (a missing resource dropped), applied the next check finds none and the thread is closed once; Revert then replaces what drifted and puts it back; nothing left open', async () => {
    const o = t.app.orchestrator;
    const shop = keyOf('shop');
    await deployed([vm('web-1'), db('db-1')]);
    expect((await refusal(() => o.startDriftAction(dev, 'shop', 'adopt'))).refusal).toEqual({ kind: 'no_open_drift', project: 'shop' });
    await o.tamperSandbox(admin, 'shop', 'web-1', { set: { machine_type: 'large' } });
    await o.tamperSandbox(admin, 'shop', 'db-1', { delete: true });
    await o.detectDrift(dev, 'shop');
    const open = (await t.app.store.driftStates.get(shop))!.open!;
    expect(open.resources.map((r) => [r.name, r.kind, r.attributes])).toEqual([
      ['web-1', 'changed', [{ attribute: 'machine_type', deployed: 'small', observed: 'large' }]], ['db-1', 'missing', []],
    ]);
    // The thread is opened once: a restarted process (or another one) cannot claim it while it is claimed or open.
    expect(await o.claimDriftThread(shop)).toBe(true);
    const other = await testApp({ dir: t.dir, owner: restartedProcess() });
    try {
      expect(await other.app.orchestrator.claimDriftThread(shop)).toBe(false);
      expect(await other.app.orchestrator.driftThreadOpened(shop, { channelId: 'c', threadId: 'other', messageId: 'other', revision: 1 })).toBe(false);
    } finally {
      other.app.close();
    }
    const revision = (await t.app.store.driftStates.get(shop))!.revision;
    expect(await o.driftThreadOpened(shop, { channelId: 'c', threadId: 't1', messageId: 't1', revision })).toBe(true);
    await o.detectDrift(dev, 'shop');
    expect(await o.claimDriftThread(shop)).toBe(false);
    expect(await o.pendingDriftThreads()).toEqual([shop]);
    await o.driftThreadShown(shop, 't1', revision + 1);
    expect(await o.pendingDriftThreads()).toEqual([]);

    const adopt = await o.startDriftAction(dev, 'shop', 'adopt');
    expect([adopt.session.purpose, adopt.session.planMode]).toEqual(['adopt', { kind: 'normal' }]);
    const adoptPlan = await applied(adopt);
    expect([adoptPlan.toAdd, adoptPlan.toChange, adoptPlan.toDestroy]).toEqual([0, 1, 1]);
    expect((await t.app.store.sessions.listDeployed(shop)).map((d) => [d.spec.name, (d.spec as { machine_type?: string }).machine_type])).toEqual([['web-1', 'large']]);
    expect((await o.detectDrift(dev, 'shop')).drifted).toEqual([]);
    expect((await t.app.store.driftStates.get(shop))!.open).toBeUndefined();
    expect(await o.pendingDriftThreads()).toEqual([shop]);
    expect(await o.driftThreadClosed(shop, 't1')).toBe(true);
    expect(await o.driftThreadClosed(shop, 't1')).toBe(false);
    expect(await o.pendingDriftThreads()).toEqual([]);

    await o.tamperSandbox(admin, 'shop', 'web-1', { set: { machine_type: 'medium' } });
    await o.detectDrift(dev, 'shop');
    const revert = await o.startDriftAction(dev, 'shop', 'revert');
    expect([revert.session.purpose, revert.session.planMode]).toEqual(['revert', { kind: 'replace', addresses: ['terraform_data.web-1'] }]);
    const revertPlan = await applied(revert);
    expect([revertPlan.toAdd, revertPlan.toChange, revertPlan.toDestroy]).toEqual([1, 0, 1]);
    expect((await t.app.store.sandboxWorlds.get(shop))!.resources['web-1']).toMatchObject({ machine_type: 'large' });
    expect((await o.detectDrift(dev, 'shop')).drifted).toEqual([]);
    expect((await t.app.store.driftStates.get(shop))!.open).toBeUndefined();

    const audit = (await queryAudit(sqlOf(t.app), { projectId: shop })).map((r) => r.eventType);
    for (const e of ['drift_adopt_started', 'drift_revert_started', 'drift_thread_opened', 'drift_thread_closed'] as const) expect(audit.filter((x) => x === e), e).toHaveLength(1);
    expect(audit.filter((x) => x === 'drift_resolved')).toHaveLength(2);
  }, 60_000);

  it('GIVEN a drift the project moved past (an Adopt applied, a tamper after the check) THEN Adopt and Revert are refused as stale until a new check, and nothing is started', async () => {
    const o = t.app.orchestrator;
    await deployed([vm('web-1')]);
    await o.tamperSandbox(admin, 'shop', 'web-1', { set: { machine_type: 'large' } });
    await o.detectDrift(dev, 'shop');
    t.clock.advance(60_000);
    await applied(await o.startDriftAction(dev, 'shop', 'adopt'));
    t.clock.advance(60_000);
    // No check since: the card still offers Revert, which would replace web-1 though nothing drifts any more.
    for (const action of ['revert', 'adopt'] as const) {
      expect((await refusal(() => o.startDriftAction(dev, 'shop', action))).refusal, action).toMatchObject({ kind: 'drift_stale', project: 'shop' });
    }
    expect((await o.detectDrift(dev, 'shop')).drifted).toEqual([]);

    await o.tamperSandbox(admin, 'shop', 'web-1', { set: { machine_type: 'medium' } });
    await o.detectDrift(dev, 'shop');
    t.clock.advance(60_000);
    await o.tamperSandbox(admin, 'shop', 'web-1', { set: { machine_type: 'small' } });
    // The cloud moved again: Adopt would commit 'medium', a value it no longer holds.
    expect((await refusal(() => o.startDriftAction(dev, 'shop', 'adopt'))).refusal).toMatchObject({ kind: 'drift_stale' });
    expect(await o.activeSessions(dev, 'shop')).toHaveLength(0);
    expect(await t.app.store.locks.get(keyOf('shop'))).toBeUndefined();
  }, 60_000);

  it('GIVEN an observed value no spec can hold THEN Adopt is refused naming the resource and field, and no session is left', async () => {
    const o = t.app.orchestrator;
    await deployed([vm('web-1')]);
    await o.tamperSandbox(admin, 'shop', 'web-1', { set: { disk_gb: 80 } });
    await o.detectDrift(dev, 'shop');
    const e = await refusal(() => o.startDriftAction(dev, 'shop', 'adopt'));
    expect(e.problems).toEqual([{ field: 'disk_gb', message: expect.stringMatching(/^web-1: unknown field 'disk_gb' for a .* — that real value cannot be adopted; revert the drift instead$/) }]);
    expect(await o.activeSessions(dev, 'shop')).toHaveLength(0);
  });
});

describe('cloud-engine drift --adopt / --revert', () => {
  it('GIVEN drift THEN the check prints both next steps; --adopt without --yes shows the plan and applies nothing; --revert --yes applies, and the next check finds none', async () => {
    await deployed([vm('web-1')]);
    await t.app.orchestrator.tamperSandbox(admin, 'shop', 'web-1', { set: { machine_type: 'large' } });
    let out: string[] = [];
    const run = async (...argv: string[]) => {
      out = [];
      const config = loadConfig({
        DATABASE_PATH: join(t.dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(t.dir, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'), TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE, LOG_LEVEL: 'silent',
      });
      return driftCommand.run(['--project', 'shop', '--guild', keyOf('shop').split('/')[0]!, ...argv], { io: { out: (l) => out.push(l), err: (l) => out.push(l) }, config });
    };
    expect(await run()).toBe(8);
    expect(out.at(-1)).toBe('→ accept the real values: cloud-engine drift --project shop --adopt; or put back what was deployed: cloud-engine drift --project shop --revert (add --yes to apply)');
    expect(await run('--adopt')).toBe(0);
    expect(out[0]).toMatch(/^Adopt the drift of project shop: session \w{8} holds the values its cloud holds now\.$/);
    expect(out).toContain('  update         terraform_data.web-1');
    expect(out.at(-1)).toBe('Not applied (pass --yes to apply this plan).');
    expect(await run('--revert', '--yes')).toBe(0);
    expect(out[0]).toMatch(/^Revert the drift of project shop: session \w{8} holds what was deployed\.$/);
    expect(out).toContain('  delete/create  terraform_data.web-1');
    expect(await run()).toBe(0);
    await expect(run('--adopt', '--revert')).rejects.toThrow('give --adopt or --revert, not both');
  }, 60_000);
});
