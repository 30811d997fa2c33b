import { inTransaction } from '../db/database.js';
import { getLock, parkLease, takeLease } from '../db/locks.js';
import { insertPlan, supersedePlans, updatePlanResult, type PlanRecord } from '../db/plans.js';
import { listMembers } from '../db/members.js';
import { getProject, type Project } from '../db/projects.js';
import { getQuota } from '../db/quotas.js';
import { casState, getSession, listDeployedResources, listSessionResources, touchSession, type Session } from '../db/sessions.js';
import { usdToMicros } from '../policy/money.js';
import type { Actor } from '../policy/permissions.js';
import { quotaProblems } from '../policy/quotas.js';
import type { Provider, ResourceSpec } from '../resources/types.js';
import { configurationProblems } from '../resources/validate.js';
import { generateConfiguration } from '../terraform/generate/index.js';
import { planLine, summarizePlan } from '../terraform/planJson.js';
import { relevantErrorLines } from '../terraform/runner.js';
import { sha256 } from '../terraform/tfstate.js';
import { fileHash, planFilePath, workspaceDir, writeConfiguration } from '../terraform/workspace.js';
import { authorize, loadSession } from './access.js';
import { budgetVerdict, costDiff, costWarnings, crossAlerts, type PlanCost } from './costing.js';
import { expiryFrom, type CoreDeps } from './deps.js';
import { CoreError, validationError } from './errors.js';
import { assertFence, leaseExpiry, lockedBy } from './leases.js';
import { deadRun, recoverLock } from './recovery.js';
import { underLease } from './runs.js';
import { ensureInit } from './terraformSteps.js';
import { EDITABLE } from './transitions.js';

/** Hash of what would be deployed: the provider and the exact specs, in order. */
export const configHash = (provider: Provider, specs: ResourceSpec[]) => sha256(JSON.stringify({ provider, specs }));

const MAX_OUTPUT_CHARS = 1_000_000;

export interface PlanOutcome {
  session: Session;
  plan: PlanRecord;
  summaryLine: string;
}

/** Takes the project's lease for this session's plan; returns the plan row and the run's fencing token. */
function startPlanning(deps: CoreDeps, actor: Actor, session: Session, specs: ResourceSpec[]): { plan: PlanRecord; fence: number } {
  const now = deps.clock.now().toISOString();
  const plan: PlanRecord = {
    id: deps.newId(), sessionId: session.id, status: 'running', configHash: configHash(session.provider, specs), stateSerial: null, stateChecksum: null,
    planFile: null, planFileHash: null, toAdd: 0, toChange: 0, toDestroy: 0, changes: [], cost: null, warnings: [], output: '', error: null, budgetOverrideBy: null, createdAt: now,
  };
  const fence = inTransaction(deps.db, () => {
    const taken = takeLease(deps.db, { projectId: session.projectId, sessionId: session.id, userId: actor.userId, owner: deps.owner, now, expiresAt: leaseExpiry(deps) });
    if (taken === undefined) throw lockedBy(deps, getLock(deps.db, session.projectId));
    if (!casState(deps.db, session.id, EDITABLE, 'PLANNING', now)) throw new CoreError('conflict', 'The session changed meanwhile (another plan or approval); refresh and try again.');
    supersedePlans(deps.db, session.id);
    insertPlan(deps.db, plan);
    deps.audit.record(actor, { eventType: 'plan_started', projectId: session.projectId, sessionId: session.id, action: 'plan', status: 'info', details: { plan_id: plan.id, resources: specs.length, fence: taken } });
    return taken;
  });
  return { plan, fence };
}

async function runTerraformPlan(deps: CoreDeps, session: Session, plan: PlanRecord, specs: ResourceSpec[], fence: number, signal: AbortSignal): Promise<{ plan: PlanRecord; ok: boolean }> {
  const dir = workspaceDir(deps.runsDir, session.projectId);
  const generated = generateConfiguration(session.provider, specs, { project: session.projectId });
  writeConfiguration(dir, generated.files);
  const state = deps.states.restoreForRun(session.projectId, dir, fence);
  const out: string[] = [];
  const failed = (error: string): { plan: PlanRecord; ok: boolean } => ({ ok: false, plan: { ...plan, status: 'failed', error, output: out.join('\n').slice(-MAX_OUTPUT_CHARS), stateSerial: state?.serial ?? null, stateChecksum: state?.checksum ?? null } });
  const init = await ensureInit(deps, dir, generated, signal);
  out.push(...init.lines);
  if (!init.ok) return failed(`terraform init failed:\n${relevantErrorLines(init.lines).join('\n')}`);
  const planFile = planFilePath(dir, plan.id);
  const res = await deps.runner.run(['plan', '-input=false', '-no-color', '-lock-timeout=30s', `-out=${planFile}`], { cwd: dir, signal });
  out.push(...res.lines);
  if (res.exitCode !== 0) return failed(`terraform plan failed:\n${relevantErrorLines(res.lines).join('\n')}`);
  const show = await deps.runner.capture(['show', '-json', '-no-color', planFile], { cwd: dir });
  if (show.exitCode !== 0) return failed(`terraform show failed:\n${relevantErrorLines(show.stderr.split('\n')).join('\n')}`);
  const summary = summarizePlan(show.stdout);
  return {
    ok: true,
    plan: {
      ...plan, status: 'succeeded', planFile, planFileHash: fileHash(planFile), toAdd: summary.toAdd, toChange: summary.toChange, toDestroy: summary.toDestroy,
      changes: summary.changes, output: out.join('\n').slice(-MAX_OUTPUT_CHARS), stateSerial: state?.serial ?? null, stateChecksum: state?.checksum ?? null,
    },
  };
}

function priceAndFinish(deps: CoreDeps, actor: Actor, project: Project, session: Session, result: { plan: PlanRecord; ok: boolean }, specs: ResourceSpec[], fence: number) {
  const before = listDeployedResources(deps.db, session.projectId).map((d) => d.spec);
  const diff = costDiff(deps, session.provider, before, specs);
  const { estimate, ...diffJson } = diff;
  let alerts: PlanCost['alerts_triggered'] = [];
  const now = deps.clock.now().toISOString();
  const finished = inTransaction(deps.db, () => {
    assertFence(deps, session.projectId, fence);
    if (result.ok) alerts = crossAlerts(deps, project, diff.after_monthly_usd);
    const cost: PlanCost = { ...diffJson, budget: budgetVerdict(project.budgetLimitMicros, diff.after_monthly_usd), alerts_triggered: alerts };
    const quota = quotaProblems(getQuota(deps.db, project.id), specs, usdToMicros(diff.after_monthly_usd)).map((p) => `🚫 ${p}`);
    const plan: PlanRecord = { ...result.plan, cost, warnings: [...quota, ...costWarnings(cost, estimate)] };
    if (quota.length && plan.status === 'succeeded') { plan.status = 'failed'; plan.error = `Quota exceeded:\n${quota.join('\n')}`; }
    updatePlanResult(deps.db, plan);
    const ok = plan.status === 'succeeded';
    casState(deps.db, session.id, ['PLANNING'], ok ? 'PLANNED' : 'PLAN_FAILED', now, ok ? null : plan.error);
    const expiresAt = expiryFrom(deps);
    touchSession(deps.db, session.id, now, expiresAt);
    // The session keeps the lock until it is approved, re-planned, cancelled or expires; no process owns it meanwhile.
    parkLease(deps.db, session.projectId, fence, expiresAt);
    deps.audit.record(actor, {
      eventType: ok ? 'plan_completed' : 'plan_failed', projectId: session.projectId, sessionId: session.id, action: 'plan', status: ok ? 'success' : 'failure',
      details: { plan_id: plan.id, add: plan.toAdd, change: plan.toChange, destroy: plan.toDestroy, monthly_usd: diff.after_monthly_usd, delta_monthly_usd: diff.delta_monthly_usd }, error: plan.error,
    });
    for (const a of alerts) {
      deps.audit.record(actor, { eventType: 'budget_alert_triggered', projectId: project.id, sessionId: session.id, action: 'budget_alert', status: 'info', details: { threshold_usd: a.threshold_usd, projected_monthly_usd: diff.after_monthly_usd, budget_limit_usd: cost.budget.limit_usd } });
    }
    return plan;
  });
  return { plan: finished, alerts, budget: (finished.cost as PlanCost).budget };
}

export async function planSession(deps: CoreDeps, actor: Actor, sessionId: string): Promise<PlanOutcome> {
  const session = loadSession(deps, actor, sessionId);
  const project = authorize(deps, actor, session.projectId, 'session.plan', session);
  if (!EDITABLE.includes(session.state)) throw new CoreError('invalid_state', `This session is ${session.state}; only a draft or planned session can be planned.`);
  if (session.expiresAt < deps.clock.now().toISOString()) throw new CoreError('invalid_state', 'This session expired; start a new one with /cloud-deploy.');
  const specs = listSessionResources(deps.db, session.id);
  const problems = configurationProblems(specs);
  if (problems.length) throw validationError(problems);
  // A run that died holding the project is settled first (its state saved), so nobody waits for its lease to expire.
  // Only then is there an await before the lock is taken: adapters rely on refusals being synchronous.
  const held = getLock(deps.db, session.projectId);
  if (held && deadRun(deps, held, getSession(deps.db, held.sessionId))) await recoverLock(deps, held, { interrupted: [], planFailed: [] });
  const { plan: running, fence } = startPlanning(deps, actor, session, specs);
  const abort = new AbortController();
  let result: { plan: PlanRecord; ok: boolean };
  try {
    result = await underLease(deps, { projectId: session.projectId, sessionId: session.id, fence, kind: 'plan' }, () => abort.abort(), () => runTerraformPlan(deps, session, running, specs, fence, abort.signal));
  } catch (e) {
    const message = e instanceof CoreError ? e.message : 'internal error while planning';
    if (!(e instanceof CoreError)) deps.log.error({ err: e, sessionId }, 'plan crashed');
    result = { ok: false, plan: { ...running, status: 'failed', error: message } };
  }
  if (abort.signal.aborted && result.ok) result = { ok: false, plan: { ...result.plan, status: 'failed', error: 'The plan was interrupted.' } };
  const { plan, alerts, budget } = priceAndFinish(deps, actor, project, session, result, specs, fence);
  if (alerts.length) {
    const admins = listMembers(deps.db, project.id).filter((m) => m.role === 'admin').map((m) => m.userId);
    const fresh = getProject(deps.db, project.id)!;
    for (const a of alerts) {
      await deps.notifier.budgetAlert({
        projectId: project.id, guildId: project.guildId, sessionId: session.id, thresholdUsd: a.threshold_usd, estimateUsd: budget.projected_monthly_usd,
        budgetLimitUsd: budget.limit_usd, overageUsd: budget.overage_usd, adminUserIds: admins, ...(fresh.settings.alert_channel_id ? { alertChannelId: fresh.settings.alert_channel_id } : {}),
      }).catch((err: unknown) => deps.log.warn({ err, projectId: project.id }, 'budget alert notification failed'));
    }
  }
  return { session: getSession(deps.db, session.id)!, plan, summaryLine: plan.status === 'succeeded' ? planLine(plan) : 'Plan failed' };
}
