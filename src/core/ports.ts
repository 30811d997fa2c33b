import type { Provider, ResourceSpec } from '../domain/resources.js';
import type { ProjectKey } from '../domain/projects.js';

/** Side effects the core depends on, behind small interfaces so tests use real things in temp dirs. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export type { DeploymentEstimate, ResourceEstimate } from '../cost/types.js';
import type { DeploymentEstimate, ResourceEstimate } from '../cost/types.js';

/** What the core needs from the cost engine (src/cost implements it). */
export interface CostPort {
  estimateResource(provider: Provider, spec: ResourceSpec): ResourceEstimate;
  estimateDeployment(provider: Provider, specs: ResourceSpec[]): DeploymentEstimate;
}

export interface GitAuthor {
  name: string;
  id: string;
}

export type { LogEntry as GitLogEntry } from '../git/history.js';
import type { LogEntry as GitLogEntry } from '../git/history.js';
import type { DeploymentCommit, PolicyCommit } from '../git/validate.js';
import type { Money } from '../domain/money.js';
import type { PolicyFile } from '../domain/policy.js';

/** The per-project repository (src/git implements it). */
export interface GitPort {
  log(projectId: ProjectKey, limit?: number): Promise<GitLogEntry[]>;
  diff(projectId: ProjectKey, from: string, to?: string): Promise<{ from: string; to: string; text: string; filesChanged: number }>;
  init(projectId: ProjectKey): Promise<void>;
  /** The commit's author is the session's author; the approver goes in an `Approved-by:` trailer; the committer is Cloud Engine. */
  commitDeployment(projectId: ProjectKey, args: DeploymentCommit): Promise<string>;
  tag(projectId: ProjectKey, tag: string, commit?: string, message?: string): Promise<{ tag: string; commit: string }>;
  show(projectId: ProjectKey, commit: string, path: string): Promise<string>;
  /**
   * Commits one pack file, authored by the admin, with the text `review` returns from the pack HEAD holds now
   * (null removes the file; a throw refuses, and nothing is written). `commit` is null when nothing changed.
   */
  commitPolicyFile<T extends { text: string | null }>(projectId: ProjectKey, change: PolicyCommit, review: (current: PolicyFile[]) => T | Promise<T>): Promise<{ commit: string | null; reviewed: T }>;
  /** The policy pack files HEAD holds (`policies/*.yaml`), size-checked before they are read. */
  policyFiles(projectId: ProjectKey): Promise<PolicyFile[]>;
  resolve(projectId: ProjectKey, ref: string): Promise<string>;
  push(projectId: ProjectKey): Promise<{ ok: boolean; error?: string }>;
  setRemote(projectId: ProjectKey, url: string): Promise<void>;
  removeRemote(projectId: ProjectKey): Promise<void>;
  bundle(projectId: ProjectKey): Promise<Buffer>;
  restoreBundle(projectId: ProjectKey, bundle: Buffer): Promise<void>;
}

export interface BudgetAlertNotice {
  projectId: ProjectKey;
  guildId: string;
  sessionId: string | null;
  threshold: Money;
  estimate: Money;
  budgetLimit: Money;
  overage: Money;
  alertChannelId?: string;
  adminUserIds: string[];
}

/** Tells people about things that happened without them asking (budget alerts). */
export interface Notifier {
  budgetAlert(notice: BudgetAlertNotice): Promise<void>;
}

export const silentNotifier: Notifier = { budgetAlert: async () => {} };

