import type { Money } from './money.js';
import type { ProjectKey } from './projects.js';

/**
 * An environment lease (issue 20): when a project's environment is destroyed. Not the project lock's run
 * lease (runs.ts): that one says which process may run Terraform now.
 *
 * - `active`: counting down to `endsAt` (null until the first apply: expiry counts from the last apply);
 * - `expiring`: the end came (or someone chose Destroy now) and one destroy session runs, `destroySessionId`;
 * - `expired`: that session's apply destroyed the environment; `costMicros` is what it ran up;
 * - `stopped`: the destroy did not happen (`stopReason`): the environment stays until someone extends the
 *   lease, destroys it now, or ends the lease.
 */
export const ENV_LEASE_STATUSES = ['active', 'expiring', 'expired', 'stopped'] as const;
export type EnvLeaseStatus = (typeof ENV_LEASE_STATUSES)[number];

/** Why an expiry destroy did not happen. */
export type ExpiryStopReason = 'policy_blocked' | 'plan_failed' | 'apply_failed' | 'session_ended';

export interface EnvLease {
  projectId: ProjectKey;
  ttlSeconds: number;
  endsAt: string | null;
  /** Since when the environment's cost is counted: when the lease was set, or re-armed after an expiry. */
  armedAt: string;
  status: EnvLeaseStatus;
  stopReason: ExpiryStopReason | null;
  /** How many reminder thresholds (REMINDER_HOURS) were posted for this `endsAt`. */
  remindersSent: number;
  /** The project's channel: where reminders and the expiry are said. */
  channelId: string | null;
  destroySessionId: string | null;
  costMicros: Money | null;
  /** The status last announced in the channel (expired, stopped), claimed by compare-and-set. */
  announced: EnvLeaseStatus | null;
  setBy: string;
  /** Moves on with every change but a reminder or an announcement claimed: what a compare-and-set compares. */
  version: number;
  updatedAt: string;
}

/** What a compare-and-set changes: any fields, and always when. */
export type EnvLeaseChange = Partial<Omit<EnvLease, 'projectId' | 'version'>> & { updatedAt: string };

/** Reminders are posted when this many hours are left, the earlier first: a day ahead, and an hour ahead. */
export const REMINDER_HOURS = [24, 1] as const;

/** How many reminder thresholds lie behind `now` for a lease ending at `endsAt` (0 … REMINDER_HOURS.length). */
export function remindersDue(endsAt: string | null, now: Date): number {
  if (endsAt === null) return 0;
  const left = Date.parse(endsAt) - now.getTime();
  return REMINDER_HOURS.filter((h) => left <= h * 3_600_000).length;
}

/** Who decides on an expiry's destroy plan: the system, when policy allows it (`auto`), or one approver. */
export const EXPIRY_APPROVALS = ['auto', 'approver'] as const;
export type ExpiryApproval = (typeof EXPIRY_APPROVALS)[number];
export const DEFAULT_EXPIRY_APPROVAL: ExpiryApproval = 'approver';

/** What the environment ran up: its monthly cost over each stretch it ran, priced by the hour (730 a month). */
export interface EnvironmentCost {
  total: Money;
  hours: number;
  /** Some stretch ran resources Cloud Engine could not price: the total leaves them out. */
  partlyUnpriced: boolean;
}
