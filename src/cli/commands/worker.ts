import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { WORKER_BEAT_MS } from '../../core/cluster.js';
import { localRunCount } from '../../core/runs.js';
import { CoreError } from '../../domain/errors.js';
import { numberFlag, parseFlags } from '../args.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const usage = 'cloud-engine worker [--concurrency <1-64>]   (takes plans and approved applies off the run queue in PostgreSQL until SIGTERM/SIGINT)';

export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'Run plans and approved applies from the queue in PostgreSQL, N at a time, on this machine',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, { concurrency: { type: 'string' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    if (positionals.length) return ctx.io.err(`unexpected argument '${positionals[0]}'.\nUsage: ${usage}`), 1;
    const concurrency = numberFlag(values.concurrency, 'concurrency', 1, 64) ?? 1;
    if (!Number.isInteger(concurrency)) throw new CoreError('validation', `--concurrency must be a whole number from 1 to 64, got '${values.concurrency}'`);
    if (!ctx.config.DATABASE_URL) throw new CoreError('validation', 'a worker takes its runs from the queue in PostgreSQL: set DATABASE_URL (postgres://…)');
    return withApp(ctx.config, { queue: 'work' }, async (app, stopped) => {
      const queue = app.queue!;
      const o = app.orchestrator;
      const id = randomUUID();
      const startedAt = new Date().toISOString();
      const beat = (stopping: boolean) => o.reportWorker({ id, host: hostname(), pid: process.pid, startedAt, heartbeatAt: new Date().toISOString(), concurrency, running: localRunCount(), stopping })
        .catch((err: unknown) => app.log.warn({ err }, 'the worker could not report itself'));
      await beat(false);
      const beating = setInterval(() => void beat(false), WORKER_BEAT_MS);
      await queue.work(concurrency, async (job) => {
        const what = job.kind === 'apply' ? `apply ${job.deploymentId.slice(0, 8)}` : `plan ${job.planId.slice(0, 8)}`;
        ctx.io.out(`${what}: taken (session ${job.sessionId.slice(0, 8)})`);
        const result = await o.runQueued(job);
        ctx.io.out(`${what}: ${result ? result.status : 'no longer queued; nothing ran'}`);
      });
      ctx.io.out(`Worker ${id.slice(0, 8)} on ${hostname()} (pid ${process.pid}) takes plans and applies, ${concurrency} at a time. Stop it with SIGTERM or Ctrl-C: runs in hand are interrupted safely and recorded.`);
      await new Promise<void>((resolve) => stopped.addEventListener('abort', () => resolve(), { once: true }));
      clearInterval(beating);
      await queue.stopTaking();
      await beat(true);
      // withApp's signal handler interrupts the runs in hand; they are recorded before the process ends.
      await o.shutdown();
      await o.workerGone(id).catch(() => undefined);
      ctx.io.out(`Worker ${id.slice(0, 8)} stopped.`);
      return 0;
    });
  },
};
