import { CoreError } from './errors.js';
import type { Labels, Provider } from './resources.js';
import type { Money } from './money.js';
import type { RiskTier } from './policy.js';
import type { DriftSchedule } from './drift.js';
import type { ExpiryApproval } from './expiry.js';

/**
 * A project belongs to its server: its identity is (server, name), and every key, lock, state, run
 * directory and repository is keyed by both. The store keeps the pair as one key, `<server>/<name>`
 * (like GitHub's owner/repo); the brand makes the compiler refuse a bare name wherever a key belongs.
 */
export type ProjectKey = string & { readonly __projectKey: unique symbol };

/** What users type: 3-40 lowercase letters, digits and hyphens, starting with a letter. */
export const PROJECT_NAME_PATTERN = /^[a-z][a-z0-9-]{2,39}$/;
/**
 * A server: a Discord guild id (digits) or a name the operator gave on the CLI (`local` by default).
 * Lowercase words joined by single hyphens: a key is a safe path and a safe environment-variable part.
 */
export const SERVER_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const PROJECT_NAME_RULE = '3-40 characters: lowercase letters, digits and hyphens, starting with a letter';
export const SERVER_ID_RULE = 'a server id: up to 64 lowercase letters and digits, with single hyphens between them';

/** The operator's per-project binding variables start with these (core/identity.ts names them). */
export const SECRET_VAR_PREFIX = 'CLOUD_ENGINE_SECRET_';
export const SERVICE_ACCOUNT_VAR_PREFIX = 'CLOUD_ENGINE_GCP_SA_';

export const isProjectName = (name: string) => PROJECT_NAME_PATTERN.test(name);
export const isServerId = (guildId: string) => guildId.length <= 64 && SERVER_ID_PATTERN.test(guildId);

/** The key of project `name` in server `guildId`; callers have checked both (isServerId, isProjectName). */
export const projectKey = (guildId: string, name: string) => `${guildId}/${name}` as ProjectKey;

/** The (server, name) a key stands for, or undefined when the text is not a key. */
export function parseProjectKey(text: string): { guildId: string; name: string } | undefined {
  const slash = text.indexOf('/');
  const guildId = text.slice(0, slash);
  const name = text.slice(slash + 1);
  return slash > 0 && isServerId(guildId) && isProjectName(name) ? { guildId, name } : undefined;
}

/**
 * The (server, name) of a key that is about to become folders or a variable name: anything but the
 * plain words the patterns allow is refused, so no key can walk out of the runs directory.
 */
export function projectKeyParts(key: ProjectKey): { guildId: string; name: string } {
  const parts = parseProjectKey(key);
  if (!parts) throw new CoreError('validation', `project key '${key.slice(0, 110)}' is not <server>/<name> (server: ${SERVER_ID_RULE}; name: ${PROJECT_NAME_RULE})`);
  return parts;
}

/** The name users know a project by (the part of its key after the server). */
export const projectName = (key: ProjectKey) => key.slice(key.indexOf('/') + 1);

export interface ProjectSettings {
  allow_self_approval: boolean;
  auto_tag: boolean;
  git_remote_url?: string;
  git_auto_push?: boolean;
  alert_channel_id?: string;
  /** Which cloud identity runs deploy as (a reference, never a secret); core/identity.ts validates it. */
  cloud_identity?: Record<string, string>;
  /** Production projects get the policies that only production needs (database backups, HA). */
  production?: boolean;
  /** Distinct approvers each risk tier needs (default DEFAULT_APPROVALS: 1/1/2). */
  approvals?: Record<RiskTier, number>;
  /** A plan adding more than this a month is high risk (default DEFAULT_COST_THRESHOLD_MICROS). */
  cost_threshold_micros?: Money;
  /** Off: no rule is evaluated (tiers still apply). On unless an admin turns it off. */
  policy_checks?: boolean;
  /** Labels every resource of the project carries beside its spec's own (a spec's value wins for its key); never `{}`. */
  labels?: Labels;
  /** How often drift is checked on a schedule; unset: daily on a cloud, off on the sandbox (see core/driftState.ts). */
  drift_schedule?: DriftSchedule;
  /** Who approves the destroy plan of an environment lease's end (default DEFAULT_EXPIRY_APPROVAL: one approver). */
  expiry_approval?: ExpiryApproval;
}

export interface Project {
  id: ProjectKey;
  /** Unique within its server; what users type and see. */
  name: string;
  /**
   * The name its cloud resources carry (resource groups, tags, a default firewall): its name, or its name
   * with a suffix from its key when another server's project already carries that name, so two servers
   * deploying into one cloud account never collide or claim each other's resources.
   */
  cloudName: string;
  guildId: string;
  description: string;
  defaultProvider: Provider;
  budgetLimitMicros: Money;
  settings: ProjectSettings;
  createdBy: string;
  createdAt: string;
}

export const DEFAULT_SETTINGS: ProjectSettings = { allow_self_approval: false, auto_tag: false };

export const ROLES = ['viewer', 'deployer', 'approver', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export interface Member {
  projectId: ProjectKey;
  userId: string;
  role: Role;
  grantedBy: string;
  grantedAt: string;
}

export interface Quota {
  projectId: ProjectKey;
  maxResources: number | null;
  maxMonthlyCostMicros: Money | null;
  allowedRegions: string[] | null;
  allowedMachineTypes: string[] | null;
  updatedBy: string;
  updatedAt: string;
}

export interface BudgetAlert {
  id: number;
  projectId: ProjectKey;
  thresholdMicros: Money;
  createdBy: string;
  createdAt: string;
  above: boolean;
  lastTriggeredAt: string | null;
  lastValueMicros: Money | null;
}

