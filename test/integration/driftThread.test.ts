import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { admin, approver, dev, keyOf, sandboxProject, sqlOf, testApp, vm, oneApproverPerTier, restartedProcess, type TestApp } from '../helpers/app.js';
import { plannedSession, started } from '../helpers/approval.js';
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

async function deployed(resources: object[]) {
  const { id } = await plannedSession(t.app, resources);
  const result = await started(await t.app.orchestrator.approveAndApply(approver, id)).run.result;
  expect(result.status, result.error ?? '').toBe('succeeded');
}

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
