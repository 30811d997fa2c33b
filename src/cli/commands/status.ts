import { describeUrl } from '../../config.js';
import { parseFlags } from '../args.js';
import { operatorActor } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const usage = 'cloud-engine status [--json]   (workers, the run queue, and every apply running now)';
const ago = (iso: string, now: number) => `${Math.max(0, Math.round((now - Date.parse(iso)) / 1000))} s ago`;

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'Health of the runs: workers, queue depth, running applies, the oldest waiting run',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    if (positionals.length) return ctx.io.err(`unexpected argument '${positionals[0]}'.\nUsage: ${usage}`), 1;
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: true, ...(ctx.config.DATABASE_URL ? { queue: 'read' as const } : {}) }, async (app) => {
      const s = await app.orchestrator.status(operatorActor(), app.queue);
      if (values.json) return ctx.io.out(JSON.stringify(s, null, 2)), 0;
      const now = Date.now();
      const store = ctx.config.DATABASE_URL ? `PostgreSQL ${describeUrl(ctx.config.DATABASE_URL)}` : `SQLite ${ctx.config.DATABASE_PATH}`;
      ctx.io.out(`Store: ${store}`);
      ctx.io.out(`Applies run: ${s.runs === 'workers' ? 'on workers, from the queue (RUN_QUEUE=workers)' : 'in the process that approves them (RUN_QUEUE=local)'}`);
      const alive = s.workers.filter((w) => w.alive);
      ctx.io.out(`Workers: ${alive.length} alive${s.workers.length > alive.length ? `, ${s.workers.length - alive.length} silent (presumed gone)` : ''}`);
      for (const w of s.workers) {
        ctx.io.out(`  ${w.id.slice(0, 8)}  ${w.host} pid ${w.pid}  ${w.running}/${w.concurrency} running  last seen ${ago(w.heartbeatAt, now)}${w.stopping ? '  stopping' : ''}${w.alive ? '' : '  SILENT'}`);
      }
      if (s.queue) ctx.io.out(`Queue: ${s.queue.waiting} waiting${s.queue.oldestWaitingSince ? `, the oldest approved ${ago(s.queue.oldestWaitingSince, now)}` : ''}`);
      ctx.io.out(`Running applies: ${s.running.length}`);
      for (const r of s.running) {
        const where = r.owner ? (r.owner.pid === 0 ? 'waiting for a worker' : `on ${r.owner.host} pid ${r.owner.pid}`) : 'no live owner (recovery settles it)';
        ctx.io.out(`  ${r.projectId}  session ${r.sessionId.slice(0, 8)}  approved ${ago(r.approvedAt, now)}${r.terraformStartedAt ? `, Terraform since ${ago(r.terraformStartedAt, now)}` : ''}  ${where}`);
      }
      return 0;
    });
  },
};
