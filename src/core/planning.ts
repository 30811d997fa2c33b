import type { Actor } from '../policy/permissions.js';
import { quotaProblems } from '../policy/quotas.js';
import type { Labels, Provider, ResourceSpec } from '../domain/resources.js';
import { configurationProblems } from '../resources/validate.js';
import { generateConfiguration } from '../terraform/generate/index.js';
import { planLine, summarizePlan } from '../terraform/planJson.js';
import { terraformFailure } from '../terraform/runner.js';
import { sha256 } from '../terraform/tfstate.js';
import { LOCK_FILE, materialiseRun, PLAN_FILE, readRunFile, removeRunDir, runDirFor } from '../terraform/workspace.js';
import { authorize, loadSession } from './access.js';
import { budgetVerdict, costDiff, costWarnings, crossAlerts, planCost, type PlanCost } from './costing.js';
import { expiryFrom, type CoreDeps } from './deps.js';
import { CoreError, environmentError, lostRace, sessionExpired, sessionStateError, validationError } from '../domain/errors.js';
import { assertFence, leaseExpiry, lockedBy } from './leases.js';
import { deadRun, recoverLock } from './recovery.js';
import { underLease } from './runs.js';
import { identityEnv, runIdentity, runOptions, type CloudIdentity } from './identity.js';
import { initRun } from './terraformSteps.js';
import { approvalsRequired, judgePlan, policySummary, type Judgement } from './governance.js';
import { allows, EDITABLE } from '../domain/sessions.js';
import type { PlanArtifact, PlanRecord } from '../domain/plans.js';
import type { QueuedPlan } from '../domain/queue.js';
import { QUEUE_HOST, queuedOwner } from '../domain/runs.js';
import type { Project } from '../domain/projects.js';
import type { PlanMode, Session } from '../domain/sessions.js';

/**
 * Hash of what would be deployed: the provider, the exact specs in order, the identity it deploys as and the
 * project's labels (a plan reviewed under other labels is not the one applied). Neither given: the hash of before.
 */
export const configHash = (provider: Provider, specs: ResourceSpec[], identity?: CloudIdentity, labels?: Labels) =>
  sha256(JSON.stringify({ provider, specs, ...(identity ? { identity } : {}), ...(labels ? { labels } : {}) }));

const MAX_OUTPUT_CHARS = 1_000_000;

export interface PlanOutcome {
  session: Session;
  plan: PlanRecord;
  summaryLine: string;
  /** Distinct approvals the plan's tier needs under the project's settings; undefined for a failed plan. */
  approvalsRequired: number | undefined;
}

const outcomeOf = async (deps: CoreDeps, project: Project, session: Session, plan: PlanRecord): Promise<PlanOutcome> => ({
  session: (await deps.store.sessions.get(session.id))!, plan, summaryLine: plan.status === 'succeeded' ? planLine(plan) : 'Plan failed',
  approvalsRequired: plan.policy && plan.status === 'succeeded' ? approvalsRequired(project, session, plan.policy.tier) : undefined,
});

/** Takes the project's lease for this session's plan; returns the plan row and the run's fencing token. */
async function startPlanning(deps: CoreDeps, actor: Actor, project: Project, session: Session, specs: ResourceSpec[], identity: CloudIdentity | undefined): Promise<{ plan: PlanRecord; fence: number }> {
  const now = deps.clock.now().toISOString();
  const plan: PlanRecord = {
    id: deps.newId(), sessionId: session.id, status: 'running', configHash: configHash(session.provider, specs, identity, project.settings.labels), stateSerial: null, stateChecksum: null,
    planFileHash: null, toAdd: 0, toChange: 0, toDestroy: 0, changes: [], cost: null, warnings: [], output: '', error: null, budgetOverrideBy: null, createdAt: now, policy: null,
  };
  // On the run queue the queue holds the lease until a worker takes it over, for as long as a job may wait.
  const owner = deps.queue ? queuedOwner(plan.id) : deps.owner;
  const expiresAt = deps.queue ? new Date(deps.clock.now().getTime() + deps.queue.waitMs).toISOString() : leaseExpiry(deps);
  const fence = await deps.store.transaction(async () => {
    const taken = await deps.store.locks.take({ projectId: session.projectId, sessionId: session.id, userId: actor.userId, owner, now, expiresAt });
    if (taken === undefined) throw lockedBy(deps, await deps.store.locks.get(session.projectId));
    if (!await deps.store.sessions.moveState(session.id, EDITABLE, 'PLANNING', now)) throw lostRace('session_change');
    await deps.store.plans.supersede(session.id);
    await deps.store.plans.insert(plan);
    await deps.audit.record(actor, { eventType: 'plan_started', projectId: session.projectId, sessionId: session.id, action: 'plan', status: 'info', details: { plan_id: plan.id, resources: specs.length, fence: taken } });
    await deps.queue?.enqueue({ kind: 'plan', planId: plan.id, sessionId: session.id, actor: { userId: actor.userId, userName: actor.userName, guildId: actor.guildId, isGuildAdmin: actor.isGuildAdmin, ...(actor.operator ? { operator: true } : {}) } });
    return taken;
  });
  return { plan, fence };
}

/** Terraform's flags for a session's plan mode. */
const planModeArgs = (mode: PlanMode): string[] =>
  mode.kind === 'refresh_only' ? ['-refresh-only'] : mode.kind === 'replace' ? mode.addresses.map((a) => `-replace=${a}`) : [];

interface PlanRun {
  plan: PlanRecord;
  ok: boolean;
  artifact?: PlanArtifact;
  /** `terraform show -json` of the saved plan: what policy reads. */
  planJson?: string;
}

/** Plans in the run's own directory, built from the store; keeps the saved plan's bytes and lock file for apply, then removes the directory. */
async function runTerraformPlan(deps: CoreDeps, session: Session, plan: PlanRecord, specs: ResourceSpec[], fence: number, signal: AbortSignal, identity: CloudIdentity | undefined): Promise<PlanRun> {
  const dir = runDirFor(deps.runsDir, session.projectId, plan.id);
  await deps.store.locks.setRunProcess(session.projectId, fence, { dir });
  const state = await deps.store.states.latest(session.projectId);
  const generated = generateConfiguration(session.provider, specs, await runOptions(deps, session, identity));
  // Terraform's output is unbounded: collected with concat, never spread into push (which overflows the stack).
  let out: string[] = [];
  const base = { stateSerial: state?.serial ?? null, stateChecksum: state?.checksum ?? null };
  const failed = (error: string): PlanRun => ({ ok: false, plan: { ...plan, ...base, status: 'failed', error, output: out.join('\n').slice(-MAX_OUTPUT_CHARS) } });
  try {
    materialiseRun(dir, { files: generated.files, ...(state ? { state: state.stateJson } : {}) });
    const init = await initRun(deps, dir, generated, { signal });
    out = out.concat(init.lines);
    const limit = deps.runner.timeoutSeconds;
    if (!init.ok) return failed(terraformFailure('init', init, limit));
    const env = identityEnv(session.projectId, identity, deps.identityBindings);
    const proc = deps.runner.start(['plan', ...planModeArgs(session.planMode), '-input=false', '-no-color', '-lock-timeout=30s', `-out=${PLAN_FILE}`], { cwd: dir, signal, env });
    if (proc.pid !== undefined) await deps.store.locks.setRunProcess(session.projectId, fence, { pid: proc.pid });
    const res = await proc.result;
    out = out.concat(res.lines);
    if (res.exitCode !== 0) return failed(terraformFailure('plan', res, limit));
    const show = await deps.runner.capture(['show', '-json', '-no-color', PLAN_FILE], { cwd: dir, env });
    if (show.exitCode !== 0) return failed(terraformFailure('show', { timedOut: show.timedOut, lines: show.stderr.split('\n') }, limit));
    const summary = summarizePlan(show.stdout);
    const planBytes = readRunFile(dir, PLAN_FILE)!;
    return {
      ok: true,
      planJson: show.stdout,
      artifact: { planBytes, lockFile: readRunFile(dir, LOCK_FILE)?.toString('utf8') ?? null },
      plan: {
        ...plan, ...base, status: 'succeeded', planFileHash: sha256(planBytes), toAdd: summary.toAdd, toChange: summary.toChange, toDestroy: summary.toDestroy,
        changes: summary.changes, output: out.join('\n').slice(-MAX_OUTPUT_CHARS),
      },
    };
  } finally {
    removeRunDir(dir);
  }
}

/**
 * Checks a plan that succeeded against policy and puts it in its risk tier; a pack that cannot be read or
 * used fails the plan (nothing unchecked is ever approvable).
 */
async function judged(deps: CoreDeps, project: Project, session: Session, result: PlanRun, specs: ResourceSpec[], deployed: ResourceSpec[], cost: PlanCost): Promise<{ result: PlanRun; judgement?: Judgement }> {
  if (!result.ok || result.planJson === undefined) return { result };
  try {
    const judgement = await judgePlan(deps, project, session, { planJson: result.planJson, specs, deployed, cost, plan: result.plan });
    return { result: { ...result, plan: { ...result.plan, policy: judgement.verdict } }, judgement };
  } catch (e) {
    if (!(e instanceof CoreError)) throw e;
    return { result: { ok: false, plan: { ...result.plan, status: 'failed', error: `Policy could not be checked: ${e.userMessage}` } } };
  }
}

async function priceAndFinish(deps: CoreDeps, actor: Actor, project: Project, session: Session, ran: PlanRun, specs: ResourceSpec[], fence: number) {
  const before = (await deps.store.sessions.listDeployed(session.projectId)).map((d) => d.spec);
  const diff = costDiff(deps, session.provider, before, specs);
  const { estimate, ...diffJson } = diff;
  let alerts: PlanCost['alerts_triggered'] = [];
  const { result, judgement } = await judged(deps, project, session, ran, specs, before, { ...diffJson, budget: budgetVerdict(project.budgetLimitMicros, diff.after_monthly), alerts_triggered: [] });
  const now = deps.clock.now().toISOString();
  const finished = await deps.store.transaction(async () => {
    await assertFence(deps, session.projectId, fence);
    if (result.ok) alerts = await crossAlerts(deps, project, diff.after_monthly);
    const cost: PlanCost = { ...diffJson, budget: budgetVerdict(project.budgetLimitMicros, diff.after_monthly), alerts_triggered: alerts };
    const quota = quotaProblems(await deps.store.quotas.get(project.id), specs, diff.after_monthly);
    const plan: PlanRecord = { ...result.plan, cost, warnings: [...quota.map((problem) => ({ kind: 'quota' as const, problem })), ...costWarnings(cost, estimate)] };
    if (quota.length && plan.status === 'succeeded') { plan.status = 'failed'; plan.error = `Quota exceeded:\n${quota.join('\n')}`; }
    await deps.store.plans.updateResult(plan);
    const ok = plan.status === 'succeeded';
    if (ok && result.artifact) await deps.store.plans.saveArtifact(plan.id, result.artifact);
    if (ok && judgement) await deps.store.plans.savePolicyInput(plan.id, judgement.inputJson);
    await deps.store.sessions.moveState(session.id, ['PLANNING'], ok ? 'PLANNED' : 'PLAN_FAILED', now, ok ? null : plan.error);
    const expiresAt = expiryFrom(deps);
    await deps.store.sessions.touch(session.id, now, expiresAt);
    // The session keeps the lock until it is approved, re-planned, cancelled or expires; no process owns it meanwhile.
    await deps.store.locks.park(session.projectId, fence, expiresAt);
    await deps.audit.record(actor, {
      eventType: ok ? 'plan_completed' : 'plan_failed', projectId: session.projectId, sessionId: session.id, action: 'plan', status: ok ? 'success' : 'failure',
      details: { plan_id: plan.id, add: plan.toAdd, change: plan.toChange, destroy: plan.toDestroy, monthly_micros: diff.after_monthly, delta_monthly_micros: diff.delta_monthly, ...(plan.policy ? policySummary(plan.policy) : {}) }, error: plan.error,
    });
    for (const a of alerts) {
      await deps.audit.record(actor, { eventType: 'budget_alert_triggered', projectId: project.id, sessionId: session.id, action: 'budget_alert', status: 'info', details: { threshold_micros: a.threshold, projected_monthly_micros: diff.after_monthly, budget_limit_micros: cost.budget.limit } });
    }
    return plan;
  });
  return { plan: finished, alerts, budget: planCost(finished)!.budget };
}

/** A plan that holds the project's lease and runs: every refusal (rights, state, lock) came before this. */
export interface PlanStarted {
  outcome: Promise<PlanOutcome>;
}

/**
 * Checks and takes the lease, then plans in the background: an adapter answers a refusal at once and
 * acknowledges a plan that started, whose outcome comes minutes later.
 */
export async function beginPlan(deps: CoreDeps, actor: Actor, sessionId: string): Promise<PlanStarted> {
  const session = await loadSession(deps, actor, sessionId);
  const project = await authorize(deps, actor, session, 'session.plan');
  if (!allows(session.state, 'plan')) throw sessionStateError(session.state, 'plan');
  if (session.expiresAt < deps.clock.now().toISOString()) throw sessionExpired({ kind: 'new_session', projectId: session.projectId });
  const specs = await deps.store.sessions.listResources(session.id);
  const problems = configurationProblems(specs);
  if (problems.length) throw validationError(problems);
  // A run that died holding the project is settled first (its state saved), so nobody waits for its lease to expire.
  const held = await deps.store.locks.get(session.projectId);
  if (held && deadRun(deps, held, await deps.store.sessions.get(held.sessionId))) await recoverLock(deps, held, { interrupted: [], planFailed: [] });
  const identity = await runIdentity(deps, session.projectId, session.provider);
  const { plan: running, fence } = await startPlanning(deps, actor, project, session, specs, identity);
  if (deps.queue) return { outcome: followPlan(deps, project, session, running) };
  return { outcome: runPlan(deps, actor, project, session, specs, identity, running, fence) };
}

/**
 * Worker side: runs one plan from the queue here, only if the queue still holds its lease (one conditional
 * hand-over to a fresh token); a job delivered twice, or a plan settled meanwhile, runs nothing.
 */
export async function runQueuedPlan(deps: CoreDeps, job: QueuedPlan): Promise<{ finished: Promise<PlanOutcome> } | undefined> {
  const [session, plan] = [await deps.store.sessions.get(job.sessionId), await deps.store.plans.get(job.planId)];
  if (session?.state !== 'PLANNING' || plan?.status !== 'running') return undefined;
  const lock = await deps.store.locks.get(session.projectId);
  if (lock?.sessionId !== session.id || lock.owner?.host !== QUEUE_HOST || lock.owner.started !== plan.id) return undefined;
  const fence = await deps.store.transaction(() => deps.store.locks.handOver(session.projectId, session.id, lock.fence, deps.owner, deps.clock.now().toISOString(), leaseExpiry(deps)));
  if (fence === undefined) return undefined;
  const project = (await deps.store.projects.get(session.projectId))!;
  const specs = await deps.store.sessions.listResources(session.id);
  const identity = await runIdentity(deps, session.projectId, session.provider);
  // runPlan registers the run (which shutdown interrupts) before its first await.
  return { finished: runPlan(deps, job.actor, project, session, specs, identity, plan, fence) };
}

/**
 * Asker's side: the plan a worker runs, followed through the store until it is recorded; a worker that died
 * is settled from here (the plan fails, the project is free). Budget alerts it crossed are sent from here,
 * where the people to tell are reachable.
 */
async function followPlan(deps: CoreDeps, project: Project, session: Session, running: PlanRecord): Promise<PlanOutcome> {
  for (let tick = 0; ; tick++) {
    const plan = (await deps.store.plans.get(running.id))!;
    if (plan.status !== 'running') {
      const cost = planCost(plan);
      if (cost?.alerts_triggered.length) await notifyAlerts(deps, project, session, cost.alerts_triggered.map((a) => a.threshold), cost.budget);
      return outcomeOf(deps, project, session, plan);
    }
    if (tick % 8 === 7) {
      const lock = await deps.store.locks.get(session.projectId);
      if (lock?.sessionId === session.id) await recoverLock(deps, lock, { interrupted: [], planFailed: [] }).catch((err: unknown) => deps.log.warn({ err, sessionId: session.id }, 'settling a dead worker\'s plan failed; retried'));
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function notifyAlerts(deps: CoreDeps, project: Project, session: Session, thresholds: PlanCost['alerts_triggered'][number]['threshold'][], budget: PlanCost['budget']): Promise<void> {
  const admins = (await deps.store.members.list(project.id)).filter((m) => m.role === 'admin').map((m) => m.userId);
  const fresh = (await deps.store.projects.get(project.id))!;
  for (const threshold of thresholds) {
    await deps.notifier.budgetAlert({
      projectId: project.id, guildId: project.guildId, sessionId: session.id, threshold, estimate: budget.projected_monthly,
      budgetLimit: budget.limit, overage: budget.overage, adminUserIds: admins, ...(fresh.settings.alert_channel_id ? { alertChannelId: fresh.settings.alert_channel_id } : {}),
    }).catch((err: unknown) => deps.log.warn({ err, projectId: project.id }, 'budget alert notification failed'));
  }
}

async function runPlan(
  deps: CoreDeps, actor: Actor, project: Project, session: Session, specs: ResourceSpec[], identity: CloudIdentity | undefined, running: PlanRecord, fence: number,
): Promise<PlanOutcome> {
  const sessionId = session.id;
  const abort = new AbortController();
  let result: PlanRun;
  try {
    result = await underLease(deps, { projectId: session.projectId, sessionId: session.id, fence, kind: 'plan' }, () => abort.abort(), () => runTerraformPlan(deps, session, running, specs, fence, abort.signal, identity));
  } catch (e) {
    const known = e instanceof CoreError ? e : environmentError(e, 'prepare the plan\'s run directory');
    const message = known ? known.message : 'internal error while planning';
    if (!known) deps.log.error({ err: e, sessionId }, 'plan crashed');
    result = { ok: false, plan: { ...running, status: 'failed', error: message } };
  }
  if (abort.signal.aborted && result.ok) result = { ok: false, plan: { ...result.plan, status: 'failed', error: 'The plan was interrupted.' } };
  const { plan, alerts, budget } = await priceAndFinish(deps, actor, project, session, result, specs, fence);
  // On a worker the asker's process sends them (followPlan): a worker reaches nobody.
  if (alerts.length && !deps.queue) await notifyAlerts(deps, project, session, alerts.map((a) => a.threshold), budget);
  return outcomeOf(deps, project, session, plan);
}
