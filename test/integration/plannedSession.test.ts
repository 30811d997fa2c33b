import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPlannedSession } from '../../src/core/plannedSession.js';
import { queryAudit } from '../../src/db/audit.js';
import { admin, approver, bucket, dev, keyOf, oneApproverPerTier, sandboxProject, sqlOf, testApp, vm, type TestApp } from '../helpers/app.js';
import { plannedSession, started } from '../helpers/approval.js';
import { refusal } from '../unit/files/refusal.js';

/** Sessions an action starts holding its configuration (issue 20): planned in their mode, never edited, applied and committed as usual. */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  await oneApproverPerTier(t.app);
});
afterEach(() => t.cleanup());

const project = async () => (await t.app.store.projects.get(keyOf('shop')))!;
const deployedSpecs = async () => (await t.app.store.sessions.listDeployed(keyOf('shop'))).map((d) => d.spec);

async function deployWeb() {
  const { id } = await plannedSession(t.app, [vm('web-1')]);
  expect((await started(await t.app.orchestrator.approveAndApply(approver, id)).run.result).status).toBe('succeeded');
}

describe('a session started by an action', () => {
  it('GIVEN a resource deleted out of band WHEN a revert session replaces its address THEN the plan replaces it, edits are refused, and the apply puts the world back and commits a revert', async () => {
    const o = t.app.orchestrator;
    await deployWeb();
    await o.tamperSandbox(admin, 'shop', 'web-1', { delete: true });
    const { session, outcome } = await startPlannedSession(o.deps, dev, await project(), {
      purpose: 'revert', provider: 'sandbox', specs: await deployedSpecs(), planMode: { kind: 'replace', addresses: ['terraform_data.web-1'] },
    });
    const planned = await outcome;
    expect(planned.plan.status, planned.plan.error ?? '').toBe('succeeded');
    expect([planned.plan.toAdd, planned.plan.toChange, planned.plan.toDestroy]).toEqual([1, 0, 1]);
    expect(planned.session).toMatchObject({ purpose: 'revert', planMode: { kind: 'replace', addresses: ['terraform_data.web-1'] } });

    const edit = await refusal(() => o.addResource(dev, session.id, vm('web-2')));
    expect(edit).toMatchObject({ code: 'invalid_state', refusal: { kind: 'fixed_configuration', purpose: 'revert' } });

    expect((await started(await o.approveAndApply(approver, session.id)).run.result).status).toBe('succeeded');
    expect((await o.detectDrift(dev, 'shop')).drifted).toEqual([]);
    expect((await o.gitLog(dev, 'shop'))[0]!.message).toBe(`Revert drift (1 resources) via session ${session.id.slice(0, 8)} (dan-dev)`);
    const created = (await queryAudit(sqlOf(t.app), { projectId: keyOf('shop') })).find((r) => r.eventType === 'session_created' && r.sessionId === session.id);
    expect(created!.details).toMatchObject({ purpose: 'revert', plan_mode: 'replace' });
  });

  it('GIVEN a deployed project WHEN a refresh-only session is planned THEN it changes nothing, applies as a refresh, and leaves the deployment as it was', async () => {
    const o = t.app.orchestrator;
    await deployWeb();
    const { session, outcome } = await startPlannedSession(o.deps, dev, await project(), { purpose: 'refresh', provider: 'sandbox', specs: await deployedSpecs(), planMode: { kind: 'refresh_only' } });
    const planned = await outcome;
    expect(planned.plan.status, planned.plan.error ?? '').toBe('succeeded');
    expect([planned.plan.toAdd, planned.plan.toChange, planned.plan.toDestroy]).toEqual([0, 0, 0]);
    // Terraform's own words for a refresh-only plan (a normal plan says it found no differences in the configuration).
    expect(planned.plan.output).toContain('Terraform has checked that the real remote objects still match the result of');
    const result = await started(await o.approveAndApply(approver, session.id)).run.result;
    expect(result.status, result.error ?? '').toBe('succeeded');
    expect((await deployedSpecs()).map((s) => s.name)).toEqual(['web-1']);
    expect((await o.gitLog(dev, 'shop'))[0]!.message).toBe(`Refresh state (1 resources) via session ${session.id.slice(0, 8)} (dan-dev)`);
  });

  it('GIVEN a refresh-only session whose specs make a bucket public (an Adopt on a cloud) THEN its plan changes nothing yet the hard-mandatory rule stops it', async () => {
    const o = t.app.orchestrator;
    const { id } = await plannedSession(t.app, [bucket('logs')]);
    expect((await started(await o.approveAndApply(approver, id)).run.result).status).toBe('succeeded');
    const specs = (await deployedSpecs()).map((s) => ({ ...s, public_access: true }));
    const planned = await (await startPlannedSession(o.deps, dev, await project(), { purpose: 'adopt', provider: 'sandbox', specs, planMode: { kind: 'refresh_only' } })).outcome;
    expect([planned.plan.status, planned.plan.toAdd, planned.plan.toChange, planned.plan.toDestroy]).toEqual(['succeeded', 0, 0, 0]);
    expect(planned.plan.policy?.findings.map((f) => [f.ruleId, f.level, f.resource])).toContainEqual(['public-bucket', 'hard-mandatory', 'logs']);
    expect((await refusal(() => o.approve(approver, planned.session.id))).code).toBe('policy');
  }, 60_000);

  it('GIVEN the project locked by another session THEN an action\'s session is refused and left cancelled, not half-started', async () => {
    const o = t.app.orchestrator;
    await plannedSession(t.app, [vm('web-1')]);
    const shop = await project();
    const err = await refusal(() => startPlannedSession(o.deps, dev, shop, { purpose: 'replan', provider: 'sandbox', specs: [vm('web-9') as never] }));
    expect(err.code).toBe('locked');
    const sessions = await t.app.store.sessions.listInStates(['DRAFT', 'PLANNING'], keyOf('shop'));
    expect(sessions.filter((s) => s.purpose === 'replan')).toEqual([]);
  });
});
