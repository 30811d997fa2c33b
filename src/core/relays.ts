import type { ApplyResult, ApplyStatus, PushOutcome } from './applying.js';
import { processTag as relayOwner, type CoreDeps } from './deps.js';
import type { Deployment, Relay } from '../domain/runs.js';
import type { Session } from '../domain/sessions.js';
import type { ResourceChange } from '../domain/plans.js';

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

/** What the apply's reviewed plan changes, resource by resource: its progress board lists them from the start. */
export async function plannedChanges(deps: CoreDeps, sessionId: string): Promise<ResourceChange[]> {
  return (await boardStart(deps, sessionId)).planned;
}

/** What a board taken up mid-apply starts from: the plan's changes, and when Terraform started (ISO), if it has. */
export async function boardStart(deps: CoreDeps, sessionId: string): Promise<{ planned: ResourceChange[]; terraformStartedAt: string | null }> {
  const deployment = await deps.store.deployments.bySession(sessionId);
  const planned = (deployment && (await deps.store.plans.get(deployment.planId))?.changes) ?? [];
  return { planned, terraformStartedAt: deployment?.terraformStartedAt ?? null };
}

/** Lines of an apply's output after `seq`, as its worker wrote them. */
export const runLogAfter = (deps: CoreDeps, deploymentId: string, seq: number, limit: number) => deps.store.runLogs.after(deploymentId, seq, limit);

/**
 * How long a recorded apply's result waits for its commit's push (the worker tags and pushes after
 * recording): longer than git may take (src/git runs each command for at most 120 s), tag and push.
 */
const PUSH_WAIT_MS = 300_000;

/**
 * The apply's result once recorded (by its worker, or by recovery), with its push's outcome when the
 * project pushes; undefined while it runs, and while the push it makes after recording is under way.
 */
export async function recordedApply(deps: CoreDeps, sessionId: string): Promise<ApplyResult | undefined> {
  const d = await deps.store.deployments.bySession(sessionId);
  if (!d || d.status === 'running') return undefined;
  const push = d.commitHash ? await pushOf(deps, d) : undefined;
  if (push === 'pending') return undefined;
  return {
    status: d.status as ApplyStatus, session: (await deps.store.sessions.get(sessionId))!, deployment: d, stateSerial: d.stateSerial, commitHash: d.commitHash,
    durationMs: d.durationMs ?? 0, error: d.error, warnings: [], recorded: true, ...(push ? { push } : {}),
  };
}

/** The push of a deployment's commit, from the audit; 'pending' while a push is still to be expected. */
async function pushOf(deps: CoreDeps, d: Deployment): Promise<PushOutcome | 'pending' | undefined> {
  const project = await deps.store.projects.get(d.projectId);
  if (!project?.settings.git_auto_push || !project.settings.git_remote_url) return undefined;
  for (const eventType of ['git_push_failed', 'git_pushed']) {
    const row = (await deps.store.audit.query({ projectId: d.projectId, eventType, limit: 20 })).find((r) => r.sessionId === d.sessionId);
    if (row) return row.status === 'success' ? { ok: true } : { ok: false, error: row.error ?? 'push failed' };
  }
  const since = d.finishedAt ? deps.clock.now().getTime() - Date.parse(d.finishedAt) : 0;
  return since < PUSH_WAIT_MS ? 'pending' : undefined;
}

/** True for exactly one process per interval, across every process on the store. */
export async function claimSweep(deps: CoreDeps, name: string, intervalMs: number): Promise<boolean> {
  const now = deps.clock.now();
  // A little slack, so that processes sweeping on the same period do not skip each other's turn by milliseconds.
  return deps.store.sweeps.claim(name, now.toISOString(), new Date(now.getTime() - intervalMs * 0.9).toISOString());
}
