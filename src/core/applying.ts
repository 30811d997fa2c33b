import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateConfiguration } from '../terraform/generate/index.js';
import { terraformFailure, type TerraformProcess } from '../terraform/runner.js';
import { sha256 } from '../terraform/tfstate.js';
import { EXIT_FILE, materialiseRun, PLAN_FILE, PRINTED_STATE_FILE, removeRunDir, runDirFor, SPEC_FILE, workspaceDir, writeConfiguration } from '../terraform/workspace.js';
import type { CoreDeps } from './deps.js';
import type { GitAuthor } from './ports.js';
import { shortId } from './deps.js';
import { applyNotStartable, CoreError, environmentError, isCoreError } from '../domain/errors.js';
import { identityEnv, projectOptions, runIdentity, runOptions } from './identity.js';
import { configHash } from './planning.js';
import { leaseLost, sameOwner } from './leases.js';
import { localRuns, underLease } from './runs.js';
import { reconcileDeployed, recordDeployed } from './deployed.js';
import { finalizeTx } from './sessions.js';
import { leaseAfterApplyTx } from './expiryDestroy.js';
import type { CaptureOutcome } from './stateSync.js';
import { initRun } from './terraformSteps.js';
import type { Deployment } from '../domain/runs.js';
import type { ResourceChange } from '../domain/plans.js';
import { plannedChanges } from './relays.js';
import type { Session, SessionPurpose } from '../domain/sessions.js';
import { projectName } from '../domain/projects.js';

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
  /** The project pushes each deployment's commit to its remote: whether this one got there. */
  push?: PushOutcome;
}

export interface PushOutcome {
  ok: boolean;
  /** Why the push failed, secrets redacted. */
  error?: string;
}

export interface ApplyRun {
  /** Terraform's output line by line (the runner has redacted secrets), as it happens. */
  lines: AsyncIterable<string>;
  result: Promise<ApplyResult>;
  /** Set when a worker runs it (RUN_QUEUE=workers): adapters that outlive a restart relay it from the store by this deployment. */
  queued?: Deployment;
  /** The reviewed plan's changes, resource by resource. */
  planned: ResourceChange[];
}

/**
 * Applies exactly the approved plan file, under the lease approval claimed, in a directory built
 * from the store only: configuration, the state the plan was made against, the plan's bytes (hash
 * checked) and its lock file. The session must already be APPLYING (see approveSession).
 */
export async function startApply(deps: CoreDeps, sessionId: string, actorName: string): Promise<ApplyRun> {
  const session = await deps.store.sessions.get(sessionId);
  const deployment = await deps.store.deployments.bySession(sessionId);
  if (!session || session.state !== 'APPLYING' || !deployment || deployment.status !== 'running' || deployment.fence === null) {
    throw applyNotStartable('not_approved');
  }
  const fence = deployment.fence;
  const lock = await deps.store.locks.get(session.projectId);
  if (lock?.fence !== fence || !sameOwner(lock.owner, deps.owner)) throw applyNotStartable('elsewhere');
  const dir = runDirFor(deps.runsDir, session.projectId, deployment.id);
  await deps.store.locks.setRunProcess(session.projectId, fence, { dir });
  // Checked and registered (underLease, below) with no await between: two starts in this process run it once.
  if (localRuns.has(sessionId)) throw applyNotStartable('already_running');
  const abort = new AbortController();
  let proc: TerraformProcess | undefined;
  let started: (p: TerraformProcess | undefined) => void = () => {};
  const running = new Promise<TerraformProcess | undefined>((resolve) => (started = resolve));
  const interrupt = () => { abort.abort(); proc?.cancel(); };
  const result = underLease(deps, { projectId: session.projectId, sessionId, fence, kind: 'apply' }, interrupt, async () => {
    const t0 = Date.now();
    const end = (status: ApplyStatus, error: string | null, ms: number, printedState?: string) =>
      finishApply(deps, session, deployment, status, error && deps.redact(error), ms, actorName, { fence, dir, removeDir: true, ...(printedState ? { printedState } : {}) });
    const prepared = await prepareApplyDir(deps, session, deployment, dir, abort.signal).catch((e: unknown) => {
      const known = e instanceof CoreError ? e : environmentError(e, 'prepare the apply\'s run directory');
      if (!known) deps.log.error({ err: e, sessionId }, 'apply preparation crashed');
      return `${known?.message ?? 'the run directory could not be prepared'} Nothing was changed.`;
    });
    if (typeof prepared === 'string' || abort.signal.aborted) {
      started(undefined);
      return end(abort.signal.aborted ? 'interrupted' : 'failed', abort.signal.aborted ? 'terraform apply was interrupted before it started; nothing was changed' : prepared as string, Date.now() - t0);
    }
    proc = deps.runner.start(['apply', '-input=false', '-no-color', '-lock-timeout=30s', PLAN_FILE], { cwd: dir, env: prepared.env });
    // Recovery in another process stops an orphaned Terraform by this pid if this process dies.
    if (proc.pid !== undefined) await deps.store.locks.setRunProcess(session.projectId, fence, { pid: proc.pid });
    await deps.store.deployments.setTerraformStarted(deployment.id, deps.clock.now().toISOString());
    started(proc);
    const res = await proc.result;
    await recordTerraformExit(deps, deployment, dir, res.exitCode);
    if (res.dumpedState) keepPrintedState(deps, dir, res.dumpedState);
    const status: ApplyStatus = res.exitCode === 0 ? 'succeeded' : res.cancelled || res.signal ? 'interrupted' : 'failed';
    const error = status === 'succeeded' ? null : status === 'interrupted'
      ? `terraform apply was ${res.timedOut ? `stopped after ${deps.runner.timeoutSeconds} s (TERRAFORM_TIMEOUT_SECONDS)` : 'interrupted'}; the state it wrote was saved`
      : terraformFailure('apply', res, deps.runner.timeoutSeconds);
    return end(status, error, Date.now() - t0, res.dumpedState);
  });
  const lines = (async function* () {
    const p = await running;
    if (p) yield* p.lines();
  })();
  return { lines, result, planned: await plannedChanges(deps, sessionId) };
}

/**
 * Terraform's exit code, kept before anything else so recovery can tell a finished apply from a cut-off
 * one: in the store, and beside the state in the run directory for when the store's disk is full.
 */
async function recordTerraformExit(deps: CoreDeps, deployment: Deployment, dir: string, exitCode: number | null): Promise<void> {
  try {
    writeFileSync(join(dir, EXIT_FILE), String(exitCode));
  } catch (err) {
    deps.log.warn({ err, dir }, "could not write Terraform's exit code beside its state");
  }
  try {
    await deps.store.deployments.setTerraformExit(deployment.id, exitCode);
  } catch (err) {
    deps.log.warn({ err, deploymentId: deployment.id }, "could not record Terraform's exit code in the store");
  }
}

/** Terraform printed its state because it could not write it: keep it beside the others for the capture. */
function keepPrintedState(deps: CoreDeps, dir: string, state: string): void {
  try {
    writeFileSync(join(dir, PRINTED_STATE_FILE), state, { mode: 0o600 });
  } catch (err) {
    deps.log.error({ err, dir }, 'Terraform printed its state and it could not be kept beside the run');
  }
}

/** The run directory from the store, and the environment Terraform applies with; else why it may not apply. */
async function prepareApplyDir(deps: CoreDeps, session: Session, deployment: Deployment, dir: string, signal: AbortSignal): Promise<{ env: Record<string, string> } | string> {
  const plan = (await deps.store.plans.get(deployment.planId))!;
  const artifact = await deps.store.plans.getArtifact(plan.id);
  if (!artifact || sha256(artifact.planBytes) !== plan.planFileHash) return 'the saved plan file is missing from the store or does not match the reviewed plan; nothing was changed';
  const state = await deps.store.states.latest(session.projectId);
  if ((state?.serial ?? null) !== plan.stateSerial || (state?.checksum ?? null) !== plan.stateChecksum) return "the project's state moved on since the plan; nothing was changed";
  const specs = await deps.store.sessions.listResources(session.id);
  const identity = await runIdentity(deps, session.projectId, session.provider);
  const options = await runOptions(deps, session, identity);
  // The identity and the project's labels must still be those the plan was approved with (the configuration hash binds them).
  if (configHash(session.provider, specs, identity, options.labels) !== plan.configHash) return "the cloud identity or the project's labels changed since the plan was approved; nothing was changed — plan again";
  const generated = generateConfiguration(session.provider, specs, options);
  materialiseRun(dir, { files: generated.files, ...(state ? { state: state.stateJson } : {}), planBytes: artifact.planBytes, lockFile: artifact.lockFile });
  const init = await initRun(deps, dir, generated, { readonlyLock: true, signal });
  return init.ok ? { env: identityEnv(session.projectId, identity, deps.identityBindings) } : `Nothing was changed: ${terraformFailure('init', init, deps.runner.timeoutSeconds)}`;
}

/**
 * Records an apply's outcome under its fencing token: state version first, then git (success only),
 * then one DB transaction. A run that lost its lease records nothing: the process that took over
 * owns the project now, and what this run wrote is kept aside for the operator.
 */
/** The run being recorded: its fencing token, and its directory when this process can read it (removed after, when `removeDir`). */
export interface RecordedRun {
  fence: number;
  dir: string | null;
  removeDir: boolean;
  /** Ended before any Terraform ran (a queued run stopped or never taken): there is no state to look for. */
  neverRan?: boolean;
  /** A state Terraform printed instead of writing (disk full), in case it could not be kept in `dir` either. */
  printedState?: string;
}

export async function finishApply(deps: CoreDeps, session: Session, deployment: Deployment, status: ApplyStatus, error: string | null, durationMs: number, actorName: string, run: RecordedRun): Promise<ApplyResult> {
  try {
    return await recordApply(deps, session, deployment, status, error, durationMs, actorName, run);
  } catch (e) {
    // The store reports the environment refusing a write (full disk, another process's lock) as a storage error.
    if (!isCoreError(e) || e.code !== 'storage') throw e;
    const storage = e;
    deps.log.error({ err: e, sessionId: session.id }, 'apply finished but could not be recorded');
    return unrecorded(session, deployment, status, durationMs, run, storage.message);
  }
}

/**
 * Terraform's work is done but the store refused the record (disk full, locked): say exactly that. The
 * run's directory and lease stay, so whichever process next runs recovery records it from there.
 */
function unrecorded(session: Session, deployment: Deployment, status: ApplyStatus, durationMs: number, run: RecordedRun, why: string): ApplyResult {
  const did = status === 'succeeded' ? 'Terraform applied the plan' : `Terraform's apply ${status}`;
  // The storage message's own "nothing was changed" speaks of the store; here Terraform did change things.
  const error = `${did}, but recording it failed: ${why.split(';')[0]}. What Terraform wrote is kept in ${run.dir ?? 'its run directory'}; `
    + `project ${projectName(session.projectId)} stays locked until a Cloud Engine process records it, which any command or the bot does at its next start or sweep `
    + `once the store can be written again (free space, then run: cloud-engine state --project ${session.projectId}).`;
  return { status, session, deployment, stateSerial: null, commitHash: null, durationMs, error, warnings: [], recorded: false };
}

async function recordApply(deps: CoreDeps, session: Session, deployment: Deployment, status: ApplyStatus, error: string | null, durationMs: number, actorName: string, run: RecordedRun): Promise<ApplyResult> {
  const { fence, dir } = run;
  const warnings: string[] = [];
  const captured: CaptureOutcome = run.neverRan ? { kind: 'unchanged', version: await deps.store.states.latest(session.projectId) }
    : dir ? await deps.states.capture(session.projectId, session.id, dir, fence, run.printedState)
      : { kind: 'refused', reason: 'the directory of the run is not reachable from this process', version: await deps.store.states.latest(session.projectId) };
  if (captured.kind === 'refused') warnings.push(`State not saved: ${captured.reason}`);
  const serial = captured.version?.serial ?? null;
  const specs = await deps.store.sessions.listResources(session.id);
  let commitHash: string | null = null;
  if (status === 'succeeded' && await deps.store.locks.holds(session.projectId, fence)) {
    commitHash = await commitDeployment(deps, session, specs.length, { name: deployment.approverName ?? actorName, id: deployment.userId }, warnings);
  }
  const actor = { userId: deployment.userId, userName: actorName, guildId: session.guildId, isGuildAdmin: false };
  const finishedAt = deps.clock.now().toISOString();
  const finalState = status === 'succeeded' ? 'APPLIED' : status === 'failed' ? 'FAILED' : 'INTERRUPTED';
  const recorded = await deps.store.transaction(async () => {
    if (!await deps.store.locks.holds(session.projectId, fence)) return false;
    await deps.store.deployments.finish(deployment.id, { status, stateSerial: serial, error, finishedAt, durationMs });
    if (commitHash) await deps.store.deployments.setCommit(deployment.id, commitHash);
    if (status === 'succeeded') await recordDeployed(deps, session.projectId, session.provider, specs);
    else if (captured.version?.sessionId === session.id) {
      // Cut off or failed part-way: what runs now is what the state holds, so no later plan proposes destroying it.
      const previous = (await deps.store.sessions.listDeployed(session.projectId)).map((d) => d.spec);
      await recordDeployed(deps, session.projectId, session.provider, reconcileDeployed(previous, specs, captured.version.stateJson));
    }
    const eventType = status === 'succeeded' ? 'deployment_completed' : status === 'failed' ? 'deployment_failed' : 'deployment_interrupted';
    await leaseAfterApplyTx(deps, session, status, finishedAt);
    await finalizeTx(deps, actor, session, finalState, eventType, { deployment_id: deployment.id, state_serial: serial, git_commit: commitHash, duration_ms: durationMs, warnings }, error, fence);
    return true;
  });
  if (!recorded) {
    await deps.audit.record(actor, {
      eventType: 'run_fenced_out', projectId: session.projectId, sessionId: session.id, action: 'record_apply', status: 'failure',
      details: { deployment_id: deployment.id, fence, terraform_status: status }, error: leaseLost(session.projectId).message,
    });
  }
  // Everything Terraform wrote is in the store now (or kept aside as unrecorded): the directory has served.
  if (dir && run.removeDir && captured.kind !== 'refused') removeRunDir(dir);
  const push = commitHash && recorded ? await afterCommit(deps, session, commitHash) : undefined;
  return {
    status, session: (await deps.store.sessions.get(session.id))!, deployment: (await deps.store.deployments.bySession(session.id))!, stateSerial: serial, commitHash,
    durationMs, error: recorded ? error : leaseLost(session.projectId).message, warnings, recorded, ...(push ? { push } : {}),
  };
}

/**
 * The commit's author is the session's author (for a rollback, whoever asked for it), the approver is
 * its `Approved-by:` trailer: the one who wrote the change and the one who let it through.
 */
/** What a deployment's commit says it did, by its session's purpose. */
function commitSubject(session: Session, count: number): string {
  if (session.rollbackOf) return `Rollback to ${session.rollbackOf.slice(0, 7)}`;
  const subjects: Record<Exclude<SessionPurpose, 'rollback'>, string> = {
    deploy: `Deploy ${count} resources`, adopt: `Adopt drift (${count} resources)`, revert: `Revert drift (${count} resources)`,
    replan: `Recover (${count} resources)`, refresh: `Refresh state (${count} resources)`, expiry: 'Destroy the expired environment',
  };
  return subjects[session.purpose === 'rollback' ? 'deploy' : session.purpose];
}

async function commitDeployment(deps: CoreDeps, session: Session, count: number, approver: GitAuthor, warnings: string[]): Promise<string | null> {
  const dir = workspaceDir(deps.runsDir, session.projectId);
  const specs = await deps.store.sessions.listResources(session.id);
  try {
    // The project's git working tree is written only here, by the lease holder, after a successful apply.
    const generated = generateConfiguration(session.provider, specs, projectOptions((await deps.store.projects.get(session.projectId))!)).files;
    writeConfiguration(dir, generated);
    writeFileSync(join(dir, SPEC_FILE), `${JSON.stringify({ provider: session.provider, resources: specs }, null, 2)}\n`);
    const files = [...Object.keys(generated), SPEC_FILE];
    const author = { name: session.userName, id: session.userId };
    return await deps.git.commitDeployment(session.projectId, {
      files, author, approver, message: `${commitSubject(session, count)} via session ${shortId(session.id)} (${author.name})`,
    });
  } catch (e) {
    deps.log.error({ err: e, projectId: session.projectId }, 'git commit after apply failed');
    warnings.push('The deployment succeeded but could not be committed to the project repository.');
    return null;
  }
}

/** Optional tag and push: their failures are reported and audited, never fail the deployment. Returns the push's outcome when it pushed. */
async function afterCommit(deps: CoreDeps, session: Session, commitHash: string): Promise<PushOutcome | undefined> {
  const project = (await deps.store.projects.get(session.projectId))!;
  if (project.settings.auto_tag) {
    const tag = `deploy-${deps.clock.now().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}-${shortId(session.id)}`;
    await deps.git.tag(project.id, tag, commitHash).catch((err: unknown) => deps.log.warn({ err, projectId: project.id }, 'auto-tag failed'));
  }
  if (project.settings.git_auto_push && project.settings.git_remote_url) {
    const pushed = await deps.git.push(project.id);
    const outcome: PushOutcome = pushed.ok ? { ok: true } : { ok: false, error: deps.redact(pushed.error ?? 'push failed') };
    await deps.audit.record(null, {
      eventType: pushed.ok ? 'git_pushed' : 'git_push_failed', projectId: project.id, sessionId: session.id, action: 'push', status: pushed.ok ? 'success' : 'failure',
      details: { commit: commitHash }, error: outcome.error ?? null,
    });
    return outcome;
  }
  return undefined;
}
