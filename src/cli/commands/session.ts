import { parseFlags, requireFlag } from '../args.js';
import { projectScope } from '../operator.js';
import { parseResources, readResourceItems } from '../resourcesFile.js';
import { APPROVAL_FLAGS, applyOrRelease, approvalFlags, printApplyResult, printPlan, releaseSession, syncSessionResources } from '../sessionRun.js';
import { withApp } from '../withApp.js';
import type { CliCommand, CliContext } from '../types.js';
import { CoreError } from '../../domain/errors.js';
import { planCost } from '../../core/costing.js';
import { withDollars } from '../dollars.js';
import type { PlanOutcome } from '../../core/planning.js';

const flags = {
  project: { type: 'string' },
  guild: { type: 'string' },
  resources: { type: 'string' },
  provider: { type: 'string' },
  json: { type: 'boolean' },
  yes: { type: 'boolean' },
  ...APPROVAL_FLAGS,
} as const;

async function runSession(argv: string[], ctx: CliContext, apply: boolean, usage: string): Promise<number> {
  const { values } = parseFlags(argv, flags, usage);
  if (values.help) return ctx.io.out(usage), 0;
  const projectId = requireFlag(values.project, 'project', usage);
  const file = requireFlag(values.resources, 'resources', usage);
  if (apply && !values.yes) throw new CoreError('validation', `apply changes real infrastructure: pass --yes to confirm.\nUsage: ${usage}`);
  return withApp(ctx.config, {}, async (app) => {
    const { project, actor, name } = await projectScope(app, projectId, values.guild);
    const provider = (values.provider ?? project.defaultProvider) as typeof project.defaultProvider;
    const specs = parseResources(await readResourceItems(file), provider).map((r) => r.spec);
    const session = await app.orchestrator.startSession(actor, name, provider);
    let outcome: PlanOutcome;
    try {
      await syncSessionResources(app, actor, session.id, specs);
      outcome = await app.orchestrator.plan(actor, session.id);
    } catch (e) {
      await releaseSession(app, actor, session.id);
      throw e;
    }
    if (!values.json) printPlan(ctx.io, outcome);
    const { code, result } = await applyOrRelease(app, ctx.io, actor, outcome, { apply, ...approvalFlags(values), quiet: values.json ?? false });
    if (values.json) {
      const applied = result && { status: result.status, recorded: result.recorded, state_serial: result.stateSerial, commit: result.commitHash, duration_ms: result.durationMs, error: result.error };
      ctx.io.out(JSON.stringify({ ...planJson(outcome), ...(applied ? { apply: applied } : {}) }, null, 2));
    } else if (result) printApplyResult(ctx.io, result);
    return code;
  });
}

function planJson(o: PlanOutcome) {
  const p = o.plan;
  return {
    session_id: o.session.id, purpose: o.session.purpose, plan_mode: o.session.planMode, status: p.status, summary: o.summaryLine, add: p.toAdd, change: p.toChange, destroy: p.toDestroy,
    changes: p.changes, cost: withDollars(planCost(p)), warnings: p.warnings, error: p.error,
    ...(p.policy ? {
      risk_tier: p.policy.tier, approvals_required: o.approvalsRequired, tier_reasons: withDollars(p.policy.tierReasons),
      policy: { checked: p.policy.checked, findings: p.policy.findings, rule_errors: p.policy.ruleErrors },
    } : {}),
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
  usage: 'cloud-engine apply --project <id> --resources <file.json|.xlsx|.csv> --yes [--budget-override] [--accept-risk] [--override-policy <reason>] [--json]',
  run: (argv, ctx) => runSession(argv, ctx, true, applyCommand.usage),
};
