import type { App } from '../app.js';
import type { ApplyResult, ApplyRun } from '../core/applying.js';
import { planCost } from '../core/costing.js';
import { formatUsd, micros } from '../domain/money.js';
import type { PlanOutcome } from '../core/planning.js';
import type { Actor } from '../policy/permissions.js';
import type { ResourceSpec } from '../domain/resources.js';
import type { CliIo } from './types.js';
import { CoreError } from '../domain/errors.js';
import { warningLine } from './warnings.js';
import { verdictLines } from './policyText.js';

const ADD_ORDER = ['vpc_network', 'storage_bucket', 'database', 'compute_vm', 'firewall_rule'];

/**
 * Makes the session hold exactly `specs` (a file is the project's whole desired configuration):
 * adds, updates and removes through the orchestrator, so each change is validated and audited.
 */
export async function syncSessionResources(app: App, actor: Actor, sessionId: string, specs: ResourceSpec[]): Promise<void> {
  const o = app.orchestrator;
  const current = new Map((await app.orchestrator.sessionView(actor, sessionId)).resources.map(({ spec }) => [spec.name, spec]));
  const wanted = new Set(specs.map((s) => s.name));
  const sorted = [...specs].sort((a, b) => ADD_ORDER.indexOf(a.type) - ADD_ORDER.indexOf(b.type));
  for (const spec of sorted) {
    const existing = current.get(spec.name);
    if (!existing) await o.addResource(actor, sessionId, spec);
    else if (JSON.stringify(existing) !== JSON.stringify(spec)) await o.editResource(actor, sessionId, spec.name, spec);
  }
  const removals = [...current.values()].filter((s) => !wanted.has(s.name)).sort((a, b) => ADD_ORDER.indexOf(b.type) - ADD_ORDER.indexOf(a.type));
  for (const s of removals) await o.removeResource(actor, sessionId, s.name);
}

export function printPlan(io: CliIo, outcome: PlanOutcome): void {
  const { plan } = outcome;
  if (plan.status !== 'succeeded') {
    io.err(plan.error ?? 'Plan failed');
    return;
  }
  for (const c of plan.changes) io.out(`  ${c.actions.join('/').padEnd(14)} ${c.address}`);
  io.out(outcome.summaryLine);
  const cost = planCost(plan);
  if (cost) {
    const sign = cost.delta_monthly >= 0 ? '+' : '-';
    io.out(`Monthly cost: ${formatUsd(cost.before_monthly)} → ${formatUsd(cost.after_monthly)} (${sign}${formatUsd(micros(Math.abs(cost.delta_monthly)))})${cost.complete ? '' : ' — incomplete: some prices unknown'}`);
    const pct = cost.budget.usage_pct === null ? '' : ` (${cost.budget.usage_pct}% of ${formatUsd(cost.budget.limit)})`;
    io.out(`Budget: ${cost.budget.compliant ? 'within budget' : `over budget by ${formatUsd(cost.budget.overage)}`}${pct}`);
  }
  for (const w of plan.warnings) io.out(`  ${warningLine(w)}`);
  if (plan.policy && outcome.approvalsRequired !== undefined) for (const line of verdictLines(plan.policy, { required: outcome.approvalsRequired })) io.out(line);
}

/**
 * After a plan: apply it (approve, then stream) when asked and it succeeded; otherwise, or when approval
 * is refused (budget, lock), cancel the session so the project is not left locked. Returns the exit code.
 */
/** What the operator says alongside an apply: the budget override, the accepted risk, the reason for a policy override. */
export interface ApprovalFlags {
  budgetOverride: boolean;
  acceptRisk: boolean;
  policyOverride?: string;
}

/** The flags that carry them, as parseFlags options. */
export const APPROVAL_FLAGS = {
  'budget-override': { type: 'boolean' },
  'accept-risk': { type: 'boolean' },
  'override-policy': { type: 'string' },
} as const;

export const approvalFlags = (values: { 'budget-override'?: boolean; 'accept-risk'?: boolean; 'override-policy'?: string }): ApprovalFlags => ({
  budgetOverride: values['budget-override'] ?? false, acceptRisk: values['accept-risk'] ?? false,
  ...(values['override-policy'] !== undefined ? { policyOverride: values['override-policy'] } : {}),
});

/**
 * Approves as the operator, whose approval completes every tier, and starts the apply. A vote that does
 * not complete its tier (an actor other than the operator) starts nothing and says how many are missing.
 */
export async function approveAndRun(app: App, actor: Actor, sessionId: string, flags: ApprovalFlags): Promise<ApplyRun> {
  const approved = await app.orchestrator.approveAndApply(actor, sessionId, flags);
  if (approved.kind === 'voted') throw new CoreError('invalid_state', `the plan needs ${approved.required} approvals; ${approved.counted} count so far`);
  return approved.run;
}

export async function applyOrRelease(app: App, io: CliIo, actor: Actor, outcome: PlanOutcome, opts: ApprovalFlags & { apply: boolean; quiet?: boolean }): Promise<{ code: number; result?: ApplyResult }> {
  const ok = outcome.plan.status === 'succeeded';
  if (!opts.apply || !ok) {
    await releaseSession(app, actor, outcome.session.id);
    return { code: ok ? 0 : 1 };
  }
  let run: ApplyRun;
  try {
    run = await approveAndRun(app, actor, outcome.session.id, opts);
  } catch (e) {
    await releaseSession(app, actor, outcome.session.id);
    throw e;
  }
  const result = await streamApply(run, io, opts.quiet);
  return { code: result.status === 'succeeded' && result.recorded ? 0 : 1, result };
}

/** Cancels a session this command started, if it is still open (a refused or finished-with-no-apply run leaves nothing behind). */
export async function releaseSession(app: App, actor: Actor, sessionId: string): Promise<void> {
  try {
    await app.orchestrator.cancel(actor, sessionId);
  } catch {
    // Already final (or moved on by its run): nothing of this command is left open.
  }
}

/** Streams an apply to the terminal and returns its recorded result. */
export async function streamApply(run: ApplyRun, io: CliIo, quiet = false): Promise<ApplyResult> {
  for await (const line of run.lines) if (!quiet) io.out(line);
  return run.result;
}

export function printApplyResult(io: CliIo, r: ApplyResult): void {
  const d = r.deployment;
  if (!r.recorded) {
    io.err(`❌ Terraform ${r.status} but nothing was recorded: ${r.error ?? ''}`);
  } else if (r.status === 'succeeded') {
    io.out(`✅ Applied: ${d.toAdd} added, ${d.toChange} changed, ${d.toDestroy} destroyed in ${(r.durationMs / 1000).toFixed(1)}s; state serial ${r.stateSerial ?? '-'}${r.commitHash ? `, commit ${r.commitHash.slice(0, 8)}` : ''}`);
  } else {
    io.err(`❌ Apply ${r.status}: ${r.error ?? ''}`);
    io.err(`See where things stand and the ways out (re-plan, refresh-only plan, roll back): cloud-engine recover --session ${r.session.id}`);
  }
  for (const w of r.warnings) io.err(`warning: ${w}`);
  if (r.push && !r.push.ok) io.err(`warning: the commit was not pushed to the project's git remote: ${r.push.error ?? 'push failed'}`);
}
