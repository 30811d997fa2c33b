import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '../../app.js';
import type { Config } from '../../config.js';
import type { ResourceSpec } from '../../domain/resources.js';
import { formatUsd } from '../../domain/money.js';
import { parseFlags } from '../args.js';
import { operatorActor } from '../operator.js';
import { approveAndRun, printApplyResult, printPlan, streamApply, syncSessionResources } from '../sessionRun.js';
import { withApp } from '../withApp.js';
import type { CliCommand, CliIo } from '../types.js';

const usage = 'cloud-engine demo [--dir <data dir>] [--quiet]';

const FIRST: ResourceSpec[] = [
  { type: 'compute_vm', name: 'web-1', region: 'local', zone: 'local-a', machine_type: 'medium', disk_size_gb: 50, disk_type: 'ssd', image: 'debian-12' },
  { type: 'database', name: 'orders-db', region: 'local', engine: 'postgres', version: '16', tier: 'small', storage_gb: 20, backups_enabled: true, high_availability: false },
  { type: 'storage_bucket', name: 'assets', region: 'local', storage_class: 'standard', versioning: true, lifecycle_days: 90, storage_gb: 100 },
];

/** Second round: the VM grows, the bucket goes — a plan with 1 to change and 1 to destroy. */
const SECOND: ResourceSpec[] = [{ ...FIRST[0]!, machine_type: 'large' } as ResourceSpec, FIRST[1]!];

async function round(app: App, io: CliIo, title: string, specs: ResourceSpec[], quiet: boolean): Promise<boolean> {
  const actor = operatorActor('demo-guild');
  io.out(`\n== ${title} ==`);
  const session = await app.orchestrator.startSession(actor, 'demo');
  await syncSessionResources(app, actor, session.id, specs);
  for (const r of (await app.orchestrator.sessionView(actor, session.id)).resources) {
    io.out(`  ${r.spec.type.padEnd(15)} ${r.spec.name.padEnd(10)} ${formatUsd(r.estimate.monthly)}/month`);
  }
  const outcome = await app.orchestrator.plan(actor, session.id);
  printPlan(io, outcome);
  if (outcome.plan.status !== 'succeeded') return false;
  // The demo is the operator showing the whole flow: it accepts a high-risk plan as an operator would with --accept-risk.
  const run = await approveAndRun(app, actor, session.id, { budgetOverride: false, acceptRisk: true });
  io.out('-- terraform apply --');
  const result = await streamApply(run, io, quiet);
  printApplyResult(io, result);
  return result.status === 'succeeded';
}

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Run two whole sessions offline on the sandbox provider, in a fresh temp data dir',
  usage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { dir: { type: 'string' }, quiet: { type: 'boolean' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'cloud-engine-demo-'));
    // Its own store, always: never a shared PostgreSQL store DATABASE_URL names, whose audit log would keep the demo forever.
    const config: Config = { ...ctx.config, DATABASE_URL: undefined, RUN_QUEUE: 'local', DATABASE_PATH: join(dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(dir, 'terraform_runs') };
    ctx.io.out(`Cloud Engine demo — data in ${dir}`);
    return withApp(config, {}, async (app) => {
      const operator = operatorActor('demo-guild');
      await app.orchestrator.createProject(operator, { id: 'demo', provider: 'sandbox', budgetUsd: 500, description: 'Offline demo' });
      await app.orchestrator.setBudgetAlert(operator, 'demo', 400);
      if (!(await round(app, ctx.io, 'Session 1: a VM, a database and a bucket', FIRST, values.quiet ?? false))) return 1;
      if (!(await round(app, ctx.io, 'Session 2: resize the VM, remove the bucket', SECOND, values.quiet ?? false))) return 1;
      const { latest, versions } = await app.orchestrator.stateVersions(operator, 'demo');
      ctx.io.out(`\nState: serial ${latest?.serial}, lineage ${latest?.lineage} (${versions.length} versions saved)`);
      ctx.io.out('\nAudit trail:');
      for (const r of (await app.orchestrator.audit(operator, { project: 'demo', limit: 100 })).reverse()) {
        ctx.io.out(`  ${r.timestamp}  ${r.eventType.padEnd(22)} ${r.status.padEnd(7)} ${r.sessionId?.slice(0, 8) ?? ''}`);
      }
      return 0;
    });
  },
};
