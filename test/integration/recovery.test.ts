/**
 * The recovery card (issue 20) with real Terraform on the sandbox: an apply cut off by a crash, or failed
 * part-way, shows what it saved and did, whether the project is free, and three ways out — each a new
 * session through the usual plan and approval — that lead back to a clean state.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { getLock } from '../../src/db/locks.js';
import { latestState } from '../../src/db/states.js';
import type { ApplyRun } from '../../src/core/applying.js';
import { stateAddresses } from '../../src/terraform/tfstate.js';
import { join } from 'node:path';
import { recoverCommand } from '../../src/cli/commands/recover.js';
import { loadConfig } from '../../src/config.js';
import { descendants } from '../e2e/helpers/processes.js';
import { admin, approver, dev, keyOf, REPO_ROOT, restartedProcess, sandboxProject, SHARED_PLUGIN_CACHE, sqlOf, testApp, vm, type TestApp } from '../helpers/app.js';

let t: TestApp;
/** The app of a process started after a crash, on the same directory. */
let restarted: TestApp | undefined;
beforeEach(async () => {
  t = await testApp({ realClock: true });
  await sandboxProject(t.app);
});
afterEach(() => {
  restarted?.app.close();
  restarted = undefined;
  t.cleanup();
});

const addr = (name: string) => `terraform_data.${name}`;

/** Reads an apply's output until `stop` says so; returns what reads the rest. */
async function readUntil(run: ApplyRun, stop: (line: string) => boolean): Promise<() => Promise<void>> {
  const it = run.lines[Symbol.asyncIterator]();
  for (let n = await it.next(); !n.done && !stop(n.value); n = await it.next());
  return async () => { for (let n = await it.next(); !n.done; n = await it.next()); };
}

/** An approved apply of two quick VMs and `slow` one booting for `boot` seconds, read until the quick ones are created. */
async function applyUnderWay(slow: string, boot: number) {
  const o = t.app.orchestrator;
  const s = await o.startSession(dev, 'shop');
  for (const name of ['fast-1', 'fast-2']) await o.addResource(dev, s.id, vm(name));
  await o.addResource(dev, s.id, vm(slow, { boot_seconds: boot }));
  expect((await o.plan(dev, s.id)).plan.status).toBe('succeeded');
  await o.approve(approver, s.id);
  const run = await o.apply(s.id, approver.userName);
  let created = 0;
  const drain = await readUntil(run, (l: string) => /fast-\d: Creation complete/.test(l) && ++created === 2);
  return { s, run, drain };
}

/** The resources the project's newest saved state holds, healthy ones only (not tainted). */
const stateHas = async (app = t.app) => [...(stateAddresses((await latestState(sqlOf(app), keyOf('shop')))!.stateJson) ?? new Map()).entries()]
  .filter(([, r]) => !r.tainted).map(([a]) => a).sort();

describe('the recovery card', () => {
  it('GIVEN the process SIGKILLed mid-apply THEN after recovery the card shows the saved serial, what was created and a free lock, and Re-plan → approve → apply saves every resource with no lock left', async () => {
    const { s, run, drain } = await applyUnderWay('slow-1', 8);
    // A crash: the process loses its store, then its Terraform dies; nothing is recorded.
    const terraformPid = (await getLock(sqlOf(t.app), keyOf('shop')))!.runPid!;
    t.app.close();
    process.kill(terraformPid, 'SIGKILL');
    for (const p of descendants(terraformPid)) process.kill(p.pid, 'SIGKILL');
    await drain().catch(() => undefined);
    await run.result.catch(() => undefined);
    restarted = await testApp({ dir: t.dir, realClock: true, owner: restartedProcess() });
    const { app } = restarted;
    const o = app.orchestrator;
    expect((await o.recover()).interrupted.map((r) => r.session.id)).toEqual([s.id]);

    const card = await o.recoveryCard(admin, s.id);
    const saved = (await latestState(sqlOf(app), keyOf('shop')))!;
    expect(card).toMatchObject({ state: 'INTERRUPTED', savedState: { serial: saved.serial, savedAt: saved.createdAt, byThisApply: true }, lock: { free: true }, lastGood: null, plannedChanges: 3 });
    expect(card.progress.source).toBe('state');
    // The quick ones were created; the slow one is wherever the cut left it (in the state mid-boot, or not yet), never both.
    expect(card.progress.created).toEqual(expect.arrayContaining([addr('fast-1'), addr('fast-2')]));
    expect([...card.progress.created, ...card.progress.notDone].sort()).toEqual([addr('fast-1'), addr('fast-2'), addr('slow-1')]);
    expect(card.progress.created.sort()).toEqual((await stateHas(app)).filter((a) => a !== addr('base')));
    // Nothing was ever deployed successfully: Roll back is barred, and refused if asked anyway.
    expect(card.actions).toEqual([{ action: 'replan' }, { action: 'refresh' }, { action: 'rollback', bar: 'no_deployment' }]);
    await expect(o.startRecovery(admin, s.id, 'rollback')).rejects.toMatchObject({ refusal: { kind: 'no_rollback_target' } });

    const replan = await (await o.startRecovery(dev, s.id, 'replan')).outcome;
    expect(replan.session).toMatchObject({ purpose: 'replan', state: 'PLANNED' });
    expect(replan.plan.stateSerial).toBe(saved.serial);
    // Only what the cut left undone is planned again: the rest already exists.
    expect(replan.plan.changes.map((c) => c.address).sort()).toEqual(card.progress.notDone.sort());
    await o.approve(approver, replan.session.id);
    expect((await (await o.apply(replan.session.id, approver.userName)).result).status).toBe('succeeded');
    expect(await stateHas(app)).toEqual([addr('fast-1'), addr('fast-2'), addr('slow-1')]);
    expect(await getLock(sqlOf(app), keyOf('shop'))).toBeUndefined();
    expect(await queryAudit(sqlOf(app), { eventType: 'recovery_started' })).toEqual([
      expect.objectContaining({ sessionId: s.id, userId: dev.userId, details: { action: 'replan', new_session_id: replan.session.id } }),
    ]);
  }, 120_000);

  it('GIVEN an apply that failed part-way THEN the card offers Roll back to the last good commit, refuses while the project is locked, and a Refresh-only plan applies cleanly', async () => {
    const o = t.app.orchestrator;
    const base = await o.startSession(dev, 'shop');
    await o.addResource(dev, base.id, vm('base'));
    await o.plan(dev, base.id);
    await o.approve(approver, base.id);
    const good = await (await o.apply(base.id, approver.userName)).result;
    expect(good.commitHash).toBeTruthy();

    const { s, run, drain } = await applyUnderWay('slow-1', 60);
    // The slow VM's boot (its provisioner's sleep) is killed: Terraform reports the provisioner's error and fails.
    const terraformPid = (await getLock(sqlOf(t.app), keyOf('shop')))!.runPid!;
    const sleeps = () => descendants(terraformPid).filter((p) => p.comm === 'sleep');
    for (const until = Date.now() + 15_000; !sleeps().length && Date.now() < until;) await new Promise((r) => setTimeout(r, 100));
    expect(sleeps()).toHaveLength(1);
    for (const p of sleeps()) process.kill(p.pid, 'SIGKILL');
    await drain();
    expect((await run.result).status).toBe('failed');

    const card = await o.recoveryCard(dev, s.id);
    expect(card).toMatchObject({ state: 'FAILED', lock: { free: true }, lastGood: { commit: good.commitHash, sessionId: base.id } });
    expect(card.progress.created).toEqual(expect.arrayContaining([addr('fast-1'), addr('fast-2')]));
    // The failed create left a tainted object: it exists, but is not done.
    expect(card.progress.notDone).toEqual([addr('slow-1')]);
    // A deployer sees Roll back barred (it needs a project admin); an admin sees all three open.
    expect(card.actions).toEqual([{ action: 'replan' }, { action: 'refresh' }, { action: 'rollback', bar: 'not_allowed' }]);
    expect((await o.recoveryCard(admin, s.id)).actions).toEqual([{ action: 'replan' }, { action: 'refresh' }, { action: 'rollback' }]);

    const rollback = await (await o.startRecovery(admin, s.id, 'rollback')).outcome;
    expect(rollback.session).toMatchObject({ purpose: 'rollback', rollbackOf: good.commitHash, state: 'PLANNED' });
    // While that session holds the project, every way out is refused, naming who holds it; the card says which was started.
    expect((await o.recoveryCard(dev, s.id))).toMatchObject({
      lock: { free: false, sessionId: rollback.session.id }, lastStarted: { action: 'rollback', userId: admin.userId, sessionId: rollback.session.id },
    });
    await expect(o.startRecovery(dev, s.id, 'refresh')).rejects.toMatchObject({ refusal: { kind: 'project_locked', sessionId: rollback.session.id } });
    await o.cancel(admin, rollback.session.id);
    await expect(o.startRecovery(dev, base.id, 'replan')).rejects.toMatchObject({ refusal: { kind: 'not_recoverable', state: 'APPLIED' } });

    const refresh = await (await o.startRecovery(dev, s.id, 'refresh')).outcome;
    expect(refresh.session).toMatchObject({ purpose: 'refresh', planMode: { kind: 'refresh_only' }, state: 'PLANNED' });
    expect(refresh.plan.status).toBe('succeeded');
    expect(refresh.plan.toAdd + refresh.plan.toChange + refresh.plan.toDestroy).toBe(0);
    await o.approve(approver, refresh.session.id);
    expect((await (await o.apply(refresh.session.id, approver.userName)).result).status).toBe('succeeded');
    expect(await getLock(sqlOf(t.app), keyOf('shop'))).toBeUndefined();
    expect((await queryAudit(sqlOf(t.app), { eventType: 'recovery_started' })).map((r) => r.details.action)).toEqual(['refresh', 'rollback']);

    // The CLI prints the same card and choices; an action without --yes shows its plan, leaves nothing locked and says how to apply it.
    const out: string[] = [];
    const ctx = {
      io: { out: (line: string) => out.push(line), err: (line: string) => out.push(line) },
      config: loadConfig({
        DATABASE_PATH: join(t.dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(t.dir, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'), TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE, LOG_LEVEL: 'silent',
      }),
    };
    expect(await recoverCommand.run(['--session', s.id], ctx)).toBe(0);
    expect(out).toEqual(expect.arrayContaining([
      `Recovery for session ${s.id} (FAILED)`, '  Project lock: free', expect.stringMatching(new RegExp(`^  Last good deployment: commit ${good.commitHash!.slice(0, 12)}, deployed `)),
      expect.stringMatching(new RegExp(`^  cloud-engine recover --session ${s.id} --rollback +plan the last good deployment's configuration$`)),
    ]));
    out.length = 0;
    expect(await recoverCommand.run(['--session', s.id, '--replan'], ctx)).toBe(0);
    expect(out.at(-1)).toBe(`Next: review the plan above, then apply it with: cloud-engine recover --session ${s.id} --replan --yes`);
    expect(await getLock(sqlOf(t.app), keyOf('shop'))).toBeUndefined();
    await expect(recoverCommand.run(['--session', s.id, '--replan', '--rollback'], ctx)).rejects.toThrow(/choose one of --replan, --refresh, --rollback/);

    // A later deploy moves the project on: this card's ways out close (its Re-plan would put back the older configuration over that deploy).
    const later = await o.startSession(dev, 'shop');
    await o.addResource(dev, later.id, vm('later'));
    // Not the tainted slow VM again: re-creating it would boot for its whole minute.
    await o.removeResource(dev, later.id, 'slow-1');
    expect((await o.plan(dev, later.id)).plan.status).toBe('succeeded');
    await o.approve(approver, later.id);
    expect((await (await o.apply(later.id, approver.userName)).result).status).toBe('succeeded');
    expect((await o.recoveryCard(admin, s.id)).actions).toEqual(['replan', 'refresh', 'rollback'].map((action) => ({ action, bar: 'superseded' })));
    for (const action of ['replan', 'refresh', 'rollback'] as const) {
      await expect(o.startRecovery(admin, s.id, action), action).rejects.toMatchObject({ refusal: { kind: 'recovery_superseded', sessionId: later.id } });
    }
    expect(await getLock(sqlOf(t.app), keyOf('shop'))).toBeUndefined();
  }, 120_000);
});
