import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { admin, approver, db, dev, keyOf, sandboxProject, slowApply, sqlOf, testApp, vm, bucket, oneApproverPerTier, type TestApp } from '../helpers/app.js';
import { deployedSession, plannedSession, started } from '../helpers/approval.js';
import { refusal } from '../unit/files/refusal.js';

/** Drift on the sandbox (issue 20, step 1): its world changed out of band, found by a real refresh-only Terraform plan. */
let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  await oneApproverPerTier(t.app);
});
afterEach(() => t.cleanup());

const deployed = (resources: object[]) => deployedSession(t.app, resources);

describe('sandbox drift', () => {
  it('GIVEN two applied resources THEN the world holds the deployed specs and there is no drift; a tampered field and a deleted resource drift, attribute by attribute, and are audited', async () => {
    const o = t.app.orchestrator;
    await deployed([vm('web-1'), db('db-1')]);
    const specs = (await t.app.store.sessions.listDeployed(keyOf('shop'))).map((d) => d.spec);
    expect((await t.app.store.sandboxWorlds.get(keyOf('shop')))!.resources).toEqual(Object.fromEntries(specs.map((s) => [s.name, s])));

    expect((await o.detectDrift(dev, 'shop')).drifted).toEqual([]);
    expect(await t.app.store.locks.get(keyOf('shop'))).toBeUndefined();

    await o.tamperSandbox(admin, 'shop', 'web-1', { set: { machine_type: 'large', disk_gb: 80 } });
    const changed = await o.detectDrift(dev, 'shop');
    expect(changed.drifted).toEqual([{
      name: 'web-1', type: 'compute_vm', kind: 'changed',
      attributes: [{ attribute: 'disk_gb', deployed: undefined, observed: 80 }, { attribute: 'machine_type', deployed: 'small', observed: 'large' }],
    }]);

    await o.tamperSandbox(admin, 'shop', 'db-1', { delete: true });
    const missing = await o.detectDrift(dev, 'shop');
    expect(missing.drifted.map((d) => [d.name, d.kind])).toEqual([['web-1', 'changed'], ['db-1', 'missing']]);
    expect(await t.app.store.locks.get(keyOf('shop'))).toBeUndefined();

    const audit = await queryAudit(sqlOf(t.app), { projectId: keyOf('shop') });
    expect(audit.filter((r) => r.eventType === 'sandbox_tampered').map((r) => r.details)).toEqual([{ resource: 'db-1', deleted: true }, { resource: 'web-1', set: { machine_type: 'large', disk_gb: 80 } }]);
    expect(audit.filter((r) => r.eventType === 'drift_checked').map((r) => r.details.drifted)).toEqual([2, 1, 0]);
    expect(audit.filter((r) => r.eventType === 'drift_detected').map((r) => r.details.names)).toEqual([['web-1', 'db-1'], ['web-1']]);
  });

  it('GIVEN a tampered world THEN a normal plan still plans only what the session changes, and a new apply sets the world back to what it deployed', async () => {
    const o = t.app.orchestrator;
    await deployed([vm('web-1')]);
    await o.tamperSandbox(admin, 'shop', 'web-1', { delete: true });
    const { outcome } = await plannedSession(t.app, [bucket('files')]);
    expect([outcome.plan.toAdd, outcome.plan.toChange, outcome.plan.toDestroy]).toEqual([1, 0, 0]);
    expect(outcome.plan.output).not.toContain('terraform_remote_state');
    const result = await started(await o.approveAndApply(approver, outcome.session.id)).run.result;
    expect(result.status).toBe('succeeded');
    expect(Object.keys((await t.app.store.sandboxWorlds.get(keyOf('shop')))!.resources).sort()).toEqual(['files', 'web-1']);
    expect((await o.detectDrift(dev, 'shop')).drifted).toEqual([]);
  });

  it('GIVEN an apply cut off part-way THEN the world is what was recorded as deployed (what the state holds), so there is no drift', async () => {
    const o = t.app.orchestrator;
    await deployed([vm('web-1')]);
    const { s, run, drain } = await slowApply(t.app, 1);
    await o.cancelApply(dev, s.id);
    await drain();
    expect((await run.result).status).toBe('interrupted');
    const specs = (await t.app.store.sessions.listDeployed(keyOf('shop'))).map((d) => d.spec);
    expect(specs.map((x) => x.name)).toEqual(expect.arrayContaining(['fast-1', 'fast-2', 'fast-3']));
    expect((await t.app.store.sandboxWorlds.get(keyOf('shop')))!.resources).toEqual(Object.fromEntries(specs.map((x) => [x.name, x])));
    expect((await o.detectDrift(dev, 'shop')).drifted).toEqual([]);
  }, 60_000);

  it('GIVEN an apply that ends while a check waits to take the project THEN the check compares with what it deployed: its changes are no drift', async () => {
    const o = t.app.orchestrator;
    await deployed([vm('web-1'), vm('web-2')]);
    const { id } = await plannedSession(t.app, []);
    await o.editResource(dev, id, 'web-1', vm('web-1', { machine_type: 'large' }));
    await o.removeResource(dev, id, 'web-2');
    expect((await o.plan(dev, id)).plan.status).toBe('succeeded');
    // The check has read what was deployed when the apply, holding the project, finishes and frees it.
    const locks = t.app.store.locks;
    const get = locks.get.bind(locks);
    let once = true;
    locks.get = async (projectId) => {
      if (once) {
        once = false;
        expect((await started(await o.approveAndApply(approver, id)).run.result).status).toBe('succeeded');
      }
      return get(projectId);
    };
    const report = await o.detectDrift(dev, 'shop');
    expect(once).toBe(false);
    expect([report.resources, report.drifted]).toEqual([1, []]);
    expect((await t.app.store.driftStates.get(keyOf('shop')))?.open).toBeUndefined();
  }, 60_000);

  it('GIVEN another session holding the project THEN drift is refused as locked and the holder keeps the lock', async () => {
    const o = t.app.orchestrator;
    await deployed([vm('web-1')]);
    const { id } = await plannedSession(t.app, [vm('web-2')]);
    const e = await refusal(() => o.detectDrift(dev, 'shop'));
    expect(e.code).toBe('locked');
    expect((await t.app.store.locks.get(keyOf('shop')))?.sessionId).toBe(id);
  });

  it('GIVEN bad tamper requests THEN each is refused naming the flag, and nothing changes', async () => {
    const o = t.app.orchestrator;
    await deployed([vm('web-1')]);
    const before = await t.app.store.sandboxWorlds.get(keyOf('shop'));
    const unknown = await refusal(() => o.tamperSandbox(admin, 'shop', 'nope', { set: { a: 1 } }));
    expect(unknown.problems).toEqual([{ field: 'resource', message: "the sandbox cloud of project shop holds no resource 'nope'; it holds: web-1" }]);
    expect((await refusal(() => o.tamperSandbox(admin, 'shop', 'web-1', { set: {} }))).problems[0]!.field).toBe('set');
    expect((await refusal(() => o.tamperSandbox(dev, 'shop', 'web-1', { delete: true }))).code).toBe('forbidden');
    expect(await t.app.store.sandboxWorlds.get(keyOf('shop'))).toEqual(before);
    await o.createProject(admin, { id: 'cloudy', provider: 'gcp', budgetUsd: 100 });
    expect((await refusal(() => o.tamperSandbox(admin, 'cloudy', 'web-1', { delete: true }))).problems).toEqual([{ field: 'project', message: 'project cloudy runs on gcp, not the sandbox: only a sandbox cloud can be tampered with' }]);
  });

  it('GIVEN a project with nothing deployed THEN drift finds none and leaves the lock free', async () => {
    const report = await t.app.orchestrator.detectDrift(dev, 'shop');
    expect([report.resources, report.drifted]).toEqual([0, []]);
    expect(await t.app.store.locks.get(keyOf('shop'))).toBeUndefined();
  });
});
