import PgBoss from 'pg-boss';
import { describeUrl } from '../config.js';
import { CoreError } from '../domain/errors.js';
import type { QueuedRun, QueueHealth, WorkerQueue } from '../domain/queue.js';
import type { PgStore } from './postgres.js';
import { QUEUE_HOST } from '../domain/runs.js';

/** One queue for plans and applies, so that a worker's concurrency bounds both. */
const RUNS = 'runs';
/** pg-boss keeps its own tables in this schema of the store's database. */
const SCHEMA = 'cloud_engine_queue';
/** pg-boss refuses an expiry beyond a day. */
const MAX_EXPIRY_SECONDS = 24 * 3600;

/**
 * The run queue on pg-boss (PostgreSQL's `SKIP LOCKED` job queue), in the store's database. A job is
 * sent inside the approval's own transaction, so it exists exactly when the approval committed; it is
 * never retried (retryLimit 0): an apply that did not finish is settled by recovery as interrupted.
 */
export class PgRunQueue implements WorkerQueue {
  private constructor(private readonly boss: PgBoss, private readonly store: PgStore, readonly waitMs: number, private readonly expireInSeconds: number) {}

  /**
   * Connects the queue. Workers supervise it (pg-boss maintenance: expiry, archiving); every other
   * process only sends and reads.
   */
  static async open(url: string, store: PgStore, opts: { waitMs: number; runTimeoutSeconds: number; supervise: boolean }): Promise<PgRunQueue> {
    const boss = new PgBoss({ connectionString: url, schema: SCHEMA, max: 4, supervise: opts.supervise, schedule: false, application_name: 'cloud-engine' });
    boss.on('error', () => undefined);
    const expireInSeconds = Math.min(MAX_EXPIRY_SECONDS, opts.runTimeoutSeconds + 600);
    try {
      await boss.start();
      await boss.createQueue(RUNS, { name: RUNS, retryLimit: 0, expireInSeconds });
    } catch (e) {
      await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
      throw new CoreError('storage', `Cannot open the run queue in PostgreSQL at ${describeUrl(url)}: ${(e as Error).message}`);
    }
    return new PgRunQueue(boss, store, opts.waitMs, expireInSeconds);
  }

  async enqueue(job: QueuedRun): Promise<void> {
    // The job id is the deployment's or the plan's: one run can never be queued twice.
    await this.boss.send(RUNS, job, { id: job.kind === 'apply' ? job.deploymentId : job.planId, retryLimit: 0, expireInSeconds: this.expireInSeconds, ...this.store.inTransactionDb() });
  }

  async work(concurrency: number, run: (job: QueuedRun) => Promise<unknown>): Promise<void> {
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<QueuedRun>(RUNS, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => { if (job) await run(job.data); });
    }
  }

  /** Stops taking jobs; the ones in hand finish (or are interrupted by the caller's shutdown) first. */
  async stopTaking(): Promise<void> {
    await this.boss.offWork(RUNS);
  }

  async health(): Promise<QueueHealth> {
    // Only jobs whose run the queue still holds: a run stopped or settled while queued leaves its job behind, which a worker skips.
    const { rows } = await this.boss.getDb().executeSql(`SELECT COUNT(*)::int AS waiting, MIN(j.created_on) AS oldest FROM ${SCHEMA}.job j
      WHERE j.name = $1 AND j.state IN ('created', 'retry') AND EXISTS (SELECT 1 FROM locks l WHERE l.owner_host = $2 AND l.owner_started = j.id::text)`, [RUNS, QUEUE_HOST]);
    const row = rows[0] as { waiting: number; oldest: Date | null };
    return { waiting: row.waiting, oldestWaitingSince: row.oldest ? row.oldest.toISOString() : null };
  }

  async close(): Promise<void> {
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => undefined);
  }
}
