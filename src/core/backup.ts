import { existsSync, linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BackupFiles, BackupReader, RepositoryBundle } from '../domain/store.js';
import { workspaceDir } from '../terraform/workspace.js';
import type { Actor } from '../policy/permissions.js';
import type { CoreDeps } from './deps.js';
import { environmentError, fileInTheWay, isCoreError, operatorOnly, unrestorable } from '../domain/errors.js';
import { probeProcess } from '../processes.js';
import type { Clock, GitPort } from './ports.js';
import type { ProjectKey } from '../domain/projects.js';


/** Each project's repository as a bundle; a project nothing was ever committed for has none to keep. */
async function bundles(git: GitPort, projectIds: ProjectKey[]): Promise<RepositoryBundle[]> {
  const repos: RepositoryBundle[] = [];
  for (const projectId of projectIds) {
    const bundle = await git.bundle(projectId).catch((e: unknown) => {
      if (isCoreError(e) && e.code === 'not_found') return undefined;
      throw e;
    });
    if (bundle) repos.push({ projectId, bundle });
  }
  return repos;
}

export interface BackupResult {
  file: string;
  projects: number;
  repositories: number;
  warning?: string;
}

/**
 * An online backup: a consistent copy of the store (taken while plans and applies go on), then a bundle
 * of each project's repository — taken after the copy, so every commit the copy refers to is in it.
 * Written beside the target and renamed into place: a failed backup leaves no half file.
 */
export async function backupStore(deps: CoreDeps, actor: Actor, out: string): Promise<BackupResult> {
  if (!actor.operator) throw operatorOnly('backup');
  const file = resolve(out);
  if (existsSync(file)) throw fileInTheWay(file, 'backup');
  const partial = `${file}.partial-${process.pid}`;
  sweepPartials(file);
  let projects = 0;
  let repositories = 0;
  try {
    ({ projects, repositories } = await deps.store.backups.write(partial, (ids) => bundles(deps.git, ids), deps.clock.now().toISOString()));
    // A link, not a rename: a file someone created there meanwhile is never replaced.
    linkSync(partial, file);
    rmSync(partial, { force: true });
  } catch (e) {
    rmSync(partial, { force: true });
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw fileInTheWay(file, 'backup', true);
    throw environmentError(e, `write the backup ${file}`) ?? e;
  }
  try {
    await deps.audit.record(actor, { eventType: 'store_backed_up', projectId: null, sessionId: null, action: 'backup', status: 'success', details: { file, projects, repositories } });
  } catch (e) {
    // The backup is whole; only its audit row is missing, and the user is told so rather than to retry.
    return { file, projects, repositories, warning: `the backup is complete, but its audit row could not be written (${(e as Error).message})` };
  }
  return { file, projects, repositories };
}

/** Partial files of backups whose process is gone (killed mid-way) are removed before a new one starts. */
function sweepPartials(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.partial-`;
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir).filter((n) => n.startsWith(prefix))) {
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && probeProcess(pid).kind === 'gone') rmSync(join(dir, name), { force: true });
  }
}

export interface RestoreTarget {
  dbPath: string;
  runsDir: string;
  files: BackupFiles;
  git: GitPort;
  clock: Clock;
}

export interface RestoreResult {
  createdAt: string;
  projects: number;
  repositories: number;
  /** Runs that were live in the source when the backup was taken: their outcome is not in it. */
  interrupted: Array<{ projectId: ProjectKey; sessionId: string; state: string }>;
}

const IN_FLIGHT_NOTE = 'This run was in progress when the backup was taken; its outcome is not in the restored store. Plan again to see what the cloud holds.';

/** Everything in a data directory that is not ours to overwrite. */
function occupied(target: RestoreTarget): string | undefined {
  for (const f of [target.dbPath, `${target.dbPath}-wal`, `${target.dbPath}-shm`]) if (existsSync(f)) return f;
  const entries = existsSync(target.runsDir) ? readdirSync(target.runsDir).filter((n) => n !== '.plugin-cache') : [];
  return entries.length ? resolve(target.runsDir, entries[0]!) : undefined;
}

/**
 * What a backup file holds, checked before anything is written: a store this version can open (its
 * migrations all known to us), and a repository only for a project of that store, under a valid id —
 * a crafted file must not name a path outside the runs directory, nor hand a project another's history.
 */
function checkedContents(backup: BackupReader, files: BackupFiles, runsDir: string, file: string): Array<{ dir: string; projectId: ProjectKey; bundle: Buffer }> {
  const migrations = backup.migrations;
  if (!migrations) throw unrestorable(file, 'no_migrations', 'its store has no schema_migrations table');
  const known = new Set(files.migrationNames());
  const unknown = migrations.filter((m) => !known.has(m));
  if (unknown.length) throw unrestorable(file, 'newer_version', unknown.slice(0, 3).join(', '));
  const projects = new Set(backup.projectIds);
  return backup.repositories().map((r) => {
    if (!projects.has(r.projectId)) throw unrestorable(file, 'foreign_repository', r.projectId.slice(0, 110));
    return { ...r, dir: workspaceDir(runsDir, r.projectId) };
  });
}

/**
 * A backup into an empty data directory: the store (migrated to this version), then each repository.
 * Runs that were live in the source are ended here (their processes belong to the source). Any failure
 * removes what was written, so the directory is empty again and the restore can simply be retried.
 */
export async function restoreStore(target: RestoreTarget, file: string): Promise<RestoreResult> {
  const doing = 'restore the backup';
  const taken = (() => {
    try {
      return occupied(target);
    } catch (e) {
      throw environmentError(e, doing) ?? e;
    }
  })();
  if (taken) throw fileInTheWay(taken, 'restore');
  const backup = target.files.open(resolve(file));
  const written: string[] = [];
  try {
    const repos = checkedContents(backup, target.files, target.runsDir, resolve(file));
    mkdirSync(dirname(target.dbPath), { recursive: true });
    mkdirSync(target.runsDir, { recursive: true });
    written.push(target.dbPath, `${target.dbPath}-wal`, `${target.dbPath}-shm`);
    backup.extractTo(target.dbPath);
    const interrupted = target.files.settleRuns(target.dbPath, target.clock.now().toISOString(), IN_FLIGHT_NOTE);
    for (const r of repos) {
      // The server's folder too, when this repository is its first: an empty runs directory is what a retry needs.
      if (!existsSync(dirname(r.dir))) written.push(dirname(r.dir));
      written.push(r.dir);
      await target.git.restoreBundle(r.projectId, r.bundle);
    }
    return { createdAt: backup.createdAt, projects: backup.projectIds.length, repositories: repos.length, interrupted };
  } catch (e) {
    // Only what this restore created, all of it inside the target; a failure here must not hide the first.
    for (const w of written) {
      try {
        rmSync(w, { recursive: true, force: true });
      } catch {
        // Left for the operator; the error below says what failed.
      }
    }
    throw environmentError(e, doing) ?? e;
  } finally {
    backup.close();
  }
}

/** Audited in the restored store, once it is open: who restored what, and which runs it ended. */
export async function auditRestore(deps: CoreDeps, actor: Actor, file: string, result: RestoreResult): Promise<void> {
  await deps.audit.record(actor, {
    eventType: 'store_restored', projectId: null, sessionId: null, action: 'restore', status: 'success',
    details: { file: resolve(file), backup_created_at: result.createdAt, projects: result.projects, repositories: result.repositories, interrupted: result.interrupted },
  });
}

/** Audited in the store a copy landed in, once it is open: from where, as of when, and how many rows of each table. */
export async function auditCopy(deps: CoreDeps, actor: Actor, source: string, copy: { snapshotAt: string; tables: Array<{ table: string; rows: number }> }): Promise<void> {
  await deps.audit.record(actor, {
    eventType: 'store_copied', projectId: null, sessionId: null, action: 'copy', status: 'success',
    details: { source, snapshot_at: copy.snapshotAt, rows: Object.fromEntries(copy.tables.map((t) => [t.table, t.rows])) },
  });
}
