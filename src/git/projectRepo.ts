import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { CoreError } from '../domain/errors.js';
import { isPolicyFileName, POLICY_DIR, POLICY_LIMITS, type PolicyFile } from '../domain/policy.js';
import { parseProjectKey, projectKeyParts, projectName, type ProjectKey } from '../domain/projects.js';
import type { Logger } from '../log.js';
import { isRunning } from '../processes.js';
import { gitRunner, type GitRunner } from './client.js';
import { EMPTY_TREE, readDiff, readLog, type DiffResult, type LogEntry } from './history.js';
import { headCommit } from './head.js';
import { GITIGNORE } from './ignore.js';
import { maskUrlCredentials } from './mask.js';
import { KeyedMutex } from './mutex.js';
import { stageExactly } from './stage.js';
import { policyFilePath, writePolicyFile } from './policyFiles.js';
import { assertPolicyPath, assertRef, assertRemoteUrl, assertTagName, assertWorkspacePath, authorIdent, isHashLike, passes, type DeploymentCommit, type PolicyCommit } from './validate.js';

export type { DeploymentCommit, GitAuthor, PolicyCommit } from './validate.js';

const APPROVED_BY = 'Approved-by';
export type { DiffResult, LogEntry } from './history.js';
export { maskUrlCredentials } from './mask.js';

const BRANCH = 'main';
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0']);

/** A tag Cloud Engine could have made (its own naming rules): anything else was planted and is not pushed. */
const isOurTag = (tag: string) => passes(() => assertTagName(tag));
const COMMITTER = { name: 'Cloud Engine', email: 'cloud-engine@localhost' };


/**
 * The git repositories of every project workspace (`<runsDir>/<server>/<name>/`). The only module that
 * runs git. Writes on one project are serialized in-process; different projects proceed in parallel.
 */
export class ProjectRepos {
  private readonly mutex = new KeyedMutex();
  private readonly runsDir: string;
  /** Repositories this process has seen with a first commit: every session start would otherwise spawn git to check. */
  private readonly initialised = new Set<string>();
  /** Each repository's policy files as of the HEAD commit they were read at. */
  private readonly packs = new Map<string, { head: string; files: PolicyFile[] }>();

  constructor(runsDir: string, private readonly logger?: Logger) {
    this.runsDir = resolvePath(runsDir);
  }

  /** Creates the repository, its .gitignore and first commit when missing; safe to call again. */
  async init(projectId: ProjectKey): Promise<void> {
    return this.locked(projectId, async () => { await this.ensureRepo(projectId); });
  }

  /**
   * Commits exactly `files` (minus anything ignored) and the removal of tracked files gone from disk, by
   * the author, with the approver in an `Approved-by:` trailer (the form of the author line, so
   * `git log --format='%(trailers:key=Approved-by)'` and `git interpret-trailers` read it).
   */
  async commitDeployment(projectId: ProjectKey, args: DeploymentCommit): Promise<string> {
    args.files.forEach(assertWorkspacePath);
    const ident = authorIdent(args.author);
    if (!args.message.trim()) throw new CoreError('validation', 'a commit message is required');
    const message = `${args.message.trim()}\n\n${APPROVED_BY}: ${authorIdent(args.approver)}`;
    return this.locked(projectId, async () => {
      const git = await this.ensureRepo(projectId);
      const skipped = await stageExactly(git, this.dir(projectId), args.files);
      if (skipped.length) this.logger?.warn({ projectId, skipped }, 'git: ignored files left out of the commit');
      return this.commit(git, projectId, ident, message);
    });
  }

  /**
   * Commits one pack file, by the admin who changed it, Cloud Engine committing. `review` sees the pack
   * HEAD holds now and returns the file's new text (null removes it), or throws to refuse before anything
   * is written: it runs under the repository's lock, so two changes never both pass against the same pack.
   * The file is written to the working tree too, where git adds it from. `commit` is null when the file
   * already held exactly that text.
   */
  async commitPolicyFile<T extends { text: string | null }>(projectId: ProjectKey, change: PolicyCommit, review: (current: PolicyFile[]) => T | Promise<T>): Promise<{ commit: string | null; reviewed: T }> {
    assertPolicyPath(change.path);
    const ident = authorIdent(change.author);
    if (!change.message.trim()) throw new CoreError('validation', 'a commit message is required');
    return this.locked(projectId, async () => {
      const git = await this.ensureRepo(projectId);
      const file = await policyFilePath(this.dir(projectId), change.path);
      if ((await git(['check-ignore', '--no-index', '--', change.path])).trim()) {
        throw new CoreError('validation', `${change.path} would be ignored by the project repository's .gitignore (it keeps secrets and state out); choose another name`);
      }
      const reviewed = await review(await this.readPolicyFiles(git, projectId));
      await writePolicyFile(file, reviewed.text);
      await git(['read-tree', 'HEAD']);
      await git(reviewed.text === null ? ['rm', '-q', '--cached', '--ignore-unmatch', '--', change.path] : ['add', '--', change.path]);
      if (!(await git(['diff', '--cached', '--name-only', '--', change.path])).trim()) return { commit: null, reviewed };
      return { commit: await this.commit(git, projectId, ident, change.message.trim()), reviewed };
    });
  }

  async tag(projectId: ProjectKey, tag: string, commit?: string, message?: string): Promise<{ tag: string; commit: string }> {
    assertTagName(tag);
    return this.locked(projectId, async () => {
      const git = this.open(projectId);
      if (!(await git(['check-ref-format', '--normalize', `refs/tags/${tag}`])).trim()) {
        throw new CoreError('validation', `tag '${tag}' is not a valid git ref name (no '..', no trailing '.' or '.lock')`);
      }
      const existing = (await git(['rev-parse', '-q', '--verify', `refs/tags/${tag}^{commit}`])).trim();
      if (existing) throw new CoreError('conflict', `tag '${tag}' already exists in project ${projectName(projectId)} (on commit ${existing.slice(0, 7)}); choose another name`);
      const target = await this.resolveWith(git, projectId, commit ?? 'HEAD');
      await git(message ? ['tag', '-a', `--message=${message}`, tag, target] : ['tag', tag, target]);
      this.logger?.info({ projectId, tag, commit: target }, 'git: tagged');
      return { tag, commit: target };
    });
  }

  async log(projectId: ProjectKey, limit = 20): Promise<LogEntry[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new CoreError('validation', 'limit must be a whole number from 1 to 1000');
    return readLog(this.open(projectId), limit);
  }

  /** `to` omitted: the changes `from` made on its parent (a root commit is compared with the empty tree). */
  async diff(projectId: ProjectKey, from: string, to?: string): Promise<DiffResult> {
    const git = this.open(projectId);
    const a = await this.resolveWith(git, projectId, from);
    if (to !== undefined) return readDiff(git, a, await this.resolveWith(git, projectId, to));
    const parent = (await git(['rev-parse', '-q', '--verify', `${a}^1`])).trim();
    return readDiff(git, parent || EMPTY_TREE, a);
  }

  async show(projectId: ProjectKey, commit: string, path: string): Promise<string> {
    assertWorkspacePath(path);
    const git = this.open(projectId);
    const hash = await this.resolveWith(git, projectId, commit);
    if ((await git(['cat-file', '-t', `${hash}:${path}`]).catch(() => '')).trim() !== 'blob') {
      throw new CoreError('not_found', `file '${path}' does not exist at commit ${hash.slice(0, 7)} of project ${projectName(projectId)}`);
    }
    return git(['cat-file', 'blob', `${hash}:${path}`]);
  }

  /**
   * The project's policy pack as HEAD holds it (`policies/*.yaml`): committed files only, so an edit left in
   * the working tree never becomes policy. Sizes are checked from the tree before any file is read. Read
   * once per HEAD commit: every approval asks, and HEAD is found without running git (headCommit).
   */
  async policyFiles(projectId: ProjectKey): Promise<PolicyFile[]> {
    if (!existsSync(join(this.dir(projectId), '.git'))) return [];
    return this.readPolicyFiles(this.open(projectId), projectId);
  }

  private async readPolicyFiles(git: GitRunner, projectId: ProjectKey): Promise<PolicyFile[]> {
    const dir = this.dir(projectId);
    const head = await headCommit(dir) ?? (await git(['rev-parse', '-q', '--verify', 'HEAD'])).trim();
    if (!head) return [];
    const cached = this.packs.get(dir);
    if (cached?.head === head) return cached.files;
    const entries = (await git(['ls-tree', '-l', '-z', head, '--', `${POLICY_DIR}/`])).split('\0').filter(Boolean).map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      const [, type, , size] = meta.split(/\s+/);
      return { path, type, size: Number(size) };
    }).filter((e) => e.type === 'blob' && isPolicyFileName(e.path.slice(POLICY_DIR.length + 1)));
    if (entries.length > POLICY_LIMITS.files) throw new CoreError('validation', `project ${projectName(projectId)} has ${entries.length} policy files; at most ${POLICY_LIMITS.files} are read`);
    const tooBig = entries.find((e) => !(e.size <= POLICY_LIMITS.fileBytes));
    if (tooBig) throw new CoreError('validation', `policy file ${tooBig.path} is ${tooBig.size} bytes; a policy file may hold at most ${POLICY_LIMITS.fileBytes} bytes`);
    const files = await Promise.all(entries.map(async (e) => ({ path: e.path, text: await git(['cat-file', 'blob', `${head}:${e.path}`]) })));
    this.packs.set(dir, { head, files });
    return files;
  }

  async resolve(projectId: ProjectKey, ref: string): Promise<string> {
    return this.resolveWith(this.open(projectId), projectId, ref);
  }

  async setRemote(projectId: ProjectKey, url: string): Promise<void> {
    const target = assertRemoteUrl(url);
    // ssh to this very machine could still reach another project's workspace: nothing under the runs directory.
    if (LOCAL_HOSTS.has(target.host) || target.host === hostname().toLowerCase()) {
      const path = resolvePath('/', target.path);
      if (path === this.runsDir || path.startsWith(`${this.runsDir}/`)) {
        throw new CoreError('validation', 'the remote URL points into Cloud Engine\'s own runs directory on this machine; use a repository of your own');
      }
    }
    return this.locked(projectId, async () => {
      const git = this.open(projectId);
      const current = (await git(['config', '--get', 'remote.origin.url'])).trim();
      await git(current ? ['remote', 'set-url', 'origin', url] : ['remote', 'add', 'origin', url]);
      this.logger?.info({ projectId, remote: maskUrlCredentials(url) }, 'git: remote set');
    });
  }

  /** The whole repository — every branch and tag — as one git bundle, for a backup. */
  async bundle(projectId: ProjectKey): Promise<Buffer> {
    return this.locked(projectId, async () => {
      const git = this.open(projectId);
      await this.sweepBundles();
      const file = join(this.runsDir, `.bundle-${process.pid}-${randomUUID()}`);
      try {
        await git(['bundle', 'create', '-q', file, '--branches', '--tags']);
        return await readFile(file);
      } finally {
        await rm(file, { force: true });
      }
    });
  }

  /**
   * Recreates a project's repository from a backup's bundle, in a directory that must not exist yet:
   * only branches and tags are taken from it, then main is checked out.
   */
  async restoreBundle(projectId: ProjectKey, bundle: Buffer): Promise<void> {
    return this.locked(projectId, async () => {
      const dir = this.dir(projectId);
      if (existsSync(dir)) throw new CoreError('conflict', `${dir} already exists; restore into an empty runs directory`);
      await mkdir(dir, { recursive: true });
      const git = gitRunner(dir, projectName(projectId));
      const file = join(this.runsDir, `.bundle-${process.pid}-${randomUUID()}`);
      try {
        await writeFile(file, bundle);
        await git(['init', '-q', `--initial-branch=${BRANCH}`]);
        await git(['config', 'user.name', COMMITTER.name]);
        await git(['config', 'user.email', COMMITTER.email]);
        await git(['bundle', 'verify', '-q', file]);
        await git(['fetch', '-q', '--update-head-ok', file, 'refs/heads/*:refs/heads/*', 'refs/tags/*:refs/tags/*']);
        await git(['checkout', '-q', '-f', BRANCH]);
      } finally {
        await rm(file, { force: true });
      }
      this.initialised.add(dir);
    });
  }

  /** Bundle files of processes that died mid-backup (`.bundle-<pid>-…`): nothing else would ever remove them. */
  private async sweepBundles(): Promise<void> {
    for (const name of await readdir(this.runsDir).catch(() => [] as string[])) {
      const pid = Number(/^\.bundle-(\d+)-/.exec(name)?.[1]);
      if (pid && pid !== process.pid && !isRunning(pid)) await rm(join(this.runsDir, name), { force: true });
    }
  }

  /**
   * Whether anything waits in the layout from before projects belonged to their server: a repository at
   * the top of the runs directory, or one set aside by a start that was cut off. One directory read, so
   * every start can ask without listing projects.
   */
  hasLegacyLayout(): boolean {
    const entries = readdirSync(this.runsDir, { withFileTypes: true });
    return entries.some((e) => e.isDirectory() && (e.name.startsWith('.legacy-') || existsSync(join(this.runsDir, e.name, '.git'))));
  }

  /** Projects whose repository still waits in the old layout (a stat or two each). */
  private legacyWaiting<P extends { id: ProjectKey; name: string }>(projects: P[]): P[] {
    // A key that is not <server>/<name> (a server id from before ids were checked) has no folder to move to.
    return projects.filter((p) => parseProjectKey(p.id) && !existsSync(this.dir(p.id))
      && (existsSync(join(this.runsDir, p.name, '.git')) || existsSync(this.aside(p.name))));
  }

  /**
   * Moves those repositories from `<runs>/<name>` to `<runs>/<server>/<name>`. Every one goes aside first
   * (`<runs>/.legacy-<name>`), so a server folder is never created inside a repository still waiting to
   * move; a start cut off halfway resumes from there. Synchronous on purpose: the caller holds the store's
   * write lock, so two processes starting at once never move the same folders. Returns the projects moved.
   */
  adoptLegacyLayout(projects: Array<{ id: ProjectKey; name: string }>): ProjectKey[] {
    const waiting = this.legacyWaiting(projects);
    for (const p of waiting) {
      if (existsSync(join(this.runsDir, p.name, '.git'))) renameSync(join(this.runsDir, p.name), this.aside(p.name));
    }
    for (const p of waiting) {
      mkdirSync(dirname(this.dir(p.id)), { recursive: true });
      renameSync(this.aside(p.name), this.dir(p.id));
    }
    if (waiting.length) this.logger?.info({ moved: waiting.map((p) => p.id) }, 'git: repositories moved to <server>/<name>');
    return waiting.map((p) => p.id);
  }

  private aside(name: string): string {
    return join(this.runsDir, `.legacy-${name}`);
  }

  /** Forgets the push remote (the repository's config holds it no more). */
  async removeRemote(projectId: ProjectKey): Promise<void> {
    return this.locked(projectId, async () => {
      const git = this.open(projectId);
      if ((await git(['config', '--get', 'remote.origin.url']).catch(() => '')).trim()) await git(['remote', 'remove', 'origin']);
    });
  }

  /**
   * Pushes the branch and the tags Cloud Engine made (names it would accept), each by an explicit refspec:
   * whatever else sits in the repository stays here. Never throws: a push failure must not fail a deployment.
   */
  async push(projectId: ProjectKey): Promise<{ ok: boolean; error?: string }> {
    return this.locked(projectId, async () => {
      try {
        const git = this.open(projectId);
        const url = (await git(['config', '--get', 'remote.origin.url'])).trim();
        if (!url) return { ok: false, error: `project ${projectName(projectId)} has no git remote; set one first` };
        assertRemoteUrl(url);
        const tags = (await git(['for-each-ref', '--format=%(refname:strip=2)', 'refs/tags'])).split('\n').filter((t) => t && isOurTag(t));
        await git(['push', '--no-verify', 'origin', `refs/heads/${BRANCH}:refs/heads/${BRANCH}`, ...tags.map((t) => `refs/tags/${t}:refs/tags/${t}`)]);
        return { ok: true };
      } catch (e) {
        const error = maskUrlCredentials((e as Error).message);
        this.logger?.warn({ projectId, error }, 'git: push failed');
        return { ok: false, error };
      }
    });
  }

  private dir(projectId: ProjectKey): string {
    const { guildId, name } = projectKeyParts(projectId);
    return join(this.runsDir, guildId, name);
  }

  private locked<T>(projectId: ProjectKey, fn: () => Promise<T>): Promise<T> {
    this.dir(projectId);
    return this.mutex.run(projectId, fn);
  }

  /**
   * A runner for an existing repository. Checking for `.git` first matters: the runs directory may
   * sit inside another repository, and git would happily act on that one instead.
   */
  private open(projectId: ProjectKey): GitRunner {
    this.dir(projectId);
    if (!existsSync(join(this.dir(projectId), '.git'))) {
      throw new CoreError('not_found', `project ${projectName(projectId)} has no git repository yet (nothing has been deployed)`);
    }
    return gitRunner(this.dir(projectId), projectName(projectId));
  }

  private async ensureRepo(projectId: ProjectKey): Promise<GitRunner> {
    const dir = this.dir(projectId);
    const git = gitRunner(dir, projectName(projectId));
    if (this.initialised.has(dir) && existsSync(join(dir, '.git'))) return git;
    await mkdir(dir, { recursive: true });
    if (!existsSync(join(dir, '.git'))) await git(['init', '-q', `--initial-branch=${BRANCH}`]);
    if (!(await git(['rev-parse', '-q', '--verify', 'HEAD'])).trim()) {
      await git(['config', 'user.name', COMMITTER.name]);
      await git(['config', 'user.email', COMMITTER.email]);
      await writeFile(join(dir, '.gitignore'), GITIGNORE);
      await git(['add', '--', '.gitignore']);
      await git(['commit', '-q', '--no-verify', '--message=Initialise project workspace']);
      this.logger?.info({ projectId }, 'git: repository created');
    }
    this.initialised.add(dir);
    return git;
  }

  private async commit(git: GitRunner, projectId: ProjectKey, ident: string, message: string): Promise<string> {
    await git(['commit', '-q', '--allow-empty', '--no-verify', `--author=${ident}`, `--message=${message}`]);
    const hash = (await git(['rev-parse', 'HEAD'])).trim();
    this.logger?.info({ projectId, commit: hash }, 'git: committed');
    return hash;
  }

  /**
   * A user's reference, resolved one way only: hex (4-40 characters) is an object of this repository and
   * never a ref of the same name; `HEAD` is HEAD; any other name is a tag (`refs/tags/<name>`) — never a
   * branch or anything else git would try. Then `~N`/`^` suffixes, then: a commit in HEAD's history.
   */
  private async resolveWith(git: GitRunner, projectId: ProjectKey, ref: string): Promise<string> {
    assertRef(ref);
    const [, base = '', suffix = ''] = /^(.*?)((?:[~^][0-9]{0,3})*)$/.exec(ref) ?? [];
    const start = isHashLike(base) ? await this.objectCommit(git, projectId, base.toLowerCase())
      : base === 'HEAD' ? 'HEAD'
        : (await git(['rev-parse', '-q', '--verify', '--end-of-options', `refs/tags/${base}^{commit}`])).trim();
    if (!start) {
      throw new CoreError('not_found', isHashLike(base) ? `commit '${ref}' is not in project ${projectName(projectId)}'s history`
        : `'${base}' is not a tag of project ${projectName(projectId)}; use a commit hash from its git log, or one of its tags`);
    }
    const hash = (await git(['rev-parse', '-q', '--verify', '--end-of-options', `${start}${suffix}^{commit}`])).trim();
    // The object may exist without being history (a dangling commit): only ancestors of HEAD count.
    if (!hash || (await git(['merge-base', hash, 'HEAD'])).trim() !== hash) {
      throw new CoreError('not_found', `commit '${ref}' is not in project ${projectName(projectId)}'s history`);
    }
    return hash;
  }

  /** The one commit whose hash starts with `prefix`, looked up among objects (refs named like it are ignored). */
  private async objectCommit(git: GitRunner, projectId: ProjectKey, prefix: string): Promise<string> {
    const objects = (await git(['rev-parse', `--disambiguate=${prefix}`])).split('\n').map((l) => l.trim()).filter(Boolean);
    const typed = await Promise.all(objects.map(async (o) => ({ o, type: (await git(['cat-file', '-t', o])).trim() })));
    const commits = typed.filter((t) => t.type === 'commit');
    if (commits.length > 1) throw new CoreError('validation', `'${prefix}' matches ${commits.length} commits of project ${projectName(projectId)}; give more of the hash`);
    if (commits.length === 1) return commits[0]!.o;
    if (typed.length) throw new CoreError('validation', `'${prefix}' is a ${typed[0]!.type} of project ${projectName(projectId)}, not a commit; use a commit hash from its git log`);
    return '';
  }
}
