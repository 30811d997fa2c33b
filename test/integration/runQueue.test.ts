/**
 * Runs on the queue (RUN_QUEUE=workers) in one process, on a real PostgreSQL server: what happens to a run
 * the queue holds before any worker takes it. Stopping it ends it at once and nothing runs later; one that
 * waits past RUN_QUEUE_WAIT_SECONDS is ended by recovery, never run; a job delivered again runs nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approver, dev, keyOf, restartedProcess, sandboxProject, testApp, vm, type TestApp } from '../helpers/app.js';
import { freshDatabase, PG_ADMIN_URL, PG_UNAVAILABLE } from '../helpers/postgres.js';
import { started as applyStarted } from '../helpers/approval.js';
import { warmPolicyWorker } from '../helpers/policy.js';

if (!PG_ADMIN_URL) console.warn(`The run-queue suite is skipped: ${PG_UNAVAILABLE}`);

describe.skipIf(!PG_ADMIN_URL)('a run the queue holds, before any worker', () => {
  let asker: TestApp;
  let worker: TestApp;
  let url: string;

  beforeEach(async () => {
    await warmPolicyWorker();
    url = await freshDatabase();
    const env = { DATABASE_URL: url, RUN_QUEUE: 'workers', RUN_QUEUE_WAIT_SECONDS: '60' };
    asker = await testApp({ env });
    // Another process on the same store: the worker.
    worker = await testApp({ env, dir: asker.dir, owner: restartedProcess() });
    await sandboxProject(asker.app);
  });
  afterEach(() => {
    worker.app.close();
    asker.cleanup();
  });

  /** A session planned by a worker, then approved: its apply waits on the queue. */
  async function approved() {
    const o = asker.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-1'));
    const started = await o.beginPlan(dev, s.id);
    const lock = (await asker.app.store.locks.get(keyOf('shop')))!;
    expect(lock.owner).toMatchObject({ host: 'run-queue', pid: 0 });
    const plan = (await asker.app.store.plans.latest(s.id))!;
    expect(await worker.app.orchestrator.runQueued({ kind: 'plan', planId: plan.id, sessionId: s.id, actor: dev })).toMatchObject({ status: 'succeeded' });
    expect((await started.outcome).plan.status).toBe('succeeded');
    const { deployment, run } = applyStarted(await o.approveAndApply(approver, s.id));
    return { s, deployment, run };
  }

  it('GIVEN stop while the apply waits THEN it is recorded INTERRUPTED at once with nothing changed, and the job delivered later runs nothing', async () => {
    const { s, deployment, run } = await approved();
    await asker.app.orchestrator.stopApply(dev, 'shop');
    const result = await run.result;
    expect(result).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/^Stopped by dan-dev before a worker took it; nothing was changed\./) });
    expect(result.warnings).toEqual([]);
    expect(await asker.app.store.locks.get(keyOf('shop'))).toBeUndefined();
    expect(await worker.app.orchestrator.runQueued({ kind: 'apply', deploymentId: deployment.id, sessionId: s.id, actorName: approver.userName })).toBeUndefined();
    expect(await asker.app.store.states.latest(keyOf('shop'))).toBeUndefined();
  });

  it('GIVEN an apply no worker takes within RUN_QUEUE_WAIT_SECONDS THEN recovery ends it saying so, and it never runs', async () => {
    const { s, deployment, run } = await approved();
    asker.clock.advance(61_000);
    worker.clock.advance(61_000);
    await asker.app.orchestrator.recover();
    expect(await run.result).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/^No worker took this apply off the run queue in time \(RUN_QUEUE_WAIT_SECONDS\); nothing was changed\./) });
    expect(await worker.app.orchestrator.runQueued({ kind: 'apply', deploymentId: deployment.id, sessionId: s.id, actorName: approver.userName })).toBeUndefined();
    expect(await asker.app.store.locks.get(keyOf('shop'))).toBeUndefined();
  });

  it('GIVEN the same apply job delivered to two workers at once THEN it runs once', async () => {
    const { s, deployment, run } = await approved();
    const other = await testApp({ env: { DATABASE_URL: url, RUN_QUEUE: 'workers' }, dir: asker.dir, owner: restartedProcess() });
    try {
      const job = { kind: 'apply' as const, deploymentId: deployment.id, sessionId: s.id, actorName: approver.userName };
      const results = await Promise.all([worker.app.orchestrator.runQueued(job), other.app.orchestrator.runQueued(job)]);
      expect(results.filter(Boolean)).toEqual([expect.objectContaining({ status: 'succeeded' })]);
      expect((await run.result).status).toBe('succeeded');
    } finally {
      other.app.close();
    }
  });
});
