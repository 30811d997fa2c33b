import { parseFlags, requireFlag } from '../args.js';
import { existingProject, operatorActor } from '../operator.js';
import { parseResources, readResourceItems } from '../resourcesFile.js';
import { printApplyResult, printPlan, streamApply, syncSessionResources } from '../sessionRun.js';
import { withApp } from '../withApp.js';
import type { CliCommand, CliContext } from '../types.js';
import { CoreError } from '../../core/errors.js';
import type { PlanCost } from '../../core/costing.js';

const flags = {
  project: { type: 'string' },
  resources: { type: 'string' },
  provider: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  'budget-override': { type: 'boolean' },
} as const;

async function runSession(argv: string[], ctx: CliContext, apply: boolean, usage: string): Promise<number> {
  const { values } = parseFlags(argv, flags, usage);
  if (values.help) return ctx.io.out(usage), 0;
  const projectId = requireFlag(values.project, 'project', usage);
  const file = requireFlag(values.resources, 'resources', usage);
  if (apply && !values.yes) throw new CoreError('validation', `apply changes real infrastructure: pass --yes to confirm.\nUsage: ${usage}`);
  return withApp(ctx.config, {}, async (app) => {
    const project = existingProject(app, projectId);
    const actor = operatorActor(project.guildId);
    const provider = (values.provider ?? project.defaultProvider) as typeof project.defaultProvider;
    const specs = parseResources(await readResourceItems(file), provider).map((r) => r.spec);
    const session = await app.orchestrator.startSession(actor, projectId, provider);
    syncSessionResources(app, actor, session.id, specs);
    const outcome = await app.orchestrator.plan(actor, session.id);
    if (!values.json) printPlan(ctx.io, outcome);
    if (!apply || outcome.plan.status !== 'succeeded') {
      if (outcome.session.state !== 'APPLIED') app.orchestrator.cancel(actor, session.id);
      if (values.json) ctx.io.out(JSON.stringify(planJson(outcome), null, 2));
      return outcome.plan.status === 'succeeded' ? 0 : 1;
    }
    app.orchestrator.approve(actor, session.id, { budgetOverride: values['budget-override'] ?? false });
    const result = await streamApply(app, session.id, actor.userName, ctx.io, values.json);
    if (values.json) ctx.io.out(JSON.stringify({ ...planJson(outcome), apply: { status: result.status, state_serial: result.stateSerial, commit: result.commitHash, duration_ms: result.durationMs, error: result.error } }, null, 2));
    else printApplyResult(ctx.io, result);
    return result.status === 'succeeded' ? 0 : 1;
  });
}

function planJson(o: Awaited<ReturnType<import('../../core/orchestrator.js').CloudOrchestrator['plan']>>) {
  const p = o.plan;
  return {
    session_id: o.session.id, status: p.status, summary: o.summaryLine, add: p.toAdd, change: p.toChange, destroy: p.toDestroy,
    changes: p.changes, cost: p.cost as PlanCost | null, warnings: p.warnings, error: p.error,
  };
}

export const planCommand: CliCommand = {
  name: 'plan',
  summary: 'Plan a project against a resources file (the whole desired configuration)',
  usage: 'cloud-engine plan --project <id> --resources <file.json|.xlsx|.csv> [--json]',
  run: (argv, ctx) => runSession(argv, ctx, false, planCommand.usage),
};

export const applyCommand: CliCommand = {
  name: 'apply',
  summary: 'Plan and apply a resources file, streaming Terraform output',
  usage: 'cloud-engine apply --project <id> --resources <file.json|.xlsx|.csv> --yes [--budget-override] [--json]',
  run: (argv, ctx) => runSession(argv, ctx, true, applyCommand.usage),
};
