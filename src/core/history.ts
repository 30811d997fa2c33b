import { assertRef, assertRemoteUrl, passes } from '../git/validate.js';
import { validationError } from '../domain/errors.js';
import type { Actor } from '../policy/permissions.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import type { GitLogEntry } from './ports.js';
import { updateSettings } from './projectAdmin.js';
import type { Deployment } from '../domain/runs.js';

export interface HistoryEntry extends GitLogEntry {
  /** The deployment this commit recorded, when it is a deployment commit. */
  deployment: Pick<Deployment, 'id' | 'status' | 'sessionId' | 'toAdd' | 'toChange' | 'toDestroy'> | null;
}

/** The project's git history with each commit's deployment outcome next to it. */
export async function gitLog(deps: CoreDeps, actor: Actor, name: string, limit = 20): Promise<HistoryEntry[]> {
  const project = await authorize(deps, actor, name, 'project.view');
  const byCommit = new Map((await deps.store.deployments.list(project.id, 1000)).filter((d) => d.commitHash).map((d) => [d.commitHash!, d]));
  return (await deps.git.log(project.id, limit)).map((e) => {
    const d = byCommit.get(e.hash);
    return { ...e, deployment: d ? { id: d.id, status: d.status, sessionId: d.sessionId, toAdd: d.toAdd, toChange: d.toChange, toDestroy: d.toDestroy } : null };
  });
}

/** A reference a user typed, checked before git sees it: the refusal names the option it came in. */
function checkRef(field: 'from' | 'to', ref: string): void {
  try {
    assertRef(ref);
  } catch (e) {
    throw validationError([{ field, message: `${field}: ${(e as Error).message}` }]);
  }
}

/** `to` omitted: what `from` itself changed (against its parent). */
export async function gitDiff(deps: CoreDeps, actor: Actor, name: string, from: string, to?: string) {
  checkRef('from', from);
  if (to !== undefined) checkRef('to', to);
  const project = await authorize(deps, actor, name, 'project.view');
  return deps.git.diff(project.id, from, to);
}

export async function gitTag(deps: CoreDeps, actor: Actor, name: string, tag: string, commit?: string, message?: string) {
  const project = await authorize(deps, actor, name, 'session.start');
  const result = await deps.git.tag(project.id, tag, commit, message);
  await deps.audit.record(actor, { eventType: 'git_tagged', projectId: project.id, sessionId: null, action: 'tag', status: 'success', details: { ...result } });
  return result;
}

/**
 * Remotes set before the rules above may hold a token in clear or point at a path on this machine: each
 * stored remote the rules now refuse is forgotten — in the store and in the repository's config — and
 * audited, so no credential stays at rest and nothing is pushed there. The admin sets a valid one again.
 */
export async function forgetRefusedRemotes(deps: CoreDeps): Promise<string[]> {
  const refused = (await deps.store.projects.list()).filter((p) => p.settings.git_remote_url !== undefined && !remoteAllowed(p.settings.git_remote_url));
  for (const project of refused) {
    // The store first: whatever git does next, the URL is gone from it and nothing is pushed there.
    const { git_remote_url: url, ...settings } = project.settings;
    await deps.store.transaction(async () => {
      await deps.store.projects.updateSettings(project.id, { ...settings, git_auto_push: false });
      await deps.audit.record(null, {
        eventType: 'git_remote_forgotten', projectId: project.id, sessionId: null, action: 'update_settings', status: 'info',
        details: { remote: remoteHost(url!) }, error: 'the remote holds credentials or is not an https/ssh network URL; set it again',
      });
    });
    await deps.git.removeRemote(project.id).catch((err: unknown) =>
      deps.log.warn({ projectId: project.id, error: (err as Error).message }, 'could not remove a forgotten remote from the repository config; remove it with git remote remove origin'));
  }
  return refused.map((p) => p.id);
}

/** Only where a refused remote pointed — its scheme and host — never its path, query or user info, which may hold a token. */
function remoteHost(url: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && URL.canParse(url)) {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname || '(no host)'}`;
  }
  return /@([A-Za-z0-9.-]+):/.exec(url)?.[1] ?? 'a local path';
}

const remoteAllowed = (url: string) => passes(() => assertRemoteUrl(url));

/** Sets the push remote (admin): a network URL without credentials (src/git validates it). */
export async function gitRemote(deps: CoreDeps, actor: Actor, name: string, url: string, autoPush: boolean): Promise<{ pushed: { ok: boolean; error?: string } | null }> {
  const project = await authorize(deps, actor, name, 'project.admin');
  await deps.git.setRemote(project.id, url);
  await updateSettings(deps, actor, project, { git_remote_url: url, git_auto_push: autoPush });
  const pushed = autoPush ? await deps.git.push(project.id) : null;
  if (pushed) {
    await deps.audit.record(actor, { eventType: pushed.ok ? 'git_pushed' : 'git_push_failed', projectId: project.id, sessionId: null, action: 'push', status: pushed.ok ? 'success' : 'failure', error: pushed.ok ? null : deps.redact(pushed.error ?? 'push failed') });
  }
  return { pushed: pushed && { ok: pushed.ok, ...(pushed.error ? { error: deps.redact(pushed.error) } : {}) } };
}
