import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { getLock } from '../../src/db/locks.js';
import { getSession } from '../../src/db/sessions.js';
import { latestState, listStates } from '../../src/db/states.js';
import { approver, dev, restartedProcess, sandboxProject, slowApply, testApp, vm, type TestApp, keyOf, repoOf, sqlOf } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ realClock: true });
  await sandboxProject(t.app);
});
afterEach(() => t.cleanup());

const approvedSlowApply = () => slowApply(t.app);

describe('an apply cut off part-way', () => {
  it('GIVEN a cancel (SIGINT) mid-apply THEN the session is INTERRUPTED, the lock released and the partial state saved', async () => {
    const { s, run, drain } = await approvedSlowApply();
    await t.app.orchestrator.cancelApply(dev, s.id);
    await drain();
    const result = await run.result;
    expect(result.status).toBe('interrupted');
    expect((await getSession(sqlOf(t.app), s.id))?.state).toBe('INTERRUPTED');
    expect((await getLock(sqlOf(t.app), keyOf('shop')))).toBeUndefined();
    const state = JSON.parse((await latestState(sqlOf(t.app), keyOf('shop')))!.stateJson) as { resources: Array<{ name: string }> };
    expect(state.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['fast-1', 'fast-2', 'fast-3']));
    expect((await queryAudit(sqlOf(t.app), { eventType: 'deployment_interrupted' }))).toHaveLength(1);
  }, 60_000);

  it('GIVEN the Terraform child is SIGKILLed THEN the session is INTERRUPTED, not stuck APPLYING, and the next session plans from the real state', async () => {
    const { s, run, drain } = await approvedSlowApply();
    process.kill((await getLock(sqlOf(t.app), keyOf('shop')))!.runPid!, 'SIGKILL');
    await drain();
    expect((await run.result).status).toBe('interrupted');
    expect((await getSession(sqlOf(t.app), s.id))?.state).toBe('INTERRUPTED');
    // A SIGKILL gives Terraform no chance to persist; whatever state it last wrote is the truth the next session starts from.
    const saved = (await latestState(sqlOf(t.app), keyOf('shop')));
    const inState = saved ? (JSON.parse(saved.stateJson) as { resources: Array<{ name: string; instances: unknown[] }> }).resources.filter((r) => r.instances.length > 0).map((r) => r.name) : [];
    const o = t.app.orchestrator;
    const next = await o.startSession(dev, 'shop');
    expect((await o.sessionView(dev, next.id)).resources.map((r) => r.spec.name).sort()).toEqual([...inState].sort());
    const planned = await o.plan(dev, next.id);
    expect(planned.plan.status).toBe('succeeded');
    // Nothing that exists is proposed for destruction (a tainted one may be replaced).
    expect(planned.plan.changes.filter((c) => c.actions.join() === 'delete')).toEqual([]);
  }, 60_000);
});

describe('state versions', () => {
  it('GIVEN a corrupted or foreign state file planted in the workspace THEN no run reads it: the next plan starts from the stored state', async () => {
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    await o.approve(approver, s.id);
    await (await o.apply(s.id, 'ann')).result;
    const good = (await latestState(sqlOf(t.app), keyOf('shop')))!;
    for (const planted of ['{"version": 4, "serial": ', JSON.stringify({ ...JSON.parse(good.stateJson), lineage: 'someone-elses-lineage', serial: good.serial + 10, resources: [] })]) {
      writeFileSync(join(repoOf(t.dir, 'shop'), 'terraform.tfstate'), planted);
      const next = await o.startSession(dev, 'shop');
      const planned = await o.plan(dev, next.id);
      expect(planned.summaryLine).toMatch(/^No changes/);
      expect(planned.plan.stateSerial).toBe(good.serial);
      await o.cancel(dev, next.id);
    }
    expect((await listStates(sqlOf(t.app), keyOf('shop'))).map((v) => [v.serial, v.lineage])).toEqual([[good.serial, good.lineage]]);
  });

  it('GIVEN a run directory whose state has another lineage, an older serial or is not state THEN it is never saved over the history', async () => {
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    await o.approve(approver, s.id);
    await (await o.apply(s.id, 'ann')).result;
    const good = (await latestState(sqlOf(t.app), keyOf('shop')))!;
    const dir = mkdtempSync(join(t.dir, 'run-'));
    const cases: Array<[string, RegExp]> = [
      [JSON.stringify({ ...JSON.parse(good.stateJson), lineage: 'someone-elses-lineage', serial: good.serial + 10 }), /lineage changed/],
      [JSON.stringify({ ...JSON.parse(good.stateJson), serial: good.serial - 1, resources: [] }), /not newer/],
      ['{"version": 4, "serial": ', /not valid JSON state/],
    ];
    for (const [text, reason] of cases) {
      writeFileSync(join(dir, 'terraform.tfstate'), text);
      const outcome = await t.app.orchestrator.deps.states.capture(keyOf('shop'), null, dir);
      expect(outcome.kind).toBe('refused');
      expect(outcome.kind === 'refused' && outcome.reason).toMatch(reason);
    }
    // A directory where Terraform writes its state: refused naming it, not a crash (EISDIR).
    rmSync(join(dir, 'terraform.tfstate'));
    mkdirSync(join(dir, 'terraform.tfstate'));
    const outcome = await t.app.orchestrator.deps.states.capture(keyOf('shop'), null, dir);
    expect(outcome.kind === 'refused' && outcome.reason).toBe(`${join(dir, 'terraform.tfstate')} is a directory, where Terraform writes a file; move it out of the way and try again; the run directory is kept for the operator`);
    expect((await listStates(sqlOf(t.app), keyOf('shop'))).map((v) => [v.serial, v.lineage])).toEqual([[good.serial, good.lineage]]);
  });

  it('GIVEN the process restarts while a session is APPLYING THEN recovery marks it INTERRUPTED and saves the state its run wrote', async () => {
    const { s, run, drain } = await approvedSlowApply();
    // Simulate a crash: the process loses its database handle, then Terraform dies; nothing gets recorded.
    const terraformPid = (await getLock(sqlOf(t.app), keyOf('shop')))!.runPid!;
    t.app.close();
    process.kill(terraformPid, 'SIGKILL');
    await drain();
    await expect(run.result).rejects.toThrow();
    const restarted = await testApp({ dir: t.dir, realClock: true, owner: restartedProcess() });
    const report = await restarted.app.orchestrator.recover();
    expect(report.interrupted.map((r) => r.session.id)).toEqual([s.id]);
    expect((await getSession(sqlOf(restarted.app), s.id))?.state).toBe('INTERRUPTED');
    expect((await getLock(sqlOf(restarted.app), keyOf('shop')))).toBeUndefined();
    const saved = JSON.parse((await latestState(sqlOf(restarted.app), keyOf('shop')))!.stateJson) as { resources: Array<{ name: string }> };
    expect(saved.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['fast-1', 'fast-2', 'fast-3']));
    expect((await queryAudit(sqlOf(restarted.app), { eventType: 'deployment_interrupted' }))[0]?.error).toMatch(/process running this apply stopped \(crash, kill or restart/);
    restarted.app.close();
  }, 60_000);
});
