/**
 * Leases and fencing with two processes' views of one store: `a` runs Terraform for real; `b` is the
 * same database opened as another process on another host would (its own identity), so it may only
 * presume `a` dead once `a`'s lease has expired by its clock. Real Terraform, real SQLite.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/db/audit.js';
import { getDeploymentBySession } from '../../src/db/deployments.js';
import { getLock, takeOver } from '../../src/db/locks.js';
import { recoverLock } from '../../src/core/recovery.js';
import { getSession } from '../../src/db/sessions.js';
import { latestState } from '../../src/db/states.js';
import { admin, approver, dev, sandboxProject, slowApply, testApp, vm, type TestApp, dbOf, keyOf, repoOf, runDirsOf, sqlOf } from '../helpers/app.js';

let a: TestApp;
let b: TestApp;
const ELSEWHERE = { host: 'another-machine', pid: 4242, started: '777' };

beforeEach(async () => {
  a = await testApp({ realClock: true });
  await sandboxProject(a.app);
  b = await testApp({ dir: a.dir, owner: ELSEWHERE });
});
afterEach(() => {
  b.app.close();
  a.cleanup();
});

const codeOf = async (fn: () => unknown) => {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    return e instanceof CoreError ? e.code : String(e);
  }
};

const names = (stateJson: string) => (JSON.parse(stateJson) as { resources: Array<{ name: string; instances: unknown[] }> }).resources.filter((r) => r.instances.length).map((r) => r.name).sort();

/** `t` applies three quick VMs and two slow ones; resolves once the quick ones are created. */
const slowApplyIn = (t: TestApp) => slowApply(t.app, 2);

describe('approval needs the lock', () => {
  it('GIVEN a planned session whose lock an admin force-released THEN it cannot be approved, whether or not another session took the lock', async () => {
    const o = a.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    expect(await o.forceUnlock(admin, 'shop', 'owner on holiday')).toEqual({ released: true, sessionId: s.id });
    expect(await codeOf(() => o.approve(approver, s.id))).toBe('locked');
    const other = await o.startSession(admin, 'shop');
    await o.addResource(admin, other.id, vm('web-2'));
    await o.plan(admin, other.id);
    expect(await codeOf(() => o.approve(approver, s.id))).toBe('locked');
    expect((await getSession(sqlOf(a.app), s.id))?.state).toBe('PLANNED');
    expect((await getLock(sqlOf(a.app), keyOf('shop')))?.sessionId).toBe(other.id);
    expect((await queryAudit(sqlOf(a.app), { eventType: 'approval_refused' })).map((e) => e.details.reason)).toEqual(['lock_not_held', 'lock_not_held']);
    expect((await getDeploymentBySession(sqlOf(a.app), s.id))).toBeUndefined();
  });
});

describe('force-unlock of a running apply', () => {
  it('GIVEN an apply running in another process THEN a plain force-unlock is refused naming the run, recovery there leaves the run alone, and its owner still records its end', async () => {
    const { sessionId, run, drain } = await slowApplyIn(a);
    const refused = await b.app.orchestrator.forceUnlock(admin, 'shop', 'looks stuck').catch((e: unknown) => e as CoreError);
    expect(refused).toBeInstanceOf(CoreError);
    expect((refused as CoreError).code).toBe('locked');
    expect((refused as CoreError).message).toMatch(new RegExp(`run in progress \\(session ${sessionId.slice(0, 8)}, process ${process.pid} on `));
    expect((refused as CoreError).message).toMatch(/Interrupt it first/);
    expect((await getLock(sqlOf(a.app), keyOf('shop')))?.sessionId).toBe(sessionId);
    expect((await queryAudit(sqlOf(a.app), { eventType: 'lock_force_release_refused' }))).toHaveLength(1);
    // Recovery in the other process leaves the live run alone too.
    const report = await b.app.orchestrator.recover();
    expect(report.interrupted).toEqual([]);
    await a.app.orchestrator.cancelApply(dev, sessionId);
    await drain();
    const result = await run.result;
    expect(result).toMatchObject({ status: 'interrupted', recorded: true });
    expect((await getLock(sqlOf(a.app), keyOf('shop')))).toBeUndefined();
  }, 90_000);

  it('GIVEN force-unlock with interrupt from another process THEN the apply stops through its lease, its state is saved, and the next plan starts from it', async () => {
    const { sessionId, run, drain } = await slowApplyIn(a);
    const unlocking = b.app.orchestrator.forceUnlock(admin, 'shop', 'emergency: wrong region', { interrupt: true });
    const lines = await drain();
    const result = await run.result;
    expect(await unlocking).toEqual({ released: true, sessionId, interrupted: true });
    expect(lines.some((l) => /Interrupt received/.test(l))).toBe(true);
    expect(result).toMatchObject({ status: 'interrupted', recorded: true });
    expect((await getSession(sqlOf(a.app), sessionId))?.state).toBe('INTERRUPTED');
    expect((await getLock(sqlOf(a.app), keyOf('shop')))).toBeUndefined();
    const saved = (await latestState(sqlOf(a.app), keyOf('shop')))!;
    expect(names(saved.stateJson)).toEqual(expect.arrayContaining(['fast-1', 'fast-2', 'fast-3']));
    const events = (await queryAudit(sqlOf(a.app), { projectId: keyOf('shop') })).map((e) => e.eventType);
    expect(events).toEqual(expect.arrayContaining(['run_interrupt_requested', 'deployment_interrupted', 'lock_force_released']));

    const next = await b.app.orchestrator.startSession(admin, 'shop');
    const planned = await b.app.orchestrator.plan(admin, next.id);
    // The new session starts from what exists: nothing the interrupted apply created is destroyed (tainted ones are replaced).
    expect(planned.plan.changes.filter((c) => c.actions.join() === 'delete')).toEqual([]);
    expect(planned.plan.toAdd).toBe(planned.plan.toDestroy);
    expect(planned.plan.stateSerial).toBe(saved.serial);
  }, 90_000);
});

describe('fencing', () => {
  it('GIVEN a run whose lease expired and was taken over THEN it stops its Terraform, and every later write it tries is refused and audited', async () => {
    const { sessionId, run, drain } = await slowApplyIn(a);
    const before = (await latestState(sqlOf(a.app), keyOf('shop')))?.serial ?? null;
    // `b`'s clock is past `a`'s lease: to `b`, `a` stopped renewing a minute ago.
    b.clock.advance(Date.now() - b.clock.now().getTime() + 5 * 60_000);
    const report = await b.app.orchestrator.recover();
    expect(report.interrupted.map((r) => r.session.id)).toEqual([sessionId]);
    expect((await getLock(sqlOf(a.app), keyOf('shop')))).toBeUndefined();
    const takeover = (await queryAudit(sqlOf(a.app), { eventType: 'lease_taken_over' }));
    expect(takeover[0]?.details).toMatchObject({ reason: 'expired', previous_owner: { pid: process.pid } });

    await drain();
    const result = await run.result;
    expect(result.recorded).toBe(false);
    expect(result.error).toMatch(/lost its lease/);
    // The session stays as the taker-over recorded it; nothing of the fenced-out run reached the store.
    expect((await getSession(sqlOf(a.app), sessionId))?.state).toBe('INTERRUPTED');
    expect((await getDeploymentBySession(sqlOf(a.app), sessionId))?.error).toMatch(/process running this apply stopped/);
    const fenced = (await queryAudit(sqlOf(a.app), { eventType: 'run_fenced_out' }));
    expect(fenced).toHaveLength(1);
    const saved = (await latestState(sqlOf(a.app), keyOf('shop')));
    expect(saved === undefined || saved.sessionId === sessionId || saved.serial === before).toBe(true);
    const unrecorded = dbOf(a.app).prepare('SELECT count(*) FROM unrecorded_states WHERE session_id = ?').pluck().get(sessionId) as number;
    const stateAudit = (await queryAudit(sqlOf(a.app), { eventType: 'state_unrecorded' }));
    expect(unrecorded).toBe(stateAudit.length);
  }, 90_000);
});

describe('plans applied from the store', () => {
  it('GIVEN a plan made in one process (its directory gone) THEN another process approves and applies exactly that plan from the store', async () => {
    const s = await a.app.orchestrator.startSession(dev, 'shop');
    await a.app.orchestrator.addResource(dev, s.id, vm('web-1'));
    const planned = await a.app.orchestrator.plan(dev, s.id);
    expect(readdirSync(runDirsOf(a.dir, 'shop'))).toEqual([]);
    const other = await testApp({ dir: a.dir, realClock: true, owner: { ...ELSEWHERE, host: hostname(), pid: 1 } });
    try {
      await other.app.orchestrator.approve(approver, s.id);
      const run = await other.app.orchestrator.apply(s.id, approver.userName);
      const lines: string[] = [];
      for await (const l of run.lines) lines.push(l);
      const result = await run.result;
      expect(result).toMatchObject({ status: 'succeeded', recorded: true });
      expect(lines).toContain('Apply complete! Resources: 1 added, 0 changed, 0 destroyed.');
      expect(planned.plan.planFileHash).toMatch(/^[0-9a-f]{64}$/);
      expect(names((await latestState(sqlOf(a.app), keyOf('shop')))!.stateJson)).toEqual(['web-1']);
    } finally {
      other.app.close();
    }
  });

  it('GIVEN the saved plan changed in the store after review THEN approval is refused as stale and nothing is applied', async () => {
    const o = a.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    const planned = await o.plan(dev, s.id);
    dbOf(a.app).prepare('UPDATE plans SET plan_bytes = ? WHERE id = ?').run(Buffer.from('not the reviewed plan'), planned.plan.id);
    const refused = await codeOf(() => o.approve(approver, s.id));
    expect(refused).toBe('stale_plan');
    expect((await getDeploymentBySession(sqlOf(a.app), s.id))).toBeUndefined();
    expect((await queryAudit(sqlOf(a.app), { eventType: 'approval_refused' }))[0]?.details).toMatchObject({ stale: { why: 'plan_file' } });
  });
});

describe('recovery judges what it sees now', () => {
  it('GIVEN a lock read before its owner renewed it THEN neither recovery nor the takeover statement moves it', async () => {
    const { sessionId, run, drain } = await slowApplyIn(a);
    const live = (await getLock(sqlOf(a.app), keyOf('shop')))!;
    const staleView = { ...live, expiresAt: '2000-01-01T00:00:00.000Z' };
    const elsewhere = await testApp({ dir: a.dir, realClock: true, owner: ELSEWHERE });
    try {
      expect(await recoverLock(elsewhere.app.orchestrator.deps, staleView, { interrupted: [], planFailed: [] })).toBe(false);
      expect((await takeOver(sqlOf(elsewhere.app), staleView, ELSEWHERE, new Date().toISOString(), new Date().toISOString()))).toBeUndefined();
      expect((await getLock(sqlOf(a.app), keyOf('shop')))).toMatchObject({ sessionId, fence: live.fence, owner: live.owner });
    } finally {
      elsewhere.app.close();
    }
    await a.app.orchestrator.cancelApply(dev, sessionId);
    await drain();
    expect(await run.result).toMatchObject({ status: 'interrupted', recorded: true });
    expect((await queryAudit(sqlOf(a.app), { eventType: 'lease_taken_over' }))).toEqual([]);
  }, 60_000);
});

describe('a working tree that cannot be written', () => {
  it('GIVEN the project repository’s files cannot be written THEN the apply is recorded with a warning, and every later command still works', async () => {
    const o = a.app.orchestrator;
    mkdirSync(join(repoOf(a.dir, 'shop'), 'cloud-engine.json'), { recursive: true });
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    await o.plan(dev, s.id);
    await o.approve(approver, s.id);
    const result = await (await o.apply(s.id, approver.userName)).result;
    expect(result).toMatchObject({ status: 'succeeded', recorded: true, commitHash: null });
    expect(result.warnings).toContain('The deployment succeeded but could not be committed to the project repository.');
    expect((await getSession(sqlOf(a.app), s.id))?.state).toBe('APPLIED');
    expect((await getLock(sqlOf(a.app), keyOf('shop')))).toBeUndefined();
    expect((await o.recover()).interrupted).toEqual([]);
    const next = await o.startSession(dev, 'shop');
    expect((await o.plan(dev, next.id)).summaryLine).toMatch(/^No changes/);
  });
});
