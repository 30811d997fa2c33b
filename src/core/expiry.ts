import type { Actor } from '../policy/permissions.js';
import { decide } from '../policy/permissions.js';
import { CoreError, extendOverBudget, leaseState, validationError } from '../domain/errors.js';
import { DEFAULT_EXPIRY_APPROVAL, EXPIRY_APPROVALS, remindersDue, type EnvLease, type ExpiryApproval } from '../domain/expiry.js';
import type { Money } from '../domain/money.js';
import type { Project } from '../domain/projects.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';

/**
 * Environment leases (issue 20): when a project's environment is destroyed — set, shown, extended, ended, and
 * reminded. What happens at the end (the destroy session) is expiryDestroy.ts.
 */
const HOUR_S = 3600;
/** What a lease's length (`ttl`) and an extension (`by`) may be. */
export const LEASE_HOURS = { min: 1, max: 90 * 24 } as const;

/** `12h`, `7d` → seconds, within LEASE_HOURS; anything else is refused naming the field. */
export function parseLeaseDuration(field: 'ttl' | 'by', text: string): number {
  const m = /^\s*(\d{1,5})\s*([hd])\s*$/i.exec(text);
  const hours = m ? Number(m[1]) * (m[2]!.toLowerCase() === 'd' ? 24 : 1) : NaN;
  if (!(hours >= LEASE_HOURS.min && hours <= LEASE_HOURS.max)) {
    throw validationError([{ field, message: `${field}: '${text.slice(0, 20)}' must be whole hours or days, like 12h or 7d, from 1h to 90d` }]);
  }
  return hours * HOUR_S;
}

export const expiryApprovalOf = (p: Project): ExpiryApproval => p.settings.expiry_approval ?? DEFAULT_EXPIRY_APPROVAL;

export function parseExpiryApproval(text: string): ExpiryApproval {
  if ((EXPIRY_APPROVALS as readonly string[]).includes(text)) return text as ExpiryApproval;
  throw validationError([{ field: 'expiry_approval', message: `expiry_approval: '${text.slice(0, 20)}' must be ${EXPIRY_APPROVALS.join(' or ')}` }]);
}

/**
 * The system, acting on a lease's end: past every role check as the operator is, so its vote stands for the one
 * approval an expiry needs — only when the project chose `expiry_approval: auto`, and only when policy allows it.
 */
export const expirySystem = (guildId: string): Actor => ({ userId: 'cloud-engine', userName: 'Cloud Engine (lease expiry)', guildId, isGuildAdmin: false, operator: true });

export const at = (deps: CoreDeps, seconds: number, from = deps.clock.now()) => new Date(from.getTime() + seconds * 1000).toISOString();

/** Writes a new lease (replacing any): it counts from `endsAt`'s start — now when something is deployed, else the first apply. Inside the caller's transaction. */
export async function setLeaseTx(deps: CoreDeps, actor: Actor, project: Project, ttlSeconds: number, channelId: string | undefined, deployed: boolean): Promise<EnvLease> {
  const now = deps.clock.now().toISOString();
  const lease = {
    projectId: project.id, ttlSeconds, endsAt: deployed ? at(deps, ttlSeconds) : null, armedAt: now, status: 'active' as const, stopReason: null, remindersSent: 0,
    channelId: channelId ?? null, destroySessionId: null, costMicros: null, announced: null, setBy: actor.userId, updatedAt: now,
  };
  await deps.store.envLeases.put(lease);
  await deps.audit.record(actor, { eventType: 'lease_set', projectId: project.id, sessionId: null, action: 'lease_set', status: 'success', details: { ttl_seconds: ttlSeconds, ends_at: lease.endsAt } });
  return (await deps.store.envLeases.get(project.id))!;
}

/** A project admin gives a project a lease (or a new length); a destroy under way is left alone. */
export async function setLease(deps: CoreDeps, actor: Actor, name: string, ttl: string, channelId?: string): Promise<EnvLease> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const ttlSeconds = parseLeaseDuration('ttl', ttl);
  const deployed = (await deps.store.sessions.listDeployed(project.id)).length > 0;
  return deps.store.transaction(async () => {
    const current = await deps.store.envLeases.get(project.id);
    if (current?.status === 'expiring') throw leaseState(project.name, 'expiring');
    return setLeaseTx(deps, actor, project, ttlSeconds, channelId ?? current?.channelId ?? undefined, deployed);
  });
}

export interface LeaseView {
  project: Project;
  lease: EnvLease | undefined;
  expiryApproval: ExpiryApproval;
  /** What the project runs now a month, and its budget (0: none). */
  deployedMonthly: Money;
  budget: Money;
}

async function deployedMonthly(deps: CoreDeps, project: Project): Promise<Money> {
  const deployed = await deps.store.sessions.listDeployed(project.id);
  return deps.cost.estimateDeployment(deployed[0]?.provider ?? project.defaultProvider, deployed.map((d) => d.spec)).total_monthly;
}

export async function leaseOf(deps: CoreDeps, actor: Actor, name: string): Promise<LeaseView> {
  const project = await authorize(deps, actor, name, 'project.view');
  return { project, lease: await deps.store.envLeases.get(project.id), expiryApproval: expiryApprovalOf(project), deployedMonthly: await deployedMonthly(deps, project), budget: project.budgetLimitMicros };
}

/** The lease as it stands for extending or destroying: refused when there is none, nothing started it, or it is past that. */
export async function workingLease(deps: CoreDeps, project: Project): Promise<EnvLease> {
  const lease = await deps.store.envLeases.get(project.id);
  if (!lease) throw leaseState(project.name, 'none');
  if (lease.status === 'expiring' || lease.status === 'expired') throw leaseState(project.name, lease.status);
  if (lease.endsAt === null) throw leaseState(project.name, 'not_started');
  return lease;
}

const changed = () => new CoreError('conflict', 'The environment lease changed meanwhile; try again.');

/**
 * Pushes the end back by `by` (default: the lease's length) from the later of its end and now. Those who may
 * start sessions may; while the project runs over its budget, only an approver (refused and audited otherwise).
 */
export async function extendLease(deps: CoreDeps, actor: Actor, name: string, by?: string): Promise<EnvLease> {
  const project = await authorize(deps, actor, name, 'session.start');
  const lease = await workingLease(deps, project);
  const bySeconds = by === undefined ? lease.ttlSeconds : parseLeaseDuration('by', by);
  const monthly = await deployedMonthly(deps, project);
  const overBudget = project.budgetLimitMicros > 0 && monthly > project.budgetLimitMicros;
  if (overBudget) {
    const verdict = decide({ actor, action: 'session.approve', projectGuildId: project.guildId, role: await deps.store.members.role(project.id, actor.userId) });
    if (!verdict.allowed) {
      await deps.audit.record(actor, { eventType: 'permission_denied', projectId: project.id, sessionId: null, action: 'lease_extend', status: 'denied', details: { denial: verdict.denial, over_budget: true, deployed_monthly_micros: monthly, budget_limit_micros: project.budgetLimitMicros } });
      throw extendOverBudget(project.name, monthly, project.budgetLimitMicros);
    }
  }
  const now = deps.clock.now();
  const endsAt = at(deps, bySeconds, new Date(Math.max(Date.parse(lease.endsAt!), now.getTime())));
  return deps.store.transaction(async () => {
    // A reminder already past for the new end is not posted again; the next threshold it crosses is.
    const moved = await deps.store.envLeases.move(project.id, lease.version, { endsAt, status: 'active', stopReason: null, remindersSent: remindersDue(endsAt, now), destroySessionId: null, updatedAt: now.toISOString() });
    if (!moved) throw changed();
    await deps.audit.record(actor, {
      eventType: 'lease_extended', projectId: project.id, sessionId: null, action: 'lease_extend', status: 'success',
      details: { by_seconds: bySeconds, from: lease.endsAt, ends_at: endsAt, ...(overBudget ? { over_budget: true, deployed_monthly_micros: monthly, budget_limit_micros: project.budgetLimitMicros } : {}) },
    });
    return (await deps.store.envLeases.get(project.id))!;
  });
}

/** A project admin ends the lease: the environment no longer expires (a destroy under way is decided in its lobby). */
export async function endLease(deps: CoreDeps, actor: Actor, name: string): Promise<void> {
  const project = await authorize(deps, actor, name, 'project.admin');
  await deps.store.transaction(async () => {
    const lease = await deps.store.envLeases.get(project.id);
    if (!lease) throw leaseState(project.name, 'none');
    if (lease.status === 'expiring') throw leaseState(project.name, 'expiring');
    await deps.store.envLeases.remove(project.id);
    await deps.audit.record(actor, { eventType: 'lease_ended', projectId: project.id, sessionId: null, action: 'lease_end', status: 'success', details: { ends_at: lease.endsAt, status: lease.status } });
  });
}

/** A reminder to post: the lease as claimed, and how many thresholds lie behind it. */
export interface LeaseReminder {
  project: Project;
  lease: EnvLease;
}

/** Claims each reminder due (a threshold newly crossed), once across every process and restart; audited. */
export async function claimReminders(deps: CoreDeps): Promise<LeaseReminder[]> {
  const now = deps.clock.now();
  const claimed: LeaseReminder[] = [];
  for (const lease of await deps.store.envLeases.toSweep()) {
    if (lease.status !== 'active' || lease.endsAt === null || Date.parse(lease.endsAt) <= now.getTime()) continue;
    const due = remindersDue(lease.endsAt, now);
    if (due <= lease.remindersSent) continue;
    const won = await deps.store.transaction(async () => {
      if (!await deps.store.envLeases.claimReminder(lease.projectId, lease.endsAt!, due)) return false;
      await deps.audit.record(null, { eventType: 'lease_reminded', projectId: lease.projectId, sessionId: null, action: 'lease_remind', status: 'info', details: { ends_at: lease.endsAt, reminder: due } });
      return true;
    });
    if (won) claimed.push({ project: (await deps.store.projects.get(lease.projectId))!, lease: { ...lease, remindersSent: due } });
  }
  return claimed;
}
