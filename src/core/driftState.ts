import type { Actor } from '../policy/permissions.js';
import type { DriftReport, DriftState, DriftThread, TrackedDrift } from '../domain/drift.js';
import type { Project, ProjectKey } from '../domain/projects.js';
import { processTag, type CoreDeps } from './deps.js';

/** How long one process may take to open a drift's thread before another takes the job over. */
const THREAD_CLAIM_MS = 120_000;

/** The open drift after a check: each drifted resource keeps its first sighting while it drifts the same way. */
function tracked(before: DriftState['open'], report: DriftReport): DriftState['open'] {
  if (!report.drifted.length) return undefined;
  const resources: TrackedDrift[] = report.drifted.map((d) => {
    const seen = before?.resources.find((r) => r.name === d.name && r.kind === d.kind);
    return { ...d, since: seen?.since ?? report.checkedAt };
  });
  return { resources, since: before?.since ?? report.checkedAt };
}

/**
 * A check's outcome, in the caller's transaction: audited (`drift_checked`, `drift_detected`, `drift_resolved`
 * when an open drift is gone) and kept as the project's open drift. While a drift is open every check bumps
 * its revision, so its thread's message shows the last check; a project that stays clean changes nothing.
 */
export async function recordCheck(deps: CoreDeps, actor: Actor | null, report: DriftReport): Promise<void> {
  const { projectId, drifted } = report;
  const details = { resources: report.resources, drifted: drifted.length, names: drifted.map((d) => d.name) };
  await deps.audit.record(actor, { eventType: 'drift_checked', projectId, sessionId: null, action: 'drift', status: 'success', details: { ...details, scheduled: actor === null } });
  if (drifted.length) {
    await deps.audit.record(actor, {
      eventType: 'drift_detected', projectId, sessionId: null, action: 'drift', status: 'info',
      details: { ...details, changes: drifted.map((d) => ({ name: d.name, kind: d.kind, attributes: d.attributes.map((a) => a.attribute) })) },
    });
  }
  const before = await deps.store.driftStates.get(projectId);
  const open = tracked(before?.open, report);
  if (before?.open && !open) {
    await deps.audit.record(actor, { eventType: 'drift_resolved', projectId, sessionId: null, action: 'drift', status: 'success', details: { since: before.open.since, names: before.open.resources.map((r) => r.name) } });
  }
  const changed = open !== undefined || before?.open !== undefined;
  await deps.store.driftStates.record(projectId, open, report.checkedAt, (before?.revision ?? 0) + (changed ? 1 : 0));
}

/** A project's drift as a thread shows it, with the project. */
export async function driftOf(deps: CoreDeps, projectId: ProjectKey): Promise<{ project: Project; state: DriftState } | undefined> {
  const [project, state] = [await deps.store.projects.get(projectId), await deps.store.driftStates.get(projectId)];
  return project && state ? { project, state } : undefined;
}

/**
 * Where a project's drift thread opens: the channel the check was asked from, else the channel of the
 * project's newest lobby (where its people work), else its alert channel. Undefined: nowhere in Discord.
 */
export async function driftChannel(deps: CoreDeps, project: Project, askedFrom?: string): Promise<string | undefined> {
  return askedFrom ?? await deps.store.driftStates.lastLobbyChannel(project.id) ?? project.settings.alert_channel_id;
}

/** The right to open the project's drift thread, for this process, by compare-and-set: one opener across processes and restarts. */
export async function claimDriftThread(deps: CoreDeps, projectId: ProjectKey): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.driftStates.claimThread(projectId, processTag(deps), now.toISOString(), new Date(now.getTime() + THREAD_CLAIM_MS).toISOString());
}

/** The thread this process opened under its claim; audited. False when its claim was taken over meanwhile. */
export async function driftThreadOpened(deps: CoreDeps, projectId: ProjectKey, thread: DriftThread): Promise<boolean> {
  return deps.store.transaction(async () => {
    if (!await deps.store.driftStates.setThread(projectId, processTag(deps), thread)) return false;
    await deps.audit.record(null, { eventType: 'drift_thread_opened', projectId, sessionId: null, action: 'drift', status: 'success', details: { channel_id: thread.channelId, thread_id: thread.threadId } });
    return true;
  });
}

export const driftThreadShown = (deps: CoreDeps, projectId: ProjectKey, threadId: string, revision: number) => deps.store.driftStates.threadShown(projectId, threadId, revision);

/** The closed thread is forgotten (once, whichever process closed it), and audited. */
export async function driftThreadClosed(deps: CoreDeps, projectId: ProjectKey, threadId: string): Promise<boolean> {
  return deps.store.transaction(async () => {
    if (!await deps.store.driftStates.clearThread(projectId, threadId)) return false;
    await deps.audit.record(null, { eventType: 'drift_thread_closed', projectId, sessionId: null, action: 'drift', status: 'success', details: { thread_id: threadId } });
    return true;
  });
}
