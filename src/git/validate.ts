import { CoreError } from '../core/errors.js';

/**
 * Checks on everything a user or caller hands to git. Each value reaches git as its own argv
 * element (no shell), so the danger is git itself: a value starting with `-` becomes an option
 * (`--upload-pack=…` runs a program), `:` and globs turn paths into pathspec magic, and `..`
 * walks out of the workspace. The patterns below admit none of these.
 */

export interface GitAuthor { name: string; id: string }

const PROJECT_ID = /^[a-z][a-z0-9-]{2,39}$/;
export const TAG_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** A hash, tag or branch name, optionally followed by ancestry suffixes such as `~2` or `^`. */
const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}(?:[~^][0-9]{0,3})*$/;
const PATH_SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$|^\.[A-Za-z0-9_][A-Za-z0-9_.-]{0,253}$/;
const AUTHOR_ID = /^[A-Za-z0-9_.-]{1,64}$/;

const shown = (value: string) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);

export function assertProjectId(projectId: string): void {
  if (!PROJECT_ID.test(projectId)) {
    throw new CoreError('validation', `project id ${shown(projectId)} is not valid: use 3-40 lowercase letters, digits and dashes, starting with a letter`);
  }
}

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

/** Remote URLs git can push to without running a program of the user's choosing (no `ext::`). */
export function assertRemoteUrl(url: string): void {
  const ok = !/\s/.test(url) && url.length <= 2048
    && (/^(https?|ssh|git|file):\/\/[^\s]+$/i.test(url) || /^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:[A-Za-z0-9_./~-]+$/.test(url) || /^\/[^:]*$/.test(url));
  if (!ok) throw new CoreError('validation', 'the remote URL must be https://, ssh://, git://, file://, user@host:path or an absolute path');
}

/** `Name (id) <id@users.discord>`: angle brackets and line breaks would let a name forge the e-mail part. */
export function authorIdent(author: GitAuthor): string {
  if (!AUTHOR_ID.test(author.id)) throw new CoreError('validation', `author id ${shown(author.id)} is not valid: use letters, digits, '.', '_' or '-'`);
  const name = author.name.replace(/[<>]/g, '').replace(/[\s\p{Cc}]+/gu, ' ').trim().slice(0, 100) || 'unknown';
  return `${name} (${author.id}) <${author.id}@users.discord>`;
}
