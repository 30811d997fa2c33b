import type { Action, Actor } from '../policy/permissions.js';
import { authorize, loadSession, projectVisibleTo } from './access.js';
import { startApply, type ApplyRun } from './applying.js';
import { followApply, runQueuedApply, stopFollowedRuns, stopQueuedRun } from './queuedRuns.js';
import { approveSession, overridePolicy, type ApproveOptions } from './approval.js';
import type { CoreDeps } from './deps.js';
import { applyNotStartable, isCoreError, noApplyRunning, shuttingDown } from '../domain/errors.js';
import type { QueuedRun, RunQueue } from '../domain/queue.js';
import * as cluster from './cluster.js';
import * as relays from './relays.js';
import type { Deployment, WorkerBeat } from '../domain/runs.js';
import type { MessageRefs, Session } from '../domain/sessions.js';
import * as importing from './importing.js';
import * as notices from './notices.js';
import * as history from './history.js';
import * as backups from './backup.js';
import * as identities from './identity.js';
import type { CloudIdentity } from './identity.js';
import { beginPlan, runQueuedPlan } from './planning.js';
import * as admin from './projectAdmin.js';
import * as policies from './policyAdmin.js';
import { testPolicies, type PolicyTestRequest } from './policyTest.js';
import { recoverExpired } from './recovery.js';
import { interruptLocalRuns, localRuns } from './runs.js';
import { rollback } from './rollback.js';
import * as recovery from './recoveryActions.js';
import type { RecoveryAction } from './recoveryView.js';
import * as sessions from './sessions.js';
import * as drafts from './drafts.js';
import * as drift from './drift.js';
import * as driftActions from './driftActions.js';
import * as driftSchedule from './driftSchedule.js';
import * as driftState from './driftState.js';
import type { DriftThread } from '../domain/drift.js';
import type { Project, ProjectKey } from '../domain/projects.js';
import * as expiry from './expiry.js';
import * as expiryDestroy from './expiryDestroy.js';
import * as views from './views.js';

/**
 * The one entry point for Discord and the CLI: every use case, each checking rights, moving the
 * session through the state machine and auditing what happened.
 */
export class CloudOrchestrator {
  private accepting = true;
  private readonly starting = new Set<Promise<unknown>>();

  constructor(readonly deps: CoreDeps) {}

  // projects and administration
  createProject = (actor: Actor, input: admin.CreateProjectInput) => this.guard(() => admin.createProject(this.deps, actor, input));
  listProjects = (actor: Actor) => admin.listVisibleProjects(this.deps, actor);
  /** The project as this actor may see it; a project of another guild is "not found". */
  project = (actor: Actor, name: string) => projectVisibleTo(this.deps, actor, name);
  grantRole = (actor: Actor, name: string, userId: string, role: string) => admin.grantRole(this.deps, actor, name, userId, role);
  revokeRole = (actor: Actor, name: string, userId: string) => admin.revokeRole(this.deps, actor, name, userId);
  members = (actor: Actor, name: string) => admin.members(this.deps, actor, name);
  setQuota = (actor: Actor, name: string, input: admin.QuotaInput) => admin.setQuota(this.deps, actor, name, input);
  setBudgetAlert = (actor: Actor, name: string, thresholdUsd: number) => admin.setBudgetAlert(this.deps, actor, name, thresholdUsd);
  setBudgetLimit = (actor: Actor, name: string, usd: number) => admin.setBudgetLimit(this.deps, actor, name, usd);
  /** Whether a deployer may approve their own plans, and whether applies are tagged; the project's admins only. */
  setReviewSettings = (actor: Actor, name: string, settings: admin.ReviewSettings) => admin.setReviewSettings(this.deps, actor, name, settings);
  reviewSettings = (actor: Actor, name: string) => admin.reviewSettings(this.deps, actor, name);
  setIdentity = (actor: Actor, name: string, identity: CloudIdentity | null) => identities.setIdentity(this.deps, actor, name, identity);
  identityOf = (actor: Actor, name: string) => identities.projectIdentity(this.deps, actor, name);
  forceUnlock = (actor: Actor, name: string, reason: string, opts?: { interrupt?: boolean }) => admin.forceUnlock(this.deps, actor, name, reason, opts);

  // the project's policy pack, as code in its repository
  listPolicies = (actor: Actor, name: string) => policies.listPolicies(this.deps, actor, name);
  /** Evaluates the pack (or the pack with a candidate file) against a plan; records nothing. */
  testPolicies = (actor: Actor, name: string, req: PolicyTestRequest) => testPolicies(this.deps, actor, name, req);
  /** Each change is reviewed as a whole pack, committed and audited; every plan not yet applied is stale after it. */
  uploadPolicy = (actor: Actor, name: string, file: policies.PolicyFileInput) => policies.uploadPolicy(this.deps, actor, name, file);
  setPolicyLevel = (actor: Actor, name: string, ruleId: string, level: string) => policies.setPolicyLevel(this.deps, actor, name, ruleId, level);
  removePolicy = (actor: Actor, name: string, fileName: string) => policies.removePolicy(this.deps, actor, name, fileName);

  // sessions
  startSession = (actor: Actor, name: string, provider?: string, channelId?: string) => this.guard(() => sessions.startSession(this.deps, actor, name, provider, channelId));
  addResource = (actor: Actor, sessionId: string, raw: unknown) => sessions.addResource(this.deps, actor, sessionId, raw);
  /** Replaces resource `name` (it may be renamed) by `raw`, checked as an added one is. */
  editResource = (actor: Actor, sessionId: string, name: string, raw: unknown) => sessions.editResource(this.deps, actor, sessionId, name, raw);
  /** Keeps what the actor typed into a refused form of the session (an hour); its id comes back. */
  keepDraft = (actor: Actor, sessionId: string, input: drafts.DraftInput) => drafts.keepDraft(this.deps, actor, sessionId, input);
  draft = (actor: Actor, sessionId: string, draftId: string) => drafts.draftOf(this.deps, actor, sessionId, draftId);
  importSession = (actor: Actor, name: string, items: unknown[], channelId?: string) => this.guard(() => importing.importSession(this.deps, actor, name, items, channelId));
  removeResource = (actor: Actor, sessionId: string, name: string) => sessions.removeResource(this.deps, actor, sessionId, name);
  cancel = (actor: Actor, sessionId: string) => sessions.cancelSession(this.deps, actor, sessionId);
  expireIdle = () => sessions.expireIdle(this.deps);
  plan = async (actor: Actor, sessionId: string) => (await this.beginPlan(actor, sessionId)).outcome;
  /** Resolves once the plan holds the project (refusals reject it); its `outcome` settles when Terraform is done. */
  beginPlan = (actor: Actor, sessionId: string) => this.startingRun(this.guard(() => beginPlan(this.deps, actor, sessionId)));
  approve = (actor: Actor, sessionId: string, opts?: ApproveOptions) => this.guard(() => approveSession(this.deps, actor, sessionId, opts));
  /** A project admin lets the plan's soft-mandatory findings through, with a reason (audited). */
  overridePolicy = (actor: Actor, sessionId: string, reason: string) => overridePolicy(this.deps, actor, sessionId, reason);
  /** Starts (and streams) the apply of a session already approved; `result` settles once everything is recorded. */
  apply = (sessionId: string, actorName: string): Promise<ApplyRun> => (this.deps.queue ? this.follow(sessionId, actorName) : this.startingRun(startApply(this.deps, sessionId, actorName)));
  /**
   * Approval and apply as one use case, for every adapter: approves exactly the reviewed plan, then
   * starts Terraform under the lease approval claimed. A refusal rejects before anything starts.
   */
  approveAndApply = (actor: Actor, sessionId: string, opts?: ApproveOptions) => this.startingRun(this.guard(async () => {
    const approved = await approveSession(this.deps, actor, sessionId, opts);
    if (approved.kind === 'voted') return approved;
    return { ...approved, run: this.deps.queue ? await followApply(this.deps, sessionId, approved.deployment, actor.userName) : await startApply(this.deps, sessionId, actor.userName) };
  }));
  /** A worker's part (RUN_QUEUE=workers): runs one apply from the queue here, or nothing if it is no longer the queue's. */
  // relaying an apply a worker runs (RUN_QUEUE=workers), from whichever bot process holds the relay
  beginRelay = (deployment: Deployment, threadId: string) => relays.beginRelay(this.deps, deployment, threadId);
  renewRelay = (deploymentId: string) => relays.renewRelay(this.deps, deploymentId);
  recordRelay = (deploymentId: string, p: Parameters<typeof relays.recordRelay>[2]) => relays.recordRelay(this.deps, deploymentId, p);
  adoptOrphanRelays = () => relays.adoptOrphanRelays(this.deps);
  runLogAfter = (deploymentId: string, seq: number, limit: number) => relays.runLogAfter(this.deps, deploymentId, seq, limit);
  recordedApply = (sessionId: string) => relays.recordedApply(this.deps, sessionId);
  boardStart = (sessionId: string) => relays.boardStart(this.deps, sessionId);
  claimSweep = (name: string, intervalMs: number) => relays.claimSweep(this.deps, name, intervalMs);
  /** Session events (expiries, force-unlocks) not yet announced, from any process, each claimed for this one. */
  claimNotices = (limit?: number) => notices.claimNotices(this.deps, limit);
  noticeAnnounced = (auditId: number) => notices.noticeAnnounced(this.deps, auditId);
  /** Applies run on workers (RUN_QUEUE=workers): adapters relay them from the store. */
  get runsOnWorkers(): boolean { return this.deps.queue !== undefined; }
  status = (actor: Actor, queue?: RunQueue) => cluster.clusterStatus(this.deps, actor, queue);
  reportWorker = (beat: WorkerBeat) => cluster.reportWorker(this.deps, beat);
  workerGone = (id: string) => cluster.workerGone(this.deps, id);
  runQueued = async (job: QueuedRun): Promise<{ status: string } | undefined> => {
    // Shutdown waits only for the start (hand-over, Terraform registered as a run here), then interrupts the run.
    const start = (): Promise<{ finished: Promise<{ status: string }> } | undefined> => (job.kind === 'apply'
      ? runQueuedApply(this.deps, job)
      : runQueuedPlan(this.deps, job).then((s) => s && { finished: s.finished.then((o) => o.plan) }));
    const started = await this.startingRun(this.guard(start));
    return started && started.finished;
  };
  /** Plans an earlier commit's configuration in a new session; resolves with the plan's outcome. */
  rollback = async (actor: Actor, name: string, ref: string, channelId?: string) => {
    const { outcome, commit } = await this.startingRun(this.guard(() => rollback(this.deps, actor, name, ref, channelId)));
    return { ...(await outcome), commit };
  };

  /** The recovery card of an INTERRUPTED or FAILED session, with what this actor may do; undefined for any other. */
  recoveryCard = (actor: Actor, sessionId: string) => recovery.recoveryCard(this.deps, actor, sessionId);
  /** Starts a way out of a stopped apply (a new session, planned); resolves once the plan holds the project. */
  startRecovery = (actor: Actor, sessionId: string, action: RecoveryAction, channelId?: string) =>
    this.startingRun(this.guard(() => recovery.startRecovery(this.deps, actor, sessionId, action, channelId)));

  // drift (issue 20): the sandbox cloud changed out of band, and a refresh-only check of any project against it
  tamperSandbox = (actor: Actor, name: string, resource: string, change: drift.TamperChange) => drift.tamperSandbox(this.deps, actor, name, resource, change);
  detectDrift = (actor: Actor, name: string) => this.startingRun(this.guard(() => drift.detectDrift(this.deps, actor, name)));
  /** A session that adopts (accepts the real values) or reverts the project's open drift, planned; resolves once the plan holds the project. */
  startDriftAction = (actor: Actor, name: string, action: driftActions.DriftAction, channelId?: string) =>
    this.startingRun(this.guard(() => driftActions.startDriftAction(this.deps, actor, name, action, channelId)));
  /** The scheduled checks due now, each claimed for this process; run by the system (a shutdown waits for the one starting, then interrupts it). */
  runDueDriftChecks = () => driftSchedule.runDueDriftChecks(this.deps, (p) => this.startingRun(this.guard(() => drift.checkDrift(this.deps, null, p))));
  // the drift thread (issue 20, step 2), kept in the store so that one thread is opened per drift across processes
  driftOf = (projectId: ProjectKey) => driftState.driftOf(this.deps, projectId);
  pendingDriftThreads = () => this.deps.store.driftStates.pendingThreads();
  driftChannel = (project: Project, askedFrom?: string) => driftState.driftChannel(this.deps, project, askedFrom);
  claimDriftThread = (projectId: ProjectKey) => driftState.claimDriftThread(this.deps, projectId);
  driftThreadOpened = (projectId: ProjectKey, thread: DriftThread) => driftState.driftThreadOpened(this.deps, projectId, thread);
  driftThreadShown = (projectId: ProjectKey, threadId: string, revision: number) => driftState.driftThreadShown(this.deps, projectId, threadId, revision);
  driftThreadClosed = (projectId: ProjectKey, threadId: string) => driftState.driftThreadClosed(this.deps, projectId, threadId);

  // environments that expire (issue 20): a project's environment lease, its reminders, and its destroy at the end
  setLease = (actor: Actor, name: string, ttl: string, channelId?: string) => expiry.setLease(this.deps, actor, name, ttl, channelId);
  extendLease = (actor: Actor, name: string, by?: string) => expiry.extendLease(this.deps, actor, name, by);
  endLease = (actor: Actor, name: string) => expiry.endLease(this.deps, actor, name);
  leaseOf = (actor: Actor, name: string) => expiry.leaseOf(this.deps, actor, name);
  /** Reminders newly due, each claimed for this process (once across every process and restart). */
  claimLeaseReminders = () => expiry.claimReminders(this.deps);
  /** Expiries newly due or newly settled (expired, stopped) to say in the project's channel, each claimed once. */
  claimLeaseOutcomes = () => expiryDestroy.claimOutcomes(this.deps);
  /** Starts the destroy session of every lease whose end has come (claimed once), after settling expiries whose session ended. */
  expireDueLeases = () => this.startingRun(this.guard(async () => {
    await expiryDestroy.settleExpiries(this.deps);
    return expiryDestroy.expireDue(this.deps);
  }));
  destroyNow = (actor: Actor, name: string) => this.startingRun(this.guard(() => expiryDestroy.destroyNow(this.deps, actor, name)));
  /**
   * `expiry_approval: auto`: the system approves the destroy plan and its apply starts; `held` when policy asks a
   * project admin's override first (the session then waits in its lobby).
   */
  approveExpiry = (sessionId: string) => this.startingRun(this.guard(async (): Promise<{ kind: 'held'; reason: string } | { kind: 'applying'; session: Session; run: ApplyRun }> => {
    let approved;
    try {
      approved = await expiryDestroy.approveExpiry(this.deps, sessionId);
    } catch (e) {
      if (isCoreError(e) && e.refusal?.kind === 'policy_override_needed') return { kind: 'held', reason: e.message };
      throw e;
    }
    if (approved.kind === 'voted') return { kind: 'held', reason: 'voted' };
    const run = this.deps.queue ? await followApply(this.deps, sessionId, approved.deployment, approved.deployment.approverName ?? 'Cloud Engine') : await startApply(this.deps, sessionId, approved.deployment.approverName ?? 'Cloud Engine');
    return { kind: 'applying', session: approved.session, run };
  }));

  // history
  gitLog = (actor: Actor, name: string, limit?: number) => history.gitLog(this.deps, actor, name, limit);
  gitDiff = (actor: Actor, name: string, from: string, to?: string) => history.gitDiff(this.deps, actor, name, from, to);
  gitTag = (actor: Actor, name: string, tag: string, commit?: string, message?: string) => history.gitTag(this.deps, actor, name, tag, commit, message);
  gitRemote = (actor: Actor, name: string, url: string, autoPush: boolean) => history.gitRemote(this.deps, actor, name, url, autoPush);

  /**
   * Interrupts a running apply wherever it runs: directly in this process, through its lease in
   * another (its heartbeat sees the request within a twelfth of the lease). SIGINT first, so
   * Terraform saves the state it has.
   */
  /** Interrupts the project's running apply, found through its lock (see cancelApply). */
  async stopApply(actor: Actor, name: string): Promise<{ sessionId: string }> {
    // Only members learn whether something runs; stopping it is then the session's own check (owner or admin).
    const project = await authorize(this.deps, actor, name, 'project.view');
    const lock = await this.deps.store.locks.get(project.id);
    if (!lock) throw noApplyRunning(project.name);
    await this.cancelApply(actor, lock.sessionId);
    return { sessionId: lock.sessionId };
  }

  async cancelApply(actor: Actor, sessionId: string): Promise<void> {
    const session = await loadSession(this.deps, actor, sessionId);
    await authorize(this.deps, actor, session, 'session.cancel');
    const lock = await this.deps.store.locks.get(session.projectId);
    if (session.state !== 'APPLYING' || lock?.sessionId !== sessionId || !lock.owner) throw noApplyRunning();
    if (await stopQueuedRun(this.deps, actor.userName, lock)) {
      await this.deps.audit.record(actor, { eventType: 'apply_cancel_requested', projectId: session.projectId, sessionId, action: 'cancel_apply', status: 'info', details: { queued: true } });
      return;
    }
    await this.deps.store.transaction(async () => {
      // The apply may have ended, or lost its lease, since the lock was read: then there is nothing to stop.
      if (!await this.deps.store.locks.requestCancel(session.projectId, lock.fence, actor.userId)) throw noApplyRunning();
      await this.deps.audit.record(actor, { eventType: 'apply_cancel_requested', projectId: session.projectId, sessionId, action: 'cancel_apply', status: 'info' });
    });
    localRuns.get(sessionId)?.cancel();
  }

  // views
  sessionView = (actor: Actor, sessionId: string) => views.sessionView(this.deps, actor, sessionId);
  projectCost = (actor: Actor, name: string) => views.projectCost(this.deps, actor, name);
  activeSessions = (actor: Actor, projectId?: string) => views.activeSessions(this.deps, actor, projectId);
  stateVersions = (actor: Actor, name: string) => views.stateVersions(this.deps, actor, name);
  showState = (actor: Actor, name: string, serial?: number) => views.showState(this.deps, actor, name, serial);
  rekeyStore = (actor: Actor) => views.rekeyStore(this.deps, actor);
  audit = (actor: Actor, request: views.AuditRequest) => views.auditLog(this.deps, actor, request);
  exportAudit = (actor: Actor, request: Omit<views.AuditRequest, 'limit' | 'beforeId'>) => views.exportAudit(this.deps, actor, request);
  statistics = (actor: Actor, days: number, operatorGuildId?: string) => views.statistics(this.deps, actor, days, operatorGuildId);
  deployedResources = (actor: Actor, name: string) => views.deployedResources(this.deps, actor, name);
  assertCan = (actor: Actor, sessionId: string, action: Action) => views.assertCan(this.deps, actor, sessionId, action);
  attachMessage = (sessionId: string, refs: MessageRefs) => sessions.attachMessage(this.deps, sessionId, refs);

  // lifecycle
  /** Settles runs whose owner died or whose lease expired (never a live run of another process), then expires idle sessions. */
  recover = async () => {
    const report = await recoverExpired(this.deps);
    await drafts.forgetExpiredDrafts(this.deps);
    return { ...report, expired: await this.expireIdle() };
  };

  /** Forgets stored push remotes the remote rules refuse (set before them); run once at start by a writer. */
  forgetRefusedRemotes = () => history.forgetRefusedRemotes(this.deps);
  backup = (actor: Actor, out: string) => backups.backupStore(this.deps, actor, out);
  auditRestore = (actor: Actor, file: string, result: backups.RestoreResult) => backups.auditRestore(this.deps, actor, file, result);
  auditCopy = (actor: Actor, source: string, copy: Parameters<typeof backups.auditCopy>[3]) => backups.auditCopy(this.deps, actor, source, copy);

  /**
   * Stop taking new sessions, interrupt this process's plans and applies safely, and wait until they are
   * recorded. A plan or apply still starting (checks and lease taken, Terraform not yet registered) is
   * waited for first, so it is interrupted too rather than left running past the shutdown.
   */
  async shutdown(opts: { stopFollowed?: boolean } = {}): Promise<void> {
    this.accepting = false;
    await Promise.allSettled([...this.starting]);
    await interruptLocalRuns();
    // A command's Ctrl-C stops the applies it follows on workers too; a bot's restart leaves them running.
    if (opts.stopFollowed) await stopFollowedRuns();
  }

  /** An approved apply on the run queue, followed through the store wherever a worker runs it. */
  private async follow(sessionId: string, actorName: string): Promise<ApplyRun> {
    const deployment = await this.deps.store.deployments.bySession(sessionId);
    if (deployment?.status !== 'running') throw applyNotStartable('not_approved');
    return followApply(this.deps, sessionId, deployment, actorName);
  }

  private guard<T>(fn: () => T): T {
    if (!this.accepting) throw shuttingDown();
    return fn();
  }

  /** A use case that ends by starting a local run: shutdown waits until it is registered (or refused). */
  private startingRun<T>(started: Promise<T>): Promise<T> {
    this.starting.add(started);
    void started.finally(() => this.starting.delete(started)).catch(() => undefined);
    return started;
  }
}
