import type { ApplyResult, ApplyStatus } from './applying.js';
import { processTag as relayOwner, type CoreDeps } from './deps.js';
import type { Deployment, Relay } from '../domain/runs.js';
import type { Session } from '../domain/sessions.js';

/** A relaying process renews its hold every flush; one that stops (a restart) is replaced a lease's length later. */
const relayExpiry = (deps: CoreDeps) => new Date(deps.clock.now().getTime() + deps.leaseTtlMs).toISOString();

/** Starts relaying an apply into `threadId` from this process (or takes up the relay another began). */
export async function beginRelay(deps: CoreDeps, deployment: Deployment, threadId: string): Promise<Relay | undefined> {
  await deps.store.relays.start({ deploymentId: deployment.id, sessionId: deployment.sessionId, threadId, owner: relayOwner(deps), expiresAt: relayExpiry(deps) });
  return renewRelay(deps, deployment.id);
}

/** Keeps this process's hold on a relay; undefined when another process has it now (or it is done). */
export const renewRelay = (deps: CoreDeps, deploymentId: string) =>
  deps.store.relays.claim(deploymentId, relayOwner(deps), deps.clock.now().toISOString(), relayExpiry(deps));

export const recordRelay = (deps: CoreDeps, deploymentId: string, p: Parameters<CoreDeps['store']['relays']['progress']>[2]) =>
  deps.store.relays.progress(deploymentId, relayOwner(deps), p);

/** Relays whose process stopped (a restart, a crash), taken over by this one, with their sessions. */
export async function adoptOrphanRelays(deps: CoreDeps): Promise<Array<{ relay: Relay; session: Session }>> {
  const adopted: Array<{ relay: Relay; session: Session }> = [];
  for (const orphan of await deps.store.relays.orphans(deps.clock.now().toISOString())) {
    const relay = await renewRelay(deps, orphan.deploymentId);
    const session = relay && await deps.store.sessions.get(relay.sessionId);
    if (relay && session) adopted.push({ relay, session });
  }
  return adopted;
}

/** Lines of an apply's output after `seq`, as its worker wrote them. */
export const runLogAfter = (deps: CoreDeps, deploymentId: string, seq: number, limit: number) => deps.store.runLogs.after(deploymentId, seq, limit);

/** The apply's result once recorded (by its worker, or by recovery); undefined while it runs. */
export async function recordedApply(deps: CoreDeps, sessionId: string): Promise<ApplyResult | undefined> {
  const d = await deps.store.deployments.bySession(sessionId);
  if (!d || d.status === 'running') return undefined;
  return {
    status: d.status as ApplyStatus, session: (await deps.store.sessions.get(sessionId))!, deployment: d, stateSerial: d.stateSerial, commitHash: d.commitHash,
    durationMs: d.durationMs ?? 0, error: d.error, warnings: [], recorded: true,
  };
}

/** True for exactly one process per interval, across every process on the store. */
export async function claimSweep(deps: CoreDeps, name: string, intervalMs: number): Promise<boolean> {
  const now = deps.clock.now();
  // A little slack, so that processes sweeping on the same period do not skip each other's turn by milliseconds.
  return deps.store.sweeps.claim(name, now.toISOString(), new Date(now.getTime() - intervalMs * 0.9).toISOString());
}
