import Database from 'better-sqlite3';
import { CoreError } from '../domain/errors.js';
import type { BackupFiles, BackupReader, RepositoryBundle } from '../domain/store.js';
import type { ProjectKey } from '../domain/projects.js';
import { fileError, type Db } from './database.js';
import { migrateFile, migrationNames } from './migrate.js';

/**
 * A backup is one SQLite file: a consistent copy of the store (`VACUUM INTO` reads it in one
 * transaction, while other processes keep writing) plus two tables of its own — what it is, and a git
 * bundle of every project's repository. Restoring copies the store out of it and drops those tables.
 */
const BACKUP_FORMAT = 'cloud-engine-backup-1';

/** An online, consistent copy of the store into a new file (which must not exist). */
export function snapshotStore(db: Db, path: string): void {
  db.prepare('VACUUM INTO ?').run(path);
}

/**
 * A project's key in a store or backup of any version: a backup written before projects were keyed by
 * server (migration 005) holds bare names, which the restored store's migration turns into these keys.
 */
const KEY_OF = (p: string) => `CASE WHEN instr(${p}.id, '/') > 0 THEN ${p}.id ELSE ${p}.guild_id || '/' || ${p}.id END`;

const projectIds = (db: Db): ProjectKey[] => db.prepare(`SELECT ${KEY_OF('p')} FROM projects p ORDER BY 1`).pluck().all() as ProjectKey[];

/** Completes a snapshot into a backup: the repositories of its projects, as `collect` gathers them, and what the file is. */
export async function writeBackup(path: string, collect: (projectIds: ProjectKey[]) => Promise<RepositoryBundle[]>, createdAt: string): Promise<{ projects: number; repositories: number }> {
  const backup = new Database(path);
  try {
    const ids = projectIds(backup);
    const repos = await collect(ids);
    backup.transaction(() => {
      backup.exec('CREATE TABLE backup_info (key TEXT PRIMARY KEY, value TEXT NOT NULL); CREATE TABLE backup_repositories (project_id TEXT PRIMARY KEY, bundle BLOB NOT NULL)');
      const info = backup.prepare('INSERT INTO backup_info (key, value) VALUES (?, ?)');
      info.run('format', BACKUP_FORMAT);
      info.run('created_at', createdAt);
      const repo = backup.prepare('INSERT INTO backup_repositories (project_id, bundle) VALUES (?, ?)');
      for (const r of repos) repo.run(r.projectId, r.bundle);
    })();
    return { projects: ids.length, repositories: repos.length };
  } finally {
    backup.close();
  }
}

/** Opens a file given as a backup, read-only, refusing anything that is not one of ours. */
function openBackup(path: string): BackupReader {
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db.prepare("SELECT key, value FROM backup_info WHERE key IN ('format', 'created_at')").all() as Array<{ key: string; value: string }>;
    const info = Object.fromEntries(rows.map((r) => [r.key, r.value]));
    if (info.format !== BACKUP_FORMAT) throw new Error(`its format is '${String(info.format).slice(0, 40)}', not ${BACKUP_FORMAT}`);
    const ids = projectIds(db);
    return {
      createdAt: info.created_at ?? '', projectIds: ids, migrations: backupMigrations(db),
      repositories: () => db.prepare(`SELECT coalesce(${KEY_OF('p')}, r.project_id) AS projectId, r.bundle AS bundle
        FROM backup_repositories r LEFT JOIN projects p ON p.id = r.project_id ORDER BY 1`).all() as RepositoryBundle[],
      extractTo: (target) => extractStore(db, target),
      close: () => db.close(),
    };
  } catch (e) {
    throw new CoreError('validation', `${path} is not a Cloud Engine backup (${(e as Error).message.slice(0, 120)}); give a file written by cloud-engine backup`);
  }
}

/** Migrations the backup's store records, to be checked against the ones this version knows. */
function backupMigrations(backup: Db): string[] | undefined {
  const table = backup.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  return table ? (backup.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all() as string[]) : undefined;
}

/** The store out of a backup into `path` (a new file), without the backup's own tables, migrated to this version. */
function extractStore(backup: Db, path: string): void {
  backup.prepare('VACUUM INTO ?').run(path);
  const store = new Database(path);
  try {
    store.exec('DROP TABLE backup_repositories; DROP TABLE backup_info; PRAGMA journal_mode = WAL');
  } finally {
    store.close();
  }
  migrateFile(path);
}

/**
 * Runs that were live in the source when the backup was taken belong to processes of that
 * installation, not this one: a restored store must neither wait for them nor signal their pids.
 * Their sessions end (a plan as failed, an apply as interrupted — its outcome is not in the backup),
 * their deployments are marked interrupted, and their locks are freed with the fence moved on.
 */
function settleRestoredRuns(path: string, now: string, note: string): Array<{ projectId: ProjectKey; sessionId: string; state: string }> {
  const db = new Database(path);
  try {
    return settle(db, now, note);
  } finally {
    db.close();
  }
}

function settle(db: Db, now: string, note: string): Array<{ projectId: ProjectKey; sessionId: string; state: string }> {
  return db.transaction(() => {
    const live = db.prepare("SELECT s.project_id AS projectId, s.id AS sessionId, s.state AS state FROM sessions s WHERE s.state IN ('PLANNING', 'APPLYING') ORDER BY s.project_id")
      .all() as Array<{ projectId: ProjectKey; sessionId: string; state: string }>;
    const free = db.prepare(`UPDATE locks SET session_id = NULL, user_id = NULL, acquired_at = NULL, owner_host = NULL, owner_pid = NULL, owner_started = NULL,
      run_pid = NULL, run_dir = NULL, heartbeat_at = NULL, expires_at = NULL, cancel_requested_by = NULL, fence = fence + 1
      WHERE session_id = ?`);
    for (const run of live) {
      db.prepare('UPDATE sessions SET state = ?, error = ?, updated_at = ? WHERE id = ?').run(run.state === 'PLANNING' ? 'PLAN_FAILED' : 'INTERRUPTED', note, now, run.sessionId);
      db.prepare("UPDATE deployments SET status = 'interrupted', error = ?, finished_at = ? WHERE session_id = ? AND status = 'running'").run(note, now, run.sessionId);
      free.run(run.sessionId);
    }
    return live;
  })();
}

/** Backup files as SQLite writes them, for restoring into a new store file. */
export const sqliteBackupFiles: BackupFiles = {
  open: (path) => {
    const reader = openBackup(path);
    return { ...reader, extractTo: (target) => mapped(() => reader.extractTo(target), `restore the store into ${target}`) };
  },
  migrationNames,
  settleRuns: (target, now, note) => mapped(() => settleRestoredRuns(target, now, note), `settle the restored runs in ${target}`),
};

function mapped<T>(fn: () => T, doing: string): T {
  try {
    return fn();
  } catch (e) {
    throw fileError(e, doing) ?? e;
  }
}
