import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inTransaction } from '../db/database.js';
import { finishDeployment, getDeploymentBySession, setDeploymentCommit, type Deployment } from '../db/deployments.js';
import { getLock, holdsLease, setRunPid } from '../db/locks.js';
import { getPlan } from '../db/plans.js';
import { getProject } from '../db/projects.js';
import { getSession, listSessionResources, setDeployedResources, type Session } from '../db/sessions.js';
import { generateConfiguration } from '../terraform/generate/index.js';
import { relevantErrorLines } from '../terraform/runner.js';
import { SPEC_FILE, workspaceDir } from '../terraform/workspace.js';
import type { CoreDeps } from './deps.js';
import type { GitAuthor } from './ports.js';
import { shortId } from './deps.js';
import { CoreError } from './errors.js';
import { leaseLost } from './leases.js';
import { localRuns, sameOwner, underLease } from './runs.js';
import { finalizeTx } from './sessions.js';

export type ApplyStatus = 'succeeded' | 'failed' | 'interrupted';

export interface ApplyResult {
  status: ApplyStatus;
  session: Session;
  deployment: Deployment;
  stateSerial: number | null;
  commitHash: string | null;
  durationMs: number;
  error: string | null;
  warnings: string[];
  /** False when the run lost its lease before it could record anything (another process owns the project). */
  recorded: boolean;
}

export interface ApplyRun {
  /** Terraform's output line by line (the runner has redacted secrets), as it happens. */
  lines: AsyncIterable<string>;
  result: Promise<ApplyResult>;
}

/** Applies exactly the approved plan file, under the lease approval claimed. The session must already be APPLYING (see approveSession). */
export function startApply(deps: CoreDeps, sessionId: string, actorName: string): ApplyRun {
  const session = getSession(deps.db, sessionId);
  const deployment = getDeploymentBySession(deps.db, sessionId);
  if (!session || session.state !== 'APPLYING' || !deployment || deployment.status !== 'running' || deployment.fence === null) {
    throw new CoreError('invalid_state', 'This session is not approved for apply.');
  }
  const fence = deployment.fence;
  const lock = getLock(deps.db, session.projectId);
  if (lock?.fence !== fence || !sameOwner(lock.owner, deps.owner)) throw new CoreError('conflict', 'This apply belongs to another process (or lost its lease); it cannot be started here.');
  if (localRuns.has(sessionId)) throw new CoreError('conflict', 'This deployment is already running.');
  const plan = getPlan(deps.db, deployment.planId)!;
  const dir = workspaceDir(deps.runsDir, session.projectId);
  const proc = deps.runner.start(['apply', '-input=false', '-no-color', '-lock-timeout=30s', plan.planFile!], { cwd: dir });
  // Recovery in another process stops an orphaned Terraform by this pid if this process dies.
  if (proc.pid !== undefined) setRunPid(deps.db, session.projectId, fence, proc.pid);
  const lines = proc.lines();
  const result = underLease(deps, { projectId: session.projectId, sessionId, fence, kind: 'apply' }, () => proc.cancel(), async () => {
    const res = await proc.result;
    const status: ApplyStatus = res.exitCode === 0 ? 'succeeded' : res.cancelled || res.signal ? 'interrupted' : 'failed';
    const error = status === 'succeeded' ? null : status === 'interrupted'
      ? `terraform apply was ${res.timedOut ? 'stopped after the timeout' : 'interrupted'}; the state it wrote was saved`
      : `terraform apply failed:\n${relevantErrorLines(res.lines).join('\n')}`;
    return finishApply(deps, session, deployment, status, error && deps.redact(error), res.durationMs, actorName, fence);
  });
  return { lines, result };
}

/**
 * Records an apply's outcome under its fencing token: state version first, then git (success only),
 * then one DB transaction. A run that lost its lease records nothing: the process that took over
 * owns the project now, and what this run wrote is kept aside for the operator.
 */
export async function finishApply(deps: CoreDeps, session: Session, deployment: Deployment, status: ApplyStatus, error: string | null, durationMs: number, actorName: string, fence: number): Promise<ApplyResult> {
  const dir = workspaceDir(deps.runsDir, session.projectId);
  const warnings: string[] = [];
  const captured = deps.states.capture(session.projectId, session.id, dir, fence);
  if (captured.kind === 'refused') warnings.push(`State not saved: ${captured.reason}`);
  const serial = captured.version?.serial ?? null;
  const specs = listSessionResources(deps.db, session.id);
  let commitHash: string | null = null;
  if (status === 'succeeded' && holdsLease(deps.db, session.projectId, fence)) {
    commitHash = await commitDeployment(deps, session, specs.length, { name: actorName, id: deployment.userId }, warnings);
  }
  const actor = { userId: deployment.userId, userName: actorName, guildId: session.guildId, isGuildAdmin: false };
  const finishedAt = deps.clock.now().toISOString();
  const finalState = status === 'succeeded' ? 'APPLIED' : status === 'failed' ? 'FAILED' : 'INTERRUPTED';
  const recorded = inTransaction(deps.db, () => {
    if (!holdsLease(deps.db, session.projectId, fence)) return false;
    finishDeployment(deps.db, deployment.id, { status, stateSerial: serial, error, finishedAt, durationMs });
    if (commitHash) setDeploymentCommit(deps.db, deployment.id, commitHash);
    if (status === 'succeeded') setDeployedResources(deps.db, session.projectId, session.provider, specs);
    const eventType = status === 'succeeded' ? 'deployment_completed' : status === 'failed' ? 'deployment_failed' : 'deployment_interrupted';
    finalizeTx(deps, actor, session, finalState, eventType, { deployment_id: deployment.id, state_serial: serial, git_commit: commitHash, duration_ms: durationMs, warnings }, error, fence);
    return true;
  });
  if (!recorded) {
    deps.audit.record(actor, {
      eventType: 'run_fenced_out', projectId: session.projectId, sessionId: session.id, action: 'record_apply', status: 'failure',
      details: { deployment_id: deployment.id, fence, terraform_status: status }, error: leaseLost(session.projectId).message,
    });
  }
  if (commitHash && recorded) await afterCommit(deps, session, commitHash);
  return {
    status, session: getSession(deps.db, session.id)!, deployment: getDeploymentBySession(deps.db, session.id)!, stateSerial: serial, commitHash,
    durationMs, error: recorded ? error : leaseLost(session.projectId).message, warnings, recorded,
  };
}

/** The commit's author is whoever approved the deployment. */
async function commitDeployment(deps: CoreDeps, session: Session, count: number, author: GitAuthor, warnings: string[]): Promise<string | null> {
  const dir = workspaceDir(deps.runsDir, session.projectId);
  const specs = listSessionResources(deps.db, session.id);
  writeFileSync(join(dir, SPEC_FILE), `${JSON.stringify({ provider: session.provider, resources: specs }, null, 2)}\n`);
  const files = [...Object.keys(generateConfiguration(session.provider, specs, { project: session.projectId }).files), SPEC_FILE];
  try {
    return await deps.git.commitDeployment(session.projectId, {
      files, author, message: `Deploy ${count} resources via session ${shortId(session.id)} (${author.name})`,
    });
  } catch (e) {
    deps.log.error({ err: e, projectId: session.projectId }, 'git commit after apply failed');
    warnings.push('The deployment succeeded but could not be committed to the project repository.');
    return null;
  }
}

/** Optional tag and push: their failures are reported and audited, never fail the deployment. */
async function afterCommit(deps: CoreDeps, session: Session, commitHash: string): Promise<void> {
  const project = getProject(deps.db, session.projectId)!;
  if (project.settings.auto_tag) {
    const tag = `deploy-${deps.clock.now().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}-${shortId(session.id)}`;
    await deps.git.tag(project.id, tag, commitHash).catch((err: unknown) => deps.log.warn({ err, projectId: project.id }, 'auto-tag failed'));
  }
  if (project.settings.git_auto_push && project.settings.git_remote_url) {
    const pushed = await deps.git.push(project.id);
    deps.audit.record(null, {
      eventType: pushed.ok ? 'git_pushed' : 'git_push_failed', projectId: project.id, sessionId: session.id, action: 'push', status: pushed.ok ? 'success' : 'failure',
      details: { commit: commitHash }, error: pushed.ok ? null : deps.redact(pushed.error ?? 'push failed'),
    });
  }
}
