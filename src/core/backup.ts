import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  backupRepositories, extractStore, openBackup, openSnapshot, projectIds, sealBackup, settleRestoredRuns, snapshotStore,
} from '../db/backup.js';
import type { Actor } from '../policy/permissions.js';
import type { CoreDeps } from './deps.js';
import { CoreError, environmentError, isCoreError } from './errors.js';
import type { Clock, GitPort } from './ports.js';

/** SQLite failing on a file (cannot open it, disk full, I/O) as the storage error users see. */
function storeError(e: unknown, doing: string): CoreError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? new CoreError('storage', `Could not ${doing}: ${(e as Error).message}.`) : undefined;
}

export interface BackupResult {
  file: string;
  projects: number;
  repositories: number;
}

/**
 * An online backup: a consistent copy of the store (taken while plans and applies go on), then a bundle
 * of each project's repository — taken after the copy, so every commit the copy refers to is in it.
 * Written beside the target and renamed into place: a failed backup leaves no half file.
 */
export async function backupStore(deps: CoreDeps, actor: Actor, out: string): Promise<BackupResult> {
  if (!actor.operator) throw new CoreError('forbidden', 'Only the operator (the CLI on the machine that holds the store) can back it up.');
  const file = resolve(out);
  if (existsSync(file)) throw new CoreError('conflict', `${file} already exists; give the backup a new file name`);
  const partial = `${file}.partial-${process.pid}`;
  let projects = 0;
  let repositories = 0;
  try {
    snapshotStore(deps.db, partial);
    const snapshot = openSnapshot(partial);
    try {
      const ids = projectIds(snapshot);
      const repos: Array<{ projectId: string; bundle: Buffer }> = [];
      for (const projectId of ids) {
        const bundle = await deps.git.bundle(projectId).catch((e: unknown) => {
          // A project nothing was ever committed for has no repository to keep.
          if (isCoreError(e) && e.code === 'not_found') return undefined;
          throw e;
        });
        if (bundle) repos.push({ projectId, bundle });
      }
      sealBackup(snapshot, repos, deps.clock.now().toISOString());
      projects = ids.length;
      repositories = repos.length;
    } finally {
      snapshot.close();
    }
    renameSync(partial, file);
  } catch (e) {
    rmSync(partial, { force: true });
    throw environmentError(e, `write the backup ${file}`) ?? storeError(e, `write the backup ${file}`) ?? e;
  }
  deps.audit.record(actor, { eventType: 'store_backed_up', projectId: null, sessionId: null, action: 'backup', status: 'success', details: { file, projects, repositories } });
  return { file, projects, repositories };
}

export interface RestoreTarget {
  dbPath: string;
  runsDir: string;
  git: GitPort;
  clock: Clock;
}

export interface RestoreResult {
  createdAt: string;
  projects: number;
  repositories: number;
  /** Runs that were live in the source when the backup was taken: their outcome is not in it. */
  interrupted: Array<{ projectId: string; sessionId: string; state: string }>;
}

const IN_FLIGHT_NOTE = 'This run was in progress when the backup was taken; its outcome is not in the restored store. Plan again to see what the cloud holds.';

/** Everything in a data directory that is not ours to overwrite. */
function occupied(target: RestoreTarget): string | undefined {
  for (const f of [target.dbPath, `${target.dbPath}-wal`]) if (existsSync(f)) return f;
  const entries = existsSync(target.runsDir) ? readdirSync(target.runsDir).filter((n) => n !== '.plugin-cache') : [];
  return entries.length ? resolve(target.runsDir, entries[0]!) : undefined;
}

/**
 * A backup into an empty data directory: the store, then each repository. Runs that were live in the
 * source are ended here (their processes belong to the source). Any failure removes what was written,
 * so the directory is empty again and the restore can simply be retried.
 */
export async function restoreStore(target: RestoreTarget, file: string): Promise<RestoreResult> {
  const taken = occupied(target);
  if (taken) throw new CoreError('conflict', `${taken} already exists; restore into an empty data directory (a new DATABASE_PATH and TERRAFORM_RUNS_DIR)`);
  const { db: backup, info } = openBackup(resolve(file));
  const written: string[] = [];
  try {
    const repos = backupRepositories(backup);
    mkdirSync(dirname(target.dbPath), { recursive: true });
    mkdirSync(target.runsDir, { recursive: true });
    extractStore(backup, target.dbPath);
    written.push(target.dbPath);
    const interrupted = settleRestoredRuns(target.dbPath, target.clock.now().toISOString(), IN_FLIGHT_NOTE);
    for (const r of repos) {
      written.push(resolve(target.runsDir, r.projectId));
      await target.git.restoreBundle(r.projectId, r.bundle);
    }
    return { createdAt: info.createdAt, projects: info.projects, repositories: repos.length, interrupted };
  } catch (e) {
    for (const w of written) rmSync(w, { recursive: true, force: true });
    rmSync(`${target.dbPath}-wal`, { force: true });
    rmSync(`${target.dbPath}-shm`, { force: true });
    throw environmentError(e, 'restore the backup') ?? storeError(e, 'restore the backup') ?? e;
  } finally {
    backup.close();
  }
}

/** Audited in the restored store, once it is open: who restored what, and which runs it ended. */
export function auditRestore(deps: CoreDeps, actor: Actor, file: string, result: RestoreResult): void {
  deps.audit.record(actor, {
    eventType: 'store_restored', projectId: null, sessionId: null, action: 'restore', status: 'success',
    details: { file: resolve(file), backup_created_at: result.createdAt, projects: result.projects, repositories: result.repositories, interrupted: result.interrupted },
  });
}
