import type { AuditEvent, AuditEventType, AuditFilter, AuditPage, AuditRow } from './audit.js';
import type { PlanArtifact, PlanRecord, PlanRef, PlanStatus } from './plans.js';
import type { BudgetAlert, Member, Project, ProjectKey, ProjectSettings, Quota, Role } from './projects.js';
import type { Provider, ResourceSpec } from './resources.js';
import type { Deployment, DeploymentStatus, LeaseOwner, LeaseRequest, Lock, Relay, StateVersion, WorkerBeat } from './runs.js';
import type { FormDraft, MessageRefs, Session, SessionState } from './sessions.js';
import type { DeploymentStatistics } from './stats.js';
import type { Money } from './money.js';
import type { ApprovalVote, PolicyOverride } from './policy.js';
import type { DriftState, DriftThread, SandboxWorld } from './drift.js';
import type { EnvLease, EnvLeaseChange, EnvLeaseStatus } from './expiry.js';

/**
 * The store as the core sees it: repositories of async calls and one transaction at a time. Nothing here
 * names a database; src/db implements it on SQLite, and another implementation (PostgreSQL) plugs in
 * behind the same calls.
 */
export interface Store {
  sessions: SessionRepository;
  plans: PlanRepository;
  projects: ProjectRepository;
  members: MemberRepository;
  quotas: QuotaRepository;
  budgetAlerts: BudgetAlertRepository;
  locks: LockRepository;
  deployments: DeploymentRepository;
  states: StateRepository;
  audit: AuditRepository;
  stats: StatsRepository;
  backups: BackupRepository;
  runLogs: RunLogRepository;
  workers: WorkerRepository;
  relays: RelayRepository;
  sweeps: SweepRepository;
  announcements: AnnouncementRepository;
  drafts: FormDraftRepository;
  approvals: ApprovalRepository;
  sandboxWorlds: SandboxWorldRepository;
  driftStates: DriftStateRepository;
  envLeases: EnvLeaseRepository;
  /**
   * Runs fn as one transaction: every store call fn makes (through this store, from fn's own async
   * context) commits together or not at all; other callers wait until it ends. fn must await nothing
   * but store calls — anything slower holds every other caller up. Transactions do not nest.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** The store can only be read (a read-only mount): commands that write must refuse. */
  readonly readOnly: boolean;
  close(): void;
}

export interface SessionRepository {
  insert(s: Session): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  /** Compare-and-set: moves the session to `to` only if it is still in one of `from`; false when another actor got there first. */
  moveState(id: string, from: readonly SessionState[], to: SessionState, now: string, error?: string | null, expiresAt?: string): Promise<boolean>;
  touch(id: string, now: string, expiresAt: string): Promise<void>;
  setMessage(id: string, refs: MessageRefs): Promise<void>;
  listInStates(states: readonly SessionState[], projectId?: ProjectKey): Promise<Session[]>;
  listExpirable(now: string): Promise<Session[]>;
  listResources(sessionId: string): Promise<ResourceSpec[]>;
  insertResource(sessionId: string, spec: ResourceSpec): Promise<void>;
  replaceResource(sessionId: string, spec: ResourceSpec): Promise<boolean>;
  deleteResource(sessionId: string, name: string): Promise<boolean>;
  setResources(sessionId: string, specs: ResourceSpec[]): Promise<void>;
  listDeployed(projectId: ProjectKey): Promise<Array<{ provider: Provider; spec: ResourceSpec }>>;
  setDeployed(projectId: ProjectKey, provider: Provider, specs: ResourceSpec[]): Promise<void>;
}

export interface PlanRepository {
  insert(p: PlanRecord): Promise<void>;
  updateResult(p: PlanRecord): Promise<void>;
  get(id: string): Promise<PlanRecord | undefined>;
  latest(sessionId: string): Promise<PlanRecord | undefined>;
  moveStatus(id: string, from: PlanStatus, to: PlanStatus): Promise<boolean>;
  supersede(sessionId: string): Promise<void>;
  setBudgetOverride(id: string, userId: string): Promise<void>;
  saveArtifact(planId: string, a: PlanArtifact): Promise<void>;
  getArtifact(planId: string): Promise<PlanArtifact | undefined>;
  /** The input document the plan's policies read (JSON), sealed at rest; undefined for a plan checked before policy. */
  savePolicyInput(planId: string, json: string): Promise<void>;
  getPolicyInput(planId: string): Promise<string | undefined>;
  /**
   * The plans of a project's sessions, newest first: those whose id starts with `idPrefix` (lowercase hex
   * and hyphens), or with none, those that kept a policy input.
   */
  findInProject(projectId: ProjectKey, query: { idPrefix?: string; limit: number }): Promise<PlanRef[]>;
}

/** Approval votes per plan and soft-mandatory overrides per session (issue 19). */
export interface ApprovalRepository {
  /** False when this approver had already voted on the plan: the same approver twice is one vote. */
  vote(v: ApprovalVote): Promise<boolean>;
  votes(planId: string): Promise<ApprovalVote[]>;
  /** Takes back a user's votes on the project's plans still under review; how many there were. */
  withdraw(projectId: string, userId: string): Promise<number>;
  /** False when the session's findings, as they hash now, were overridden already. */
  override(o: PolicyOverride): Promise<boolean>;
  overrideOf(sessionId: string, softHash: string): Promise<PolicyOverride | undefined>;
}

/** The sandbox cloud's view of each sandbox project (issue 20): written by the recorder and by `sandbox tamper`. */
export interface SandboxWorldRepository {
  get(projectId: ProjectKey): Promise<SandboxWorld | undefined>;
  set(projectId: ProjectKey, world: SandboxWorld): Promise<void>;
}

/** Each project's drift (issue 20, step 2): the open drift, the scheduled check and the Discord thread it lives in. */
export interface DriftStateRepository {
  get(projectId: ProjectKey): Promise<DriftState | undefined>;
  /** A check's outcome: the open drift (none: undefined), when it was checked, the revision a thread should show. */
  record(projectId: ProjectKey, open: DriftState['open'], checkedAt: string, revision: number): Promise<void>;
  /** True for one caller per period: the scheduled check was due at `now` (or never claimed); it is next due at `next`. */
  claimCheck(projectId: ProjectKey, now: string, next: string): Promise<boolean>;
  /** Gives back a claimed check that could not run: due again at the next sweep. */
  unclaimCheck(projectId: ProjectKey, claimedNext: string): Promise<void>;
  /** Compare-and-set: the right to open the open drift's thread, until `expiresAt`; false when there is one, or another holds the right. */
  claimThread(projectId: ProjectKey, owner: string, now: string, expiresAt: string): Promise<boolean>;
  /** Records the thread `owner` opened under its claim; false when the claim was no longer its own. */
  setThread(projectId: ProjectKey, owner: string, thread: DriftThread): Promise<boolean>;
  threadShown(projectId: ProjectKey, threadId: string, revision: number): Promise<void>;
  /** Forgets a thread once closed, if the drift is still gone; true for the one caller who did. */
  clearThread(projectId: ProjectKey, threadId: string): Promise<boolean>;
  /** Projects whose thread is behind their drift (to open, update or close). */
  pendingThreads(): Promise<ProjectKey[]>;
  /** The channel of the project's newest lobby, if any. */
  lastLobbyChannel(projectId: ProjectKey): Promise<string | undefined>;
}

/** Environment leases (issue 20): when a project's environment is destroyed; every move is a compare-and-set. */
export interface EnvLeaseRepository {
  put(lease: Omit<EnvLease, 'version'>): Promise<void>;
  get(projectId: ProjectKey): Promise<EnvLease | undefined>;
  remove(projectId: ProjectKey): Promise<boolean>;
  toSweep(): Promise<EnvLease[]>;
  /** False when the lease is no longer at `version` (another process changed it). */
  move(projectId: ProjectKey, version: number, to: EnvLeaseChange): Promise<boolean>;
  claimReminder(projectId: ProjectKey, endsAt: string, due: number): Promise<boolean>;
  claimAnnouncement(projectId: ProjectKey, status: EnvLeaseStatus): Promise<boolean>;
}

export interface ProjectRepository {
  insert(p: Project): Promise<void>;
  get(id: ProjectKey): Promise<Project | undefined>;
  list(guildId?: string): Promise<Project[]>;
  updateSettings(id: ProjectKey, settings: ProjectSettings): Promise<void>;
  updateBudgetLimit(id: ProjectKey, micros: Money): Promise<void>;
}

export interface MemberRepository {
  upsert(m: Member): Promise<void>;
  remove(projectId: ProjectKey, userId: string): Promise<boolean>;
  role(projectId: ProjectKey, userId: string): Promise<Role | undefined>;
  list(projectId: ProjectKey): Promise<Member[]>;
  projectsOf(userId: string): Promise<ProjectKey[]>;
}

export interface QuotaRepository {
  get(projectId: ProjectKey): Promise<Quota | undefined>;
  upsert(q: Quota): Promise<void>;
}

export interface BudgetAlertRepository {
  upsert(projectId: ProjectKey, thresholdMicros: Money, createdBy: string, createdAt: string): Promise<number>;
  list(projectId: ProjectKey): Promise<BudgetAlert[]>;
  setAbove(id: number, above: boolean, triggeredAt: string | null, valueMicros: Money): Promise<void>;
}

/** Project locks and run leases; every method that takes a fence changes nothing unless it is still current. */
export interface LockRepository {
  get(projectId: ProjectKey): Promise<Lock | undefined>;
  list(): Promise<Lock[]>;
  take(r: LeaseRequest): Promise<number | undefined>;
  claimRun(r: LeaseRequest): Promise<number | undefined>;
  takeOver(seen: Pick<Lock, 'projectId' | 'fence' | 'expiresAt'>, owner: LeaseOwner, now: string, expiresAt: string): Promise<number | undefined>;
  renew(projectId: ProjectKey, fence: number, now: string, expiresAt: string): Promise<{ cancelRequestedBy: string | null } | undefined>;
  setRunProcess(projectId: ProjectKey, fence: number, run: { dir?: string; pid?: number }): Promise<boolean>;
  park(projectId: ProjectKey, fence: number, expiresAt: string): Promise<boolean>;
  release(projectId: ProjectKey, fence: number): Promise<boolean>;
  releaseIdle(projectId: ProjectKey, sessionId: string): Promise<boolean>;
  requestCancel(projectId: ProjectKey, fence: number, by: string): Promise<boolean>;
  /** A worker takes an apply waiting on the queue: a fresh token, only from the queue's hold of `fence` for `sessionId`. */
  handOver(projectId: ProjectKey, sessionId: string, fence: number, owner: LeaseOwner, now: string, expiresAt: string): Promise<number | undefined>;
  holds(projectId: ProjectKey, fence: number): Promise<boolean>;
}

export interface DeploymentRepository {
  insert(d: Deployment): Promise<void>;
  finish(id: string, f: { status: DeploymentStatus; stateSerial: number | null; error: string | null; finishedAt: string; durationMs: number }): Promise<void>;
  setTerraformExit(id: string, exitCode: number | null): Promise<void>;
  setCommit(id: string, commitHash: string): Promise<void>;
  /** The apply moved to a new fencing token (a worker took it from the queue); only from `from`. */
  setFence(id: string, from: number, to: number): Promise<boolean>;
  setTerraformStarted(id: string, at: string): Promise<void>;
  bySession(sessionId: string): Promise<Deployment | undefined>;
  list(projectId: ProjectKey, limit?: number): Promise<Deployment[]>;
  listRunning(): Promise<Deployment[]>;
}

export interface StateRepository {
  latest(projectId: ProjectKey): Promise<StateVersion | undefined>;
  bySerial(projectId: ProjectKey, serial: number): Promise<StateVersion | undefined>;
  insert(v: Omit<StateVersion, 'id' | 'keyId'>): Promise<number>;
  list(projectId: ProjectKey, limit?: number): Promise<Array<Omit<StateVersion, 'stateJson'>>>;
  insertUnrecorded(v: Omit<StateVersion, 'id' | 'keyId'> & { fence: number | null; reason: string }): Promise<number>;
  /** Seals every stored body under the current key; refuses rows that were altered. */
  resealAll(): Promise<{ states: number; unrecorded: number; plans: number; planOutputs: number; policyInputs: number; drafts: number }>;
  /** The key new bodies are sealed with, or null when they are stored in clear. */
  currentKeyId(): string | null;
}

export interface AuditRepository {
  /** The only write the audit log allows. */
  append(e: AuditEvent, timestamp: string): Promise<number>;
  query(f: AuditFilter): Promise<AuditRow[]>;
  page(f: AuditFilter): Promise<AuditPage>;
  /** Every matching row, newest first, a page at a time: an export of millions stays in bounded memory. */
  iterate(f: Omit<AuditFilter, 'limit'>, pageSize?: number): AsyncGenerator<AuditRow>;
  /** The newest successful row of these types on a session. */
  latestOfSession(sessionId: string, types: readonly AuditEventType[]): Promise<AuditRow | undefined>;
}

/** What a run's Terraform printed, in order, for whichever process relays it. */
export interface RunLogRepository {
  append(deploymentId: string, firstSeq: number, lines: string[]): Promise<void>;
  /** Lines after `seq`, oldest first, at most `limit`. */
  after(deploymentId: string, seq: number, limit: number): Promise<Array<{ seq: number; line: string }>>;
}

export interface RelayRepository {
  /** The relay of a new apply, owned by its first relaying process; false when it exists already. */
  start(r: Omit<Relay, 'postedSeq' | 'done'>): Promise<boolean>;
  /** Takes (or renews) the relay for `owner`: only when it is not done and is the owner's or has expired. */
  claim(deploymentId: string, owner: string, now: string, expiresAt: string): Promise<Relay | undefined>;
  /** Records progress; false when `owner` no longer holds it. */
  progress(deploymentId: string, owner: string, p: { postedSeq?: number; done?: boolean }): Promise<boolean>;
  /** Relays whose owner stopped renewing them before they were done. */
  orphans(now: string): Promise<Relay[]>;
}

/** Forms the core refused, as typed (their values sealed at rest like plan text: a refused value may be a credential). */
export interface FormDraftRepository {
  insert(d: FormDraft): Promise<void>;
  /** The draft, or undefined when there is none or no configured key opens it. */
  get(id: string): Promise<FormDraft | undefined>;
  /** Deletes every expired draft, and the author's drafts of the session beyond the newest `keep`. */
  prune(now: string, sessionId: string, userId: string, keep: number): Promise<void>;
  /** Deletes every expired draft; returns how many. */
  purge(now: string): Promise<number>;
}

/** Work that runs once per interval across every process. */
export interface SweepRepository {
  /** True for exactly one caller per interval: when `name` last ran at or before `lastRunBefore`. */
  claim(name: string, now: string, lastRunBefore: string): Promise<boolean>;
}

/** Audit events posted where people see them (a lobby's channel), each once across every process. */
export interface AnnouncementRepository {
  /** Successful rows of `types` on a session since `since`, oldest first: not announced, and no live claim on them. */
  pending(types: readonly AuditEventType[], since: string, now: string, limit: number): Promise<AuditRow[]>;
  /** True for one caller: takes the event for `owner` until `expiresAt`, unless it is announced or another claim is live. */
  claim(auditId: number, owner: string, now: string, expiresAt: string): Promise<boolean>;
  /** Marks it announced; false when `owner` no longer held the claim. */
  finish(auditId: number, owner: string): Promise<boolean>;
}

export interface WorkerRepository {
  beat(w: WorkerBeat): Promise<void>;
  remove(id: string): Promise<void>;
  list(): Promise<WorkerBeat[]>;
}

export interface StatsRepository {
  deployments(guildId: string | undefined, days: number, now: Date): Promise<DeploymentStatistics>;
}

/** What a repository bundle holds for one project in a backup. */
export interface RepositoryBundle {
  projectId: ProjectKey;
  bundle: Buffer;
}

export interface BackupRepository {
  /**
   * Writes a consistent copy of the store to `path` (a new file), taken while others keep writing, and
   * completes it with the repositories `collect` gathers for the projects in that copy.
   */
  write(path: string, collect: (projectIds: ProjectKey[]) => Promise<RepositoryBundle[]>, createdAt: string): Promise<{ projects: number; repositories: number }>;
}

/** A backup file opened for restoring: what the core checks before anything is written. */
export interface BackupReader {
  createdAt: string;
  projectIds: ProjectKey[];
  /** The migrations its store records; undefined when it has no record of them. */
  migrations: string[] | undefined;
  repositories(): RepositoryBundle[];
  /** Writes its store, without the backup's own parts, as a new store at `target`, migrated to this version. */
  extractTo(target: string): void;
  close(): void;
}

/** Backup files of this kind of store, read outside any running store (a restore starts from nothing). */
export interface BackupFiles {
  /** Refuses (validation) a file that is not a backup written by `backups.write`. */
  open(path: string): BackupReader;
  migrationNames(): string[];
  /** Ends the runs that were live in the source store when the backup was taken; returns them. */
  settleRuns(target: string, now: string, note: string): Array<{ projectId: ProjectKey; sessionId: string; state: string }>;
}
