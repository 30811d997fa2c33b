/**
 * Applies on the run queue (RUN_QUEUE=workers): real `cloud-engine worker` processes take approved applies
 * from PostgreSQL (pg-boss), while the CLI processes that approved them relay Terraform's lines from the
 * store. Then one worker's whole process group is SIGKILLed mid-apply and its run directory deleted: the
 * apply is recorded INTERRUPTED with the state the worker had saved while it ran, never run again, and
 * the project is free. Real Terraform on `sandbox`, a real PostgreSQL server.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgStore } from '../../src/db/postgres.js';
import { projectKey } from '../../src/domain/projects.js';
import { freshDatabase, withPgStore, onDatabase, PG_ADMIN_URL, PG_UNAVAILABLE } from '../helpers/postgres.js';
import { cliDirs, createdInOutput, createProjects, runCli, spawnCli, specNames, type CliProcess } from './helpers/cli.js';
import { fleet } from './helpers/lobbies.js';
import { createdIn, until, type TfState } from './helpers/until.js';

// A short lease, so that a killed worker's apply is settled within seconds.
const dirs = cliDirs({ RUN_QUEUE: 'workers', LEASE_TTL_SECONDS: '8' });
let env: Record<string, string> = {};
const workers: CliProcess[] = [];
const key = (name: string) => projectKey('local', name);
const PROJECTS = Array.from({ length: 8 }, (_, i) => `queued-${i + 1}`);

if (!PG_ADMIN_URL) console.warn(`The run-queue process suite is skipped: ${PG_UNAVAILABLE}`);

const withPg = <T>(fn: (store: PgStore) => Promise<T>) => withPgStore(env.DATABASE_URL!, fn);

const stopAll = () => {
  for (const w of workers) {
    try { process.kill(-w.child.pid!, 'SIGKILL'); } catch { /* already gone */ }
  }
};

describe.skipIf(!PG_ADMIN_URL)('applies on the run queue, run by worker processes', () => {
  beforeAll(async () => {
    env = { ...dirs.env, DATABASE_URL: await freshDatabase() };
    await createProjects(env, [...PROJECTS, 'doomed', 'ctrl-c', 'sigterm']);
    for (let i = 0; i < 3; i++) {
      const w = spawnCli(['worker', '--concurrency', '2'], env);
      workers.push(w);
      await until(() => w.stdout().includes('takes plans and applies, 2 at a time'), 30_000, () => `${w.stdout()}\n${w.stderr()}`);
    }
  }, 120_000);
  afterAll(() => {
    stopAll();
    dirs.cleanup();
  });

  it('GIVEN eight CLI applies at once THEN workers plan and apply each once, every CLI relays its own Terraform lines from the store, and each saved state holds what was applied', async () => {
    const resources = (p: string) => fleet(3, { prefix: `${p}-` });
    const applies = PROJECTS.map((p) => ({ p, run: spawnCli(['apply', '--project', p, '--resources', dirs.file(p, resources(p)), '--yes', '--accept-risk'], env) }));
    const codes = await Promise.all(applies.map((a) => a.run.exited));
    for (const [i, a] of applies.entries()) {
      expect(codes[i], `${a.p}: ${a.run.stderr()}`).toBe(0);
      // The lines came through the store, in order, each once: the relay neither lost nor repeated one.
      expect(createdInOutput(a.run.stdout()), a.p).toEqual(specNames(resources(a.p)));
      expect(a.run.stdout()).toMatch(/Apply complete! Resources: 3 added/);
    }
    const taken = workers.map((w) => (w.stdout().match(/apply \w{8}: taken/g) ?? []).length);
    expect(taken.reduce((a, b) => a + b, 0)).toBe(PROJECTS.length);
    // The plans ran on workers too: none in the CLI processes that asked for them.
    expect(workers.map((w) => (w.stdout().match(/plan \w{8}: succeeded/g) ?? []).length).reduce((a, b) => a + b, 0)).toBe(PROJECTS.length);
    expect(taken.filter((n) => n > 0).length, `jobs per worker: ${taken.join(', ')}`).toBeGreaterThanOrEqual(2);
    await withPg(async (store) => {
      for (const p of PROJECTS) {
        const state = (await store.states.latest(key(p)))!;
        expect(createdIn(JSON.parse(state.stateJson) as TfState).sort(), p).toEqual(specNames(resources(p)));
        expect(await store.locks.get(key(p)), p).toBeUndefined();
        const [d] = await store.deployments.list(key(p));
        expect(d, p).toMatchObject({ status: 'succeeded' });
        expect(d!.terraformStartedAt! >= d!.startedAt, p).toBe(true);
        expect(d!.commitHash, p).toMatch(/^[0-9a-f]{40}$/);
      }
    });
    const status = await runCli(['status', '--json'], env);
    expect(status.code, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout) as { runs: string; workers: Array<{ alive: boolean }>; queue: { waiting: number }; running: unknown[] };
    expect(s).toMatchObject({ runs: 'workers', queue: { waiting: 0 }, running: [] });
    expect(s.workers.filter((w) => w.alive)).toHaveLength(3);
  }, 240_000);

  it('GIVEN a worker whose whole process group is SIGKILLed mid-apply and whose run directory is deleted THEN the apply is recorded INTERRUPTED with the state saved while it ran, is never run again, and the project is free', async () => {
    const resources = fleet(6, { slow: 3, bootSeconds: 30, prefix: 'd-' });
    const apply = spawnCli(['apply', '--project', 'doomed', '--resources', dirs.file('doomed', resources), '--yes', '--accept-risk'], env);
    await until(() => createdInOutput(apply.stdout()).length >= 3, 60_000, () => apply.stdout() + apply.stderr());
    const { sessionId, deploymentId, pid } = await withPg(async (store) => {
      const lock = (await store.locks.get(key('doomed')))!;
      return { sessionId: lock.sessionId, deploymentId: (await store.deployments.bySession(lock.sessionId))!.id, pid: lock.owner!.pid };
    });
    const victim = workers.find((w) => w.child.pid === pid);
    expect(victim, `lease owner pid ${pid} is one of the workers`).toBeDefined();
    // Give the worker's state watcher a moment to have saved what Terraform created so far.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    process.kill(-pid, 'SIGKILL');
    rmSync(join(dirs.dir, 'runs', '.runs', 'local', 'doomed', deploymentId), { recursive: true, force: true });
    const code = await apply.exited;
    expect(code, apply.stderr()).toBe(1);
    expect(apply.stderr()).toMatch(/Apply interrupted/);
    await withPg(async (store) => {
      const d = (await store.deployments.bySession(sessionId))!;
      expect(d.status).toBe('interrupted');
      const state = (await store.states.latest(key('doomed')))!;
      expect(state.sessionId).toBe(sessionId);
      const saved = createdIn(JSON.parse(state.stateJson) as TfState);
      // At most the resources in flight (the three slow ones) are missing from what was saved.
      expect(saved).toEqual(expect.arrayContaining(specNames(resources).filter((n) => !n.includes('slow'))));
      expect(d.stateSerial).toBe(state.serial);
      expect(await store.locks.get(key('doomed'))).toBeUndefined();
      expect((await store.sessions.get(sessionId))?.state).toBe('INTERRUPTED');
      expect((await store.audit.query({ projectId: key('doomed'), eventType: 'deployment_approved' }))).toHaveLength(1);
    });
    // No other worker takes it again: the job ends with the run, never retried.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const takenAgain = workers.filter((w) => w !== victim).some((w) => w.stdout().includes(`apply ${deploymentId.slice(0, 8)}: taken`));
    expect(takenAgain).toBe(false);
    const jobs = await onDatabase<{ state: string }>(env.DATABASE_URL!, "SELECT state::text AS state FROM cloud_engine_queue.job WHERE id = $1", [deploymentId]);
    expect(jobs.map((j) => j.state)).not.toContain('created');
    // The project works again at once.
    const next = await runCli(['plan', '--project', 'doomed', '--resources', dirs.file('doomed', resources)], env);
    expect(next.code, next.stderr).toBe(0);
  }, 240_000);

  it('GIVEN an operator pressing Ctrl-C in the CLI that approved an apply a worker runs THEN the apply is stopped through its lease, recorded INTERRUPTED with its state, and the CLI exits 130', async () => {
    const resources = fleet(4, { slow: 2, bootSeconds: 30, prefix: 'c-' });
    const apply = spawnCli(['apply', '--project', 'ctrl-c', '--resources', dirs.file('ctrl-c', resources), '--yes', '--accept-risk'], env);
    await until(() => createdInOutput(apply.stdout()).length >= 2, 60_000, () => apply.stdout() + apply.stderr());
    process.kill(apply.child.pid!, 'SIGINT');
    expect(await apply.exited, apply.stderr()).toBe(130);
    await withPg(async (store) => {
      const [d] = await store.deployments.list(key('ctrl-c'));
      expect(d!.status).toBe('interrupted');
      expect(createdIn(JSON.parse((await store.states.latest(key('ctrl-c')))!.stateJson) as TfState)).toEqual(expect.arrayContaining(['c-r-03', 'c-r-04']));
      expect(await store.locks.get(key('ctrl-c'))).toBeUndefined();
    });
  }, 120_000);

  it('GIVEN SIGTERM to a worker mid-apply THEN it stops taking jobs, interrupts the run in hand at once, records it INTERRUPTED itself, and exits', async () => {
    const resources = fleet(4, { slow: 2, bootSeconds: 60, prefix: 't-' });
    const apply = spawnCli(['apply', '--project', 'sigterm', '--resources', dirs.file('sigterm', resources), '--yes', '--accept-risk'], env);
    await until(() => createdInOutput(apply.stdout()).length >= 2, 60_000, () => apply.stdout() + apply.stderr());
    const pid = await withPg(async (store) => (await store.locks.get(key('sigterm')))!.owner!.pid);
    const worker = workers.find((w) => w.child.pid === pid)!;
    const t0 = Date.now();
    process.kill(pid, 'SIGTERM');
    expect(await worker.exited, worker.stderr()).toBe(0);
    expect(Date.now() - t0, 'the worker did not wait for its 60-second resources').toBeLessThan(30_000);
    expect(worker.stdout()).toMatch(/: interrupted\n[\s\S]*Worker \w{8} stopped\./);
    expect(await apply.exited).toBe(1);
    expect(apply.stderr()).toMatch(/Apply interrupted/);
    await withPg(async (store) => {
      const [d] = await store.deployments.list(key('sigterm'));
      expect(d!.status).toBe('interrupted');
      // Recorded by the worker itself, not settled by someone else after its lease ran out.
      expect(await store.audit.query({ projectId: key('sigterm'), eventType: 'lease_taken_over' })).toEqual([]);
      expect(await store.locks.get(key('sigterm'))).toBeUndefined();
    });
  }, 120_000);
});

describe.skipIf(!PG_ADMIN_URL)('a run on the queue that no worker has taken yet', () => {
  it('GIVEN unlock --interrupt while the plan waits for a worker THEN it ends at once, failed with nothing run and the project free, and a worker that gets the job later runs nothing', async () => {
    const own = cliDirs({ RUN_QUEUE: 'workers', LEASE_TTL_SECONDS: '8' });
    const quiet = { ...own.env, DATABASE_URL: await freshDatabase() };
    try {
      await createProjects(quiet, ['waiting']);
      const apply = spawnCli(['apply', '--project', 'waiting', '--resources', own.file('waiting', fleet(2)), '--yes', '--accept-risk'], quiet);
      for (let held = false; !held; await new Promise((resolve) => setTimeout(resolve, 200))) {
        held = await withPgStore(quiet.DATABASE_URL, async (store) => (await store.locks.get(key('waiting')))?.owner?.host === 'run-queue');
      }
      const unlock = await runCli(['unlock', '--project', 'waiting', '--reason', 'no workers tonight', '--interrupt'], quiet);
      expect(unlock.code, unlock.stderr).toBe(0);
      expect(await apply.exited).toBe(1);
      expect(apply.stdout() + apply.stderr()).toMatch(/Stopped by .* before a worker took it/);
      const late = spawnCli(['worker'], quiet);
      try {
        await until(() => late.stdout().includes('no longer queued; nothing ran'), 30_000, () => late.stdout() + late.stderr());
      } finally {
        process.kill(late.child.pid!, 'SIGTERM');
        await late.exited;
      }
      await withPgStore(quiet.DATABASE_URL, async (store) => {
        expect(await store.states.latest(key('waiting'))).toBeUndefined();
        expect(await store.locks.get(key('waiting'))).toBeUndefined();
        expect(await store.deployments.list(key('waiting'))).toEqual([]);
      });
    } finally {
      own.cleanup();
    }
  }, 120_000);
});
