import { projectName, type ProjectKey } from '../domain/projects.js';
import { hostname } from 'node:os';
import { shortId, type CoreDeps } from './deps.js';
import { CoreError, lostRace } from '../domain/errors.js';
import { probeProcess } from '../processes.js';
import { isDriftRun, type LeaseOwner, type Lock } from '../domain/runs.js';

/** This process as a lease owner. Without /proc the start time is the boot of this process in ms. */
export function processIdentity(): LeaseOwner {
  const self = probeProcess(process.pid);
  return { host: hostname(), pid: process.pid, started: self.kind === 'running' ? self.start : String(Math.round(Date.now() - process.uptime() * 1000)) };
}

/**
 * An owner on this host whose process is gone (or whose pid now belongs to another process) is
 * dead for certain; an owner elsewhere is only ever presumed dead by its lease expiring.
 */
export function ownerIsDead(owner: LeaseOwner, self: LeaseOwner): boolean {
  if (owner.host !== self.host) return false;
  if (owner.pid === self.pid) return owner.started !== self.started;
  const p = probeProcess(owner.pid);
  if (p.kind === 'running') return p.start !== owner.started;
  return p.kind !== 'unknown'; // gone or a zombie: dead; unknown: trust the lease
}

/** The same process: host, pid and that pid's start time all match. */
export const sameOwner = (a: LeaseOwner | null, b: LeaseOwner) => a !== null && a.host === b.host && a.pid === b.pid && a.started === b.started;

/** A run's lease is live while its owner renews it; a lock parked between plan and approval has no owner. */
export function runIsLive(deps: CoreDeps, lock: Lock): boolean {
  return lock.owner !== null && lock.expiresAt >= deps.clock.now().toISOString() && !ownerIsDead(lock.owner, deps.owner);
}

export const leaseExpiry = (deps: CoreDeps) => new Date(deps.clock.now().getTime() + deps.leaseTtlMs).toISOString();

export function leaseLost(projectId: ProjectKey): CoreError {
  return new CoreError('conflict', `This run lost its lease on project ${projectName(projectId)} (it stopped renewing it and another process took over); nothing more it did was recorded.`, [], undefined, { kind: 'lease_lost', projectId });
}

/** Throws unless `fence` is still the project's token; called inside the transaction of every fenced write. */
export async function assertFence(deps: CoreDeps, projectId: ProjectKey, fence: number): Promise<void> {
  if (!await deps.store.locks.holds(projectId, fence)) throw leaseLost(projectId);
}

export interface LeaseEvents {
  /** Another process took the lease: the run must stop its Terraform at once. */
  lost(): void;
  /** Someone asked (from any process) to interrupt this run. */
  cancelRequested(by: string): void;
}

/**
 * Renews a run's lease every ttl/12 while it runs. A renewal that fails because the token moved, or
 * that cannot reach the store before the lease would have expired, reports the lease lost.
 */
export class LeaseKeeper {
  private readonly timer: NodeJS.Timeout;
  private validUntil: number;
  private done = false;

  constructor(private readonly deps: CoreDeps, private readonly projectId: ProjectKey, readonly fence: number, private readonly events: LeaseEvents) {
    this.validUntil = deps.clock.now().getTime() + deps.leaseTtlMs;
    this.timer = setInterval(() => void this.beat(), Math.max(50, Math.floor(deps.leaseTtlMs / 12)));
  }

  private async beat(): Promise<void> {
    if (this.done) return;
    let renewed: Awaited<ReturnType<CoreDeps['store']['locks']['renew']>>;
    try {
      renewed = await this.deps.store.locks.renew(this.projectId, this.fence, this.deps.clock.now().toISOString(), leaseExpiry(this.deps));
    } catch (err) {
      this.deps.log.warn({ err, projectId: this.projectId }, 'lease renewal failed; retrying');
      if (this.deps.clock.now().getTime() > this.validUntil) this.lose();
      return;
    }
    if (!renewed) return this.lose();
    this.validUntil = this.deps.clock.now().getTime() + this.deps.leaseTtlMs;
    if (renewed.cancelRequestedBy) this.events.cancelRequested(renewed.cancelRequestedBy);
  }

  private lose(): void {
    this.deps.log.error({ projectId: this.projectId, fence: this.fence }, 'lease lost: stopping this run');
    this.stop();
    this.events.lost();
  }

  stop(): void {
    this.done = true;
    clearInterval(this.timer);
  }
}

/** The refusal a second session gets while another holds the project. */
export function lockedBy(deps: CoreDeps, lock: Lock | undefined): CoreError {
  if (!lock) return lostRace('lock_change');
  const run = lock.owner && runIsLive(deps, lock) ? { pid: lock.owner.pid, host: lock.owner.host } : null;
  const holder = isDriftRun(lock.sessionId) ? 'drift_check' : 'session';
  const by = holder === 'drift_check' ? 'a drift check' : `session ${shortId(lock.sessionId)}`;
  return new CoreError('locked', `Project ${projectName(lock.projectId)} is locked by ${by} since ${lock.acquiredAt}${run ? ` (a run is in progress: process ${run.pid} on ${run.host})` : ''}.`,
    // A check frees the project in moments, and a scheduled one is held by no user to name: nothing to do but wait.
    [], holder === 'drift_check' ? undefined : { kind: 'wait_or_unlock', projectId: lock.projectId, holderUserId: lock.userId },
    { kind: 'project_locked', projectId: lock.projectId, sessionId: lock.sessionId, since: lock.acquiredAt, run, holder });
}
