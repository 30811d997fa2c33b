import { CoreError } from '../domain/errors.js';
import { isPolicyFileName, POLICY_DIR } from '../domain/policy.js';

/**
 * Checks on everything a user or caller hands to git. Each value reaches git as its own argv
 * element (no shell), so the danger is git itself: a value starting with `-` becomes an option
 * (`--upload-pack=…` runs a program), `:` and globs turn paths into pathspec magic, and `..`
 * walks out of the workspace. The patterns below admit none of these.
 */

export interface GitAuthor { name: string; id: string }

/** What a deployment's commit holds and whom it credits. */
export interface DeploymentCommit { files: string[]; author: GitAuthor; approver: GitAuthor; message: string }

/** One pack file (`policies/<name>.yaml`) changed by a project admin; its new text comes from the review. */
export interface PolicyCommit { path: string; author: GitAuthor; message: string }

export const TAG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** A hash, tag or branch name, optionally followed by ancestry suffixes such as `~2` or `^`. */
const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}(?:[~^][0-9]{0,3})*$/;
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$|^\.[A-Za-z0-9_][A-Za-z0-9_.-]{0,253}$/;
const AUTHOR_ID = /^[A-Za-z0-9_.-]{1,64}$/;

const shown = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

export function assertRef(ref: string): void {
  if (!REF.test(ref) || ref.includes('..') || ref.endsWith('.lock')) {
    throw new CoreError('validation', `${shown(ref)} is not a valid commit reference: use a commit hash, a tag name, or HEAD, optionally with ~N`);
  }
}

/** What a user may mean as a commit hash (git abbreviates to at least 4 hex digits). */
export const isHashLike = (name: string) => /^[0-9a-fA-F]{4,40}$/.test(name);

/**
 * Our own rule; git's own rules (check-ref-format) are checked by the repository on top. A tag named like
 * a hash, or HEAD, would shadow what `git log` shows: refused.
 */
export function assertTagName(tag: string): void {
  if (!TAG_NAME.test(tag)) {
    throw new CoreError('validation', `tag ${shown(tag)} is not valid: use 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit`);
  }
  if (isHashLike(tag) || tag.toUpperCase() === 'HEAD') {
    throw new CoreError('validation', `tag ${shown(tag)} is not allowed: it reads as ${isHashLike(tag) ? 'a commit hash' : 'HEAD'}; put a letter that is not a hex digit in it, e.g. v${tag}`);
  }
}

/** A path relative to the workspace, made of plain segments, never into `.git`. */
export function assertWorkspacePath(path: string): void {
  const segments = path.split('/');
  const ok = path.length <= 1024 && segments.every((s) => PATH_SEGMENT.test(s) && s !== '..' && s !== '.') && segments[0] !== '.git';
  if (!ok) throw new CoreError('validation', `${shown(path)} is not a valid workspace path: use a relative path of letters, digits, '.', '_' and '-'`);
}

/** A pack file's path: `policies/` and a file name isPolicyFileName accepts, nothing deeper, nothing outside. */
export function assertPolicyPath(path: string): void {
  const name = path.startsWith(`${POLICY_DIR}/`) ? path.slice(POLICY_DIR.length + 1) : '';
  if (!isPolicyFileName(name)) {
    throw new CoreError('validation', `${shown(path)} is not a policy file path: use ${POLICY_DIR}/<name>.yaml, the name of letters, digits, '.', '_' and '-' (at most 64 before .yaml), starting with a letter or digit`);
  }
}

/** Where a remote URL points: its host and the path on it (for the local-host check of the repository). */
export interface RemoteTarget { host: string; path: string }

/**
 * Remotes are network repositories only — https:// or ssh (ssh://… or user@host:path) — so a remote can
 * never be a path on this machine (another project's workspace), a file://, a program (`ext::`) or an
 * unencrypted transport. Credentials never go in the URL: git takes them from the operator's credential
 * helper or SSH agent at push time, and the URL is stored and shown as given.
 */
export function assertRemoteUrl(url: string): RemoteTarget {
  const refuse = (why: string): never => {
    throw new CoreError('validation', `the remote URL ${why}; use https://host/path.git or ssh (ssh://git@host/path.git, git@host:path.git)`);
  };
  if (/[\s\p{Cc}]/u.test(url) || url.length > 2048) refuse('has spaces or control characters, or is too long');
  const scp = /^([A-Za-z0-9_.-]+)@([A-Za-z0-9.-]+):([A-Za-z0-9_./~-]+)$/.exec(url);
  if (scp && !scp[3]!.startsWith('/') && !scp[3]!.startsWith('-')) return { host: scp[2]!.toLowerCase(), path: scp[3]! };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse('is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'ssh:') refuse(`uses ${parsed.protocol.replace(/:$/, '') || 'no scheme'}, not https or ssh`);
  if (parsed.password || (parsed.protocol === 'https:' && parsed.username)) {
    refuse('holds credentials; give it without them and let git take them from a credential helper (https) or the SSH agent (ssh)');
  }
  if (!parsed.hostname || parsed.search || parsed.hash) refuse('needs a host and no query or fragment');
  return { host: parsed.hostname.toLowerCase().replace(/^\[|\]$/g, ''), path: decodeURIComponent(parsed.pathname) };
}

/** Whether a check passes (a check throws its refusal): for filtering, where the reason is not needed. */
export function passes(check: () => void): boolean {
  try {
    check();
    return true;
  } catch {
    return false;
  }
}

/** `Name (id) <id@users.discord>`: angle brackets and line breaks would let a name forge the e-mail part. */
export function authorIdent(author: GitAuthor): string {
  if (!AUTHOR_ID.test(author.id)) throw new CoreError('validation', `author id ${shown(author.id)} is not valid: use letters, digits, '.', '_' or '-'`);
  const name = author.name.replace(/[<>]/g, '').replace(/[\s\p{Cc}]+/gu, ' ').trim().slice(0, 100) || 'unknown';
  return `${name} (${author.id}) <${author.id}@users.discord>`;
}
