import { inTransaction } from '../db/database.js';
import { releaseIdleLock, releaseLease } from '../db/locks.js';
import { supersedePlans } from '../db/plans.js';
import { getQuota } from '../db/quotas.js';
import {
  casState, deleteSessionResource, getSession, insertSession, insertSessionResource, listDeployedResources, listExpirable,
  listSessionResources, replaceSessionResource, setSessionMessage, setSessionResources, touchSession, type Session, type SessionState,
} from '../db/sessions.js';
import type { Actor } from '../policy/permissions.js';
import { quotaProblems } from '../policy/quotas.js';
import { configurationProblems, parseProvider, parseSpec } from '../resources/validate.js';
import type { Provider, ResourceSpec } from '../resources/types.js';
import { authorize, loadSession } from './access.js';
import { expiryFrom, type CoreDeps } from './deps.js';
import { CoreError, validationError } from '../domain/errors.js';
import type { ResourceEstimate } from './ports.js';
import { EDITABLE, sourcesOf } from './transitions.js';

/** A new DRAFT session for the project (checks rights and the one-provider rule; writes nothing). */
export function newSession(deps: CoreDeps, actor: Actor, projectId: string, providerInput?: string, channelId?: string): { session: Session; deployed: ResourceSpec[] } {
  const project = authorize(deps, actor, projectId, 'session.start');
  const provider: Provider = providerInput ? parseProvider(providerInput) : project.defaultProvider;
  const deployed = listDeployedResources(deps.db, project.id);
  const deployedProvider = deployed[0]?.provider;
  if (deployedProvider && deployedProvider !== provider) {
    throw validationError([`provider: project ${project.id} already runs ${deployed.length} resources on ${deployedProvider}; a session must use ${deployedProvider} (one provider per project)`]);
  }
  const now = deps.clock.now().toISOString();
  const session: Session = {
    id: deps.newId(), projectId: project.id, guildId: project.guildId, userId: actor.userId, userName: actor.userName, provider,
    state: 'DRAFT', channelId: channelId ?? null, messageId: null, threadId: null, error: null, rollbackOf: null, createdAt: now, updatedAt: now, expiresAt: expiryFrom(deps),
  };
  return { session, deployed: deployed.map((d) => d.spec) };
}

/** Writes a new session holding `specs`, audited; runs inside the caller's transaction. */
export function insertSessionTx(deps: CoreDeps, actor: Actor, session: Session, specs: ResourceSpec[], inherited: number): void {
  insertSession(deps.db, session);
  setSessionResources(deps.db, session.id, specs);
  deps.audit.record(actor, {
    eventType: 'session_created', projectId: session.projectId, sessionId: session.id, action: 'start_session', status: 'success',
    details: { provider: session.provider, inherited_resources: inherited },
  });
}

export async function startSession(deps: CoreDeps, actor: Actor, projectId: string, providerInput?: string, channelId?: string): Promise<Session> {
  const { session, deployed } = newSession(deps, actor, projectId, providerInput, channelId);
  // A session starts from what the project runs now, so applying it never drops what others built.
  inTransaction(deps.db, () => insertSessionTx(deps, actor, session, deployed, deployed.length));
  return session;
}

/** Loads a session the actor may edit, expiring it first if its time is up. */
function editableSession(deps: CoreDeps, actor: Actor, sessionId: string): Session {
  const session = loadSession(deps, actor, sessionId);
  authorize(deps, actor, session.projectId, 'session.edit', session);
  if (EDITABLE.includes(session.state) && session.expiresAt < deps.clock.now().toISOString()) {
    expireSession(deps, session);
    throw new CoreError('invalid_state', 'This session expired; start a new one with /cloud-deploy.');
  }
  if (!EDITABLE.includes(session.state)) throw new CoreError('invalid_state', `This session is ${session.state}; it can no longer be edited.`);
  return session;
}

function checkConfiguration(deps: CoreDeps, session: Session, specs: ResourceSpec[]): void {
  const problems = [...configurationProblems(specs), ...quotaProblems(getQuota(deps.db, session.projectId), specs, null)];
  if (problems.length) throw validationError(problems);
}

/** Any edit invalidates the session's plan: back to DRAFT, the plan superseded, the expiry renewed. */
function recordEdit(deps: CoreDeps, actor: Actor, session: Session, eventType: string, details: Record<string, unknown>, write: () => void): void {
  const now = deps.clock.now().toISOString();
  inTransaction(deps.db, () => {
    const current = getSession(deps.db, session.id)!;
    if (!EDITABLE.includes(current.state)) throw new CoreError('invalid_state', `This session is ${current.state}; it can no longer be edited.`);
    write();
    if (current.state !== 'DRAFT') {
      casState(deps.db, session.id, [current.state], 'DRAFT', now);
      supersedePlans(deps.db, session.id);
    }
    touchSession(deps.db, session.id, now, expiryFrom(deps));
    deps.audit.record(actor, { eventType, projectId: session.projectId, sessionId: session.id, action: eventType.replace('resource_', '') + '_resource', status: 'success', details });
  });
}

export function addResource(deps: CoreDeps, actor: Actor, sessionId: string, raw: unknown): { spec: ResourceSpec; estimate: ResourceEstimate } {
  const session = editableSession(deps, actor, sessionId);
  const spec = parseSpec(session.provider, raw);
  const current = listSessionResources(deps.db, session.id);
  if (current.some((s) => s.name === spec.name)) throw validationError([`name '${spec.name}' is already used in this session; choose another name or edit that resource`]);
  checkConfiguration(deps, session, [...current, spec]);
  recordEdit(deps, actor, session, 'resource_added', { name: spec.name, type: spec.type, spec }, () => insertSessionResource(deps.db, session.id, spec));
  return { spec, estimate: deps.cost.estimateResource(session.provider, spec) };
}

export function updateResource(deps: CoreDeps, actor: Actor, sessionId: string, raw: unknown): { spec: ResourceSpec; estimate: ResourceEstimate } {
  const session = editableSession(deps, actor, sessionId);
  const spec = parseSpec(session.provider, raw);
  const current = listSessionResources(deps.db, session.id);
  const existing = current.find((s) => s.name === spec.name);
  if (!existing) throw new CoreError('not_found', `No resource named '${spec.name}' in this session.`);
  if (existing.type !== spec.type) throw validationError([`type: ${spec.name} is a ${existing.type}; remove it and add a ${spec.type} instead`]);
  checkConfiguration(deps, session, current.map((s) => (s.name === spec.name ? spec : s)));
  recordEdit(deps, actor, session, 'resource_updated', { name: spec.name, type: spec.type, spec }, () => replaceSessionResource(deps.db, session.id, spec));
  return { spec, estimate: deps.cost.estimateResource(session.provider, spec) };
}

export function removeResource(deps: CoreDeps, actor: Actor, sessionId: string, name: string): void {
  const session = editableSession(deps, actor, sessionId);
  const current = listSessionResources(deps.db, session.id);
  const target = current.find((s) => s.name === name);
  if (!target) throw new CoreError('not_found', `No resource named '${name.slice(0, 64)}' in this session.`);
  const rest = current.filter((s) => s.name !== name);
  const dependants = rest.filter((s) => s.type === 'firewall_rule' && s.network === name).map((s) => s.name);
  if (dependants.length) throw validationError([`${name} is the network of firewall rule(s) ${dependants.join(', ')}; remove those first`]);
  recordEdit(deps, actor, session, 'resource_removed', { name, type: target.type }, () => deleteSessionResource(deps.db, session.id, name));
}

/**
 * Moves a session to a final state and releases its lock; runs inside the caller's transaction. A run
 * passes its fencing token; without one only a lock with no live run is released.
 */
export function finalizeTx(deps: CoreDeps, actor: Actor | null, session: Session, to: SessionState, eventType: string, details: Record<string, unknown> = {}, error: string | null = null, fence?: number): boolean {
  const moved = casState(deps.db, session.id, sourcesOf(to), to, deps.clock.now().toISOString(), error);
  if (!moved) return false;
  if (fence === undefined) releaseIdleLock(deps.db, session.projectId, session.id);
  else releaseLease(deps.db, session.projectId, fence);
  supersedePlans(deps.db, session.id);
  deps.audit.record(actor, { eventType, projectId: session.projectId, sessionId: session.id, action: to.toLowerCase(), status: error ? 'failure' : 'success', details, error });
  return true;
}

export function finalize(...args: Parameters<typeof finalizeTx>): boolean {
  return inTransaction(args[0].db, () => finalizeTx(...args));
}

function expireSession(deps: CoreDeps, session: Session): boolean {
  return finalize(deps, null, session, 'EXPIRED', 'session_expired', { expired_at: session.expiresAt, from_state: session.state });
}

export function cancelSession(deps: CoreDeps, actor: Actor, sessionId: string): Session {
  const session = loadSession(deps, actor, sessionId);
  authorize(deps, actor, session.projectId, 'session.cancel', session);
  if (!EDITABLE.includes(session.state)) throw new CoreError('invalid_state', `This session is ${session.state}; it cannot be cancelled now.`);
  if (!finalize(deps, actor, session, 'CANCELLED', 'session_cancelled', { from_state: session.state })) {
    throw new CoreError('conflict', 'The session changed while cancelling; refresh and try again.');
  }
  return getSession(deps.db, session.id)!;
}

/** Expires every idle session past its TTL; returns them so adapters can update their messages. */
export function expireIdle(deps: CoreDeps): Session[] {
  const due = listExpirable(deps.db, deps.clock.now().toISOString());
  return due.filter((s) => expireSession(deps, s)).map((s) => getSession(deps.db, s.id)!);
}

/** Records where a session's lobby and thread live, so any process can edit them later. */
export function attachMessage(deps: CoreDeps, sessionId: string, refs: { channelId?: string; messageId?: string; threadId?: string }): void {
  for (const [k, v] of Object.entries(refs)) if (v !== undefined && !/^\d{1,20}$/.test(v)) throw validationError([`${k} must be a Discord id`]);
  setSessionMessage(deps.db, sessionId, refs);
}
