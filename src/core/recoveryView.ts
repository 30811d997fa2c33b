import { decide, type Actor } from '../policy/permissions.js';
import { actionOf, ApplyProgress } from '../terraform/applyProgress.js';
import { stateAddresses } from '../terraform/tfstate.js';
import { END_OF_LOG } from './queuedRuns.js';
import type { CoreDeps } from './deps.js';
import type { Deployment } from '../domain/runs.js';
import type { ResourceChange } from '../domain/plans.js';
import type { Project } from '../domain/projects.js';
import type { Session } from '../domain/sessions.js';

/** The three ways out of an apply that stopped part-way, each a new session through the usual approvals. */
export const RECOVERY_ACTIONS = ['replan', 'refresh', 'rollback'] as const;
export type RecoveryAction = (typeof RECOVERY_ACTIONS)[number];

/**
 * Why an action is not open now: the project is locked, there is no good deployment to return to, the viewer
 * may not, or a later apply superseded this one.
 */
export type RecoveryBar = 'locked' | 'no_deployment' | 'not_allowed' | 'superseded';

/** States a recovery starts from: an apply ended in them with part of its work possibly done. */
export const RECOVERABLE = ['INTERRUPTED', 'FAILED'] as const;
export const isRecoverable = (s: Session): boolean => (RECOVERABLE as readonly string[]).includes(s.state);

/**
 * What the apply got done before it stopped, per resource of its reviewed plan. From Terraform's own
 * lines when the store kept them (applies run on workers); otherwise from the state it saved: a create
 * is done when the state holds the address, a destroy when it no longer does; an update or a replace
 * leaves the address in place either way, so the state cannot tell.
 */
export interface ApplyProgressReport {
  source: 'output' | 'state';
  created: string[];
  /** Updated or replaced. */
  changed: string[];
  destroyed: string[];
  /** Planned and not done (never started, failed, or cut off while running). */
  notDone: string[];
  /** Planned, and the saved state cannot say whether it was done. */
  unknown: string[];
}

export interface RecoveryView {
  sessionId: string;
  state: Session['state'];
  deploymentId: string;
  /** The state version the apply saved (or, when it saved none, the project's newest); null when there is none. */
  savedState: { serial: number; savedAt: string; byThisApply: boolean } | null;
  /** Managed resources in that state, and how many changes the reviewed plan held. */
  resourcesInState: number;
  plannedChanges: number;
  progress: ApplyProgressReport;
  /** The project's lock: free, or who holds it now. */
  lock: { free: true } | { free: false; sessionId: string; userId: string; since: string };
  /** The newest successful deployment with a commit: what Roll back returns to. */
  lastGood: { commit: string; sessionId: string; deployedAt: string } | null;
  /** The last way out someone started from this session, if any: which, who, when, and the session it opened. */
  lastStarted: { action: RecoveryAction; userId: string | null; at: string; sessionId: string | null } | null;
  /** Each action, with what bars it now (for this viewer when there is one; everyone's buttons otherwise). */
  actions: Array<{ action: RecoveryAction; bar?: RecoveryBar }>;
}

/**
 * The newest successful deployment of the project that was committed: a configuration Roll back can plan. A
 * refresh-only apply is not one: it records what exists after a stop (part-way work included), not a configuration anyone chose.
 */
export async function lastGoodDeployment(deps: CoreDeps, project: Project): Promise<Deployment | undefined> {
  for (const d of await deps.store.deployments.list(project.id, 200)) {
    if (d.status === 'succeeded' && d.commitHash && (await deps.store.sessions.get(d.sessionId))?.purpose !== 'refresh') return d;
  }
  return undefined;
}

/**
 * The first apply started after `deployment` that moved the project on (a refresh-only apply only saves what
 * exists, so a Re-plan after it still finishes the stopped work): its card, not this one, is the way out;
 * this one's Re-plan would put back an older configuration over it.
 */
export async function supersedingApply(deps: CoreDeps, project: Project, deployment: Deployment): Promise<Deployment | undefined> {
  for (const d of await deps.store.deployments.list(project.id, 200)) {
    if (d.id === deployment.id) return undefined;
    if ((await deps.store.sessions.get(d.sessionId))?.purpose !== 'refresh') return d;
  }
  return undefined;
}

/** The recovery card's data for a session whose apply stopped part-way; undefined for any other session. */
export async function recoveryView(deps: CoreDeps, session: Session, project: Project, viewer?: Actor): Promise<RecoveryView | undefined> {
  if (!isRecoverable(session)) return undefined;
  const deployment = await deps.store.deployments.bySession(session.id);
  if (!deployment || deployment.status === 'running') return undefined;
  const planned = (await deps.store.plans.get(deployment.planId))?.changes.filter((c) => actionOf(c.actions) !== 'read') ?? [];
  const version = deployment.stateSerial !== null ? await deps.store.states.bySerial(project.id, deployment.stateSerial) : await deps.store.states.latest(project.id);
  const addresses = (version && stateAddresses(version.stateJson)) ?? new Map<string, { tainted: boolean }>();
  const lock = await deps.store.locks.get(project.id);
  const good = await lastGoodDeployment(deps, project);
  const superseded = await supersedingApply(deps, project, deployment);
  const role = viewer && await deps.store.members.role(project.id, viewer.userId);
  const may = (action: 'session.start' | 'project.admin') => !viewer || decide({ actor: viewer, action, projectGuildId: project.guildId, role }).allowed;
  const bar = (action: RecoveryAction): RecoveryBar | undefined => {
    if (!may(action === 'rollback' ? 'project.admin' : 'session.start')) return 'not_allowed';
    if (superseded) return 'superseded';
    if (lock) return 'locked';
    return action === 'rollback' && !good ? 'no_deployment' : undefined;
  };
  return {
    sessionId: session.id, state: session.state, deploymentId: deployment.id,
    savedState: version ? { serial: version.serial, savedAt: version.createdAt, byThisApply: version.sessionId === session.id } : null,
    resourcesInState: addresses.size, plannedChanges: planned.length,
    progress: (await progressFromOutput(deps, deployment, planned)) ?? progressFromState(planned, addresses),
    lock: lock ? { free: false, sessionId: lock.sessionId, userId: lock.userId, since: lock.acquiredAt } : { free: true },
    lastGood: good ? { commit: good.commitHash!, sessionId: good.sessionId, deployedAt: good.finishedAt ?? good.startedAt } : null,
    lastStarted: await lastStarted(deps, session),
    actions: RECOVERY_ACTIONS.map((action) => {
      const why = bar(action);
      return why ? { action, bar: why } : { action };
    }),
  };
}

async function lastStarted(deps: CoreDeps, session: Session): Promise<RecoveryView['lastStarted']> {
  const row = await deps.store.audit.latestOfSession(session.id, ['recovery_started']);
  const action = RECOVERY_ACTIONS.find((a) => a === row?.details.action);
  if (!row || !action) return null;
  return { action, userId: row.userId, at: row.timestamp, sessionId: typeof row.details.new_session_id === 'string' ? row.details.new_session_id : null };
}

const emptyReport = (source: ApplyProgressReport['source']): ApplyProgressReport => ({ source, created: [], changed: [], destroyed: [], notDone: [], unknown: [] });

/** Lines read at most: a card needs the resources' outcomes, and a provider that prints pages must not hold it up. */
const MAX_LINES = 20_000;

/** What Terraform printed about each resource, when its lines are in the store (a worker's run); undefined when none are. */
async function progressFromOutput(deps: CoreDeps, deployment: Deployment, planned: ResourceChange[]): Promise<ApplyProgressReport | undefined> {
  const lines: string[] = [];
  for (let seq = 0; lines.length < MAX_LINES;) {
    const rows = await deps.store.runLogs.after(deployment.id, seq, 1000);
    if (!rows.length) break;
    lines.push(...rows.filter((r) => r.line !== END_OF_LOG).map((r) => r.line));
    seq = rows.at(-1)!.seq;
  }
  return lines.length ? progressFromLines(planned, lines) : undefined;
}

/** Each planned resource by what Terraform's lines say became of it: only a completed change counts as done. */
export function progressFromLines(planned: ResourceChange[], lines: string[]): ApplyProgressReport {
  const progress = new ApplyProgress(planned, () => 0);
  for (const line of lines) progress.feed(line);
  const report = emptyReport('output');
  for (const r of progress.list()) {
    if (r.action === 'read') continue;
    if (r.phase !== 'done') report.notDone.push(r.address);
    else (r.action === 'create' ? report.created : r.action === 'delete' ? report.destroyed : report.changed).push(r.address);
  }
  return report;
}

export function progressFromState(planned: ResourceChange[], inState: Map<string, { tainted: boolean }>): ApplyProgressReport {
  const report = emptyReport('state');
  for (const c of planned) {
    const action = actionOf(c.actions);
    const held = inState.get(c.address);
    // A tainted object is one whose create failed or was cut off: it exists, but is not what the plan made.
    if (action === 'create' || (action === 'replace' && held?.tainted)) (held && !held.tainted ? report.created : report.notDone).push(c.address);
    else if (action === 'delete') (held ? report.notDone : report.destroyed).push(c.address);
    // A replace whose destroy ran but whose create did not has left the address empty: not done.
    else if (action === 'replace' && !held) report.notDone.push(c.address);
    else report.unknown.push(c.address);
  }
  return report;
}
