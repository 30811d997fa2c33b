import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describeUrl } from '../config.js';
import { CoreError, isCoreError } from '../domain/errors.js';
import { NO_KEYS, type StoreCipher } from './cipher.js';
import { STORE_TABLE_NAMES, type CopiedTable } from './copy.js';
import { sqliteSql, storageError } from './database.js';
import { migrate } from './migrate.js';
import { PgStore, tablesOtherThan } from './postgres.js';

export interface StoreCopy {
  tables: CopiedTable[];
  /** When the source was read: anything written to it later is not in the copy. */
  snapshotAt: string;
}

/**
 * `cloud-engine db copy`: the SQLite store at `path` into the empty PostgreSQL database at `url`, from one
 * read snapshot, verified table by table, in one transaction there. Bodies travel as they are stored
 * (sealed stays sealed under the same keys). Refused while a run is live in the source: its outcome
 * would land in SQLite after the snapshot.
 */
export async function copySqliteToPostgres(path: string, url: string, cipher: StoreCipher, now: () => Date): Promise<StoreCopy> {
  if (!existsSync(path)) throw new CoreError('validation', `there is no SQLite store at ${path} to copy (DATABASE_PATH); point DATABASE_PATH at the store to move`);
  let source: Database.Database;
  try {
    // Brought up to this version first, so that both sides have the same tables and columns.
    const writable = new Database(path);
    try { migrate(writable); } finally { writable.close(); }
    source = new Database(path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw storageError(e) ?? new CoreError('storage', `Cannot read the SQLite store at ${path}: ${(e as Error).message}`);
  }
  try {
    source.exec('BEGIN');
    const from = sqliteSql(source, NO_KEYS);
    const live = await from.all<{ project_id: string; owner_host: string; owner_pid: number }>('SELECT project_id, owner_host, owner_pid FROM locks WHERE owner_pid IS NOT NULL ORDER BY project_id');
    if (live.length) {
      throw new CoreError('conflict', `runs are live in the SQLite store (${live.map((l) => `${l.project_id}: pid ${l.owner_pid} on ${l.owner_host}`).join(', ')}); copy once they end, with every process on that store stopped`);
    }
    const snapshotAt = now().toISOString();
    // Checked before the store's tables are created there: a database another application uses is left as it was.
    const foreign = await tablesOtherThan(url, STORE_TABLE_NAMES());
    if (foreign.length) {
      throw new CoreError('validation', `${describeUrl(url)} holds tables that are not a Cloud Engine store's (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}); copy only into a new, empty database`);
    }
    const target = await PgStore.open(url, cipher);
    try {
      return { tables: await target.copyFrom(from), snapshotAt };
    } finally {
      await target.end();
    }
  } catch (e) {
    if (isCoreError(e)) throw e;
    throw storageError(e) ?? new CoreError('storage', `Could not copy the store to ${describeUrl(url)}: ${(e as Error).message}`);
  } finally {
    source.close();
  }
}
