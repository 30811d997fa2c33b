import type { Actor } from '../policy/permissions.js';
import { quotaProblems } from '../policy/quotas.js';
import { configurationProblems, parseProvider, parseSpec } from '../resources/validate.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import { DEFAULT_NETWORK } from '../domain/resources.js';
import { authorize, loadSession } from './access.js';
import { expiryFrom, type CoreDeps } from './deps.js';
import { fixedConfiguration, lostRace, noSuchResource, sessionExpired, sessionStateError, validationError } from '../domain/errors.js';
import type { ResourceEstimate } from './ports.js';
import { allows, EDITABLE, isFixed, NORMAL_PLAN, sourcesOf } from '../domain/sessions.js';
import type { MessageRefs, Session, SessionState } from '../domain/sessions.js';
import type { Project } from '../domain/projects.js';
import type { AuditEventType } from '../domain/audit.js';

/** A new DRAFT session for a project the caller authorized (checks the one-provider rule; writes nothing). */
export async function newSession(deps: CoreDeps, actor: Actor, project: Project, providerInput?: string, channelId?: string): Promise<{ session: Session; deployed: ResourceSpec[] }> {
  const provider: Provider = providerInput ? parseProvider(providerInput) : project.defaultProvider;
  const deployed = await deps.store.sessions.listDeployed(project.id);
  const deployedProvider = deployed[0]?.provider;
  if (deployedProvider && deployedProvider !== provider) {
    throw validationError([`provider: project ${project.name} already runs ${deployed.length} resources on ${deployedProvider}; a session must use ${deployedProvider} (one provider per project)`]);
  }
  const now = deps.clock.now().toISOString();
  const session: Session = {
    id: deps.newId(), projectId: project.id, guildId: project.guildId, userId: actor.userId, userName: actor.userName, provider,
    state: 'DRAFT', channelId: channelId ?? null, messageId: null, threadId: null, boardMessageId: null, error: null, rollbackOf: null, purpose: 'deploy', planMode: NORMAL_PLAN, createdAt: now, updatedAt: now, expiresAt: expiryFrom(deps),
  };
  return { session, deployed: deployed.map((d) => d.spec) };
}

/** Writes a new session holding `specs`, audited; runs inside the caller's transaction. */
export async function insertSessionTx(deps: CoreDeps, actor: Actor, session: Session, specs: ResourceSpec[], inherited: number): Promise<void> {
  await deps.store.sessions.insert(session);
  await deps.store.sessions.setResources(session.id, specs);
  await deps.audit.record(actor, {
    eventType: 'session_created', projectId: session.projectId, sessionId: session.id, action: 'start_session', status: 'success',
    details: { provider: session.provider, inherited_resources: inherited, ...(session.purpose === 'deploy' ? {} : { purpose: session.purpose, plan_mode: session.planMode.kind }) },
  });
}

export async function startSession(deps: CoreDeps, actor: Actor, name: string, providerInput?: string, channelId?: string): Promise<Session> {
  const project = await authorize(deps, actor, name, 'session.start');
  const { session, deployed } = await newSession(deps, actor, project, providerInput, channelId);
  // A session starts from what the project runs now, so applying it never drops what others built.
  await deps.store.transaction(async () => insertSessionTx(deps, actor, session, deployed, deployed.length));
  return session;
}

/** Loads a session the actor may edit, expiring it first if its time is up. */
async function editableSession(deps: CoreDeps, actor: Actor, sessionId: string): Promise<Session> {
  const session = await loadSession(deps, actor, sessionId);
  await authorize(deps, actor, session, 'session.edit');
  if (EDITABLE.includes(session.state) && session.expiresAt < deps.clock.now().toISOString()) {
    await expireSession(deps, session);
    throw sessionExpired({ kind: 'new_session', projectId: session.projectId });
  }
  if (!allows(session.state, 'edit')) throw sessionStateError(session.state, 'edit');
  if (isFixed(session)) throw fixedConfiguration(session.purpose, { kind: 'new_session', projectId: session.projectId });
  return session;
}

async function checkConfiguration(deps: CoreDeps, session: Session, specs: ResourceSpec[]): Promise<void> {
  const problems = [...configurationProblems(specs), ...quotaProblems(await deps.store.quotas.get(session.projectId), specs, null)];
  if (problems.length) throw validationError(problems);
}

/**
 * One edit, checked and written in one transaction against the resources as they are then (two edits
 * at once cannot both take the same name or both fit under a quota only one fits): `edit` refuses or
 * writes. Any edit invalidates the session's plan: back to DRAFT, the plan superseded, the expiry renewed.
 */
async function recordEdit(
  deps: CoreDeps, actor: Actor, session: Session, eventType: AuditEventType, details: Record<string, unknown>, edit: (current: ResourceSpec[]) => Promise<unknown>,
): Promise<void> {
  const now = deps.clock.now().toISOString();
  await deps.store.transaction(async () => {
    const current = (await deps.store.sessions.get(session.id))!;
    if (!allows(current.state, 'edit')) throw sessionStateError(current.state, 'edit');
    await edit(await deps.store.sessions.listResources(session.id));
    if (current.state !== 'DRAFT') {
      await deps.store.sessions.moveState(session.id, [current.state], 'DRAFT', now);
      await deps.store.plans.supersede(session.id);
    }
    await deps.store.sessions.touch(session.id, now, expiryFrom(deps));
    await deps.audit.record(actor, { eventType, projectId: session.projectId, sessionId: session.id, action: eventType.replace('resource_', '') + '_resource', status: 'success', details });
  });
}

export async function addResource(deps: CoreDeps, actor: Actor, sessionId: string, raw: unknown): Promise<{ spec: ResourceSpec; estimate: ResourceEstimate }> {
  const session = await editableSession(deps, actor, sessionId);
  const spec = parseSpec(session.provider, raw);
  await recordEdit(deps, actor, session, 'resource_added', { name: spec.name, type: spec.type, spec }, async (current) => {
    if (current.some((s) => s.name === spec.name)) throw validationError([`name '${spec.name}' is already used in this session; choose another name or edit that resource`]);
    await checkConfiguration(deps, session, [...current, spec]);
    await deps.store.sessions.insertResource(session.id, spec);
  });
  return { spec, estimate: deps.cost.estimateResource(session.provider, spec) };
}

/** What an edit did: the resource as saved, its estimate, and what its rename carried along. */
export interface ResourceEdit {
  spec: ResourceSpec;
  estimate: ResourceEstimate;
  /** The name it had, when the edit renamed it. */
  renamedFrom?: string;
  /** Firewall rules moved onto the new name of the network they are on. */
  movedRules: string[];
}

/**
 * Replaces the resource called `name` in place (its position kept) by a spec checked as `addResource` checks
 * one. It may take a new name, never another resource's; firewall rules on a renamed network follow it.
 */
export async function editResource(deps: CoreDeps, actor: Actor, sessionId: string, name: string, raw: unknown): Promise<ResourceEdit> {
  const session = await editableSession(deps, actor, sessionId);
  const spec = parseSpec(session.provider, raw);
  const renamed = spec.name !== name;
  const movedRules: string[] = [];
  const details: Record<string, unknown> = { name: spec.name, type: spec.type, spec, ...(renamed ? { renamed_from: name } : {}) };
  await recordEdit(deps, actor, session, 'resource_updated', details, async (current) => {
    const existing = current.find((s) => s.name === name);
    if (!existing) throw noSuchResource(name);
    if (existing.type !== spec.type) throw validationError([{ field: 'type', message: `type: ${name} is a ${existing.type}; remove it and add a ${spec.type} instead` }]);
    // A VPC named "default" (kept from before that name was refused): its rules mean the provider's own network, and must not follow a rename.
    if (renamed && existing.type === 'vpc_network' && name === DEFAULT_NETWORK) {
      throw validationError([{ field: 'name', message: `name: a network cannot be renamed from '${DEFAULT_NETWORK}', which firewall rules use for the provider's default network; add a new network instead` }]);
    }
    const taken = renamed && current.find((s) => s.name === spec.name);
    if (taken) throw validationError([{ field: 'name', message: `name '${spec.name}' is already used by another resource in this session (a ${taken.type}); choose another name` }]);
    const next = current.map((s): ResourceSpec => {
      if (s.name === name) return spec;
      if (!renamed || s.type !== 'firewall_rule' || s.network !== name) return s;
      movedRules.push(s.name);
      return { ...s, network: spec.name };
    });
    await checkConfiguration(deps, session, next);
    if (renamed) await deps.store.sessions.setResources(session.id, next);
    else await deps.store.sessions.replaceResource(session.id, spec);
    if (movedRules.length) details.moved_rules = movedRules;
  });
  return { spec, estimate: deps.cost.estimateResource(session.provider, spec), ...(renamed ? { renamedFrom: name } : {}), movedRules };
}

export async function removeResource(deps: CoreDeps, actor: Actor, sessionId: string, name: string): Promise<void> {
  const session = await editableSession(deps, actor, sessionId);
  // The type is known only once the resource is read inside the transaction; the audit row is written after.
  const details: Record<string, unknown> = { name };
  await recordEdit(deps, actor, session, 'resource_removed', details, async (current) => {
    const target = current.find((s) => s.name === name);
    if (!target) throw noSuchResource(name);
    const dependants = current.filter((s) => s.type === 'firewall_rule' && s.network === name).map((s) => s.name);
    if (dependants.length) throw validationError([`${name} is the network of firewall rule(s) ${dependants.join(', ')}; remove those first`]);
    details.type = target.type;
    await deps.store.sessions.deleteResource(session.id, name);
  });
}

/**
 * Moves a session to a final state and releases its lock; runs inside the caller's transaction. A run
 * passes its fencing token; without one only a lock with no live run is released.
 */
export async function finalizeTx(deps: CoreDeps, actor: Actor | null, session: Session, to: SessionState, eventType: AuditEventType, details: Record<string, unknown> = {}, error: string | null = null, fence?: number): Promise<boolean> {
  const moved = await deps.store.sessions.moveState(session.id, sourcesOf(to), to, deps.clock.now().toISOString(), error);
  if (!moved) return false;
  if (fence === undefined) await deps.store.locks.releaseIdle(session.projectId, session.id);
  else await deps.store.locks.release(session.projectId, fence);
  await deps.store.plans.supersede(session.id);
  await deps.audit.record(actor, { eventType, projectId: session.projectId, sessionId: session.id, action: to.toLowerCase(), status: error ? 'failure' : 'success', details, error });
  return true;
}

export function finalize(...args: Parameters<typeof finalizeTx>): Promise<boolean> {
  return args[0].store.transaction(() => finalizeTx(...args));
}

function expireSession(deps: CoreDeps, session: Session): Promise<boolean> {
  return finalize(deps, null, session, 'EXPIRED', 'session_expired', { expired_at: session.expiresAt, from_state: session.state, ttl_minutes: deps.sessionTtlMinutes });
}

export async function cancelSession(deps: CoreDeps, actor: Actor, sessionId: string): Promise<Session> {
  const session = await loadSession(deps, actor, sessionId);
  await authorize(deps, actor, session, 'session.cancel');
  if (!allows(session.state, 'cancel')) throw sessionStateError(session.state, 'cancel');
  if (!await finalize(deps, actor, session, 'CANCELLED', 'session_cancelled', { from_state: session.state })) {
    throw lostRace('session_change');
  }
  return (await deps.store.sessions.get(session.id))!;
}

/** Expires every idle session past its TTL; returns them so adapters can update their messages. */
export async function expireIdle(deps: CoreDeps): Promise<Session[]> {
  const due = await deps.store.sessions.listExpirable(deps.clock.now().toISOString());
  const expired: Session[] = [];
  for (const s of due) if (await expireSession(deps, s)) expired.push((await deps.store.sessions.get(s.id))!);
  return expired;
}

/** Records where a session's lobby and thread live, so any process can edit them later. */
export async function attachMessage(deps: CoreDeps, sessionId: string, refs: MessageRefs): Promise<void> {
  for (const [k, v] of Object.entries(refs)) if (v !== undefined && !/^\d{1,20}$/.test(v)) throw validationError([`${k} must be a numeric id (up to 20 digits)`]);
  await deps.store.sessions.setMessage(sessionId, refs);
}
