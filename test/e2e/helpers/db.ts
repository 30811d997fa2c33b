import Database from 'better-sqlite3';
import { NO_KEYS } from '../../../src/db/cipher.js';
import { sqliteSql, type Db } from '../../../src/db/database.js';
import type { Sql } from '../../../src/db/sql.js';
import type { ProjectKey } from '../../../src/domain/projects.js';

/**
 * The bot's database as a test reads it: a read-only connection to the file the bot process
 * writes (WAL lets both work at once). Queries go through src/db repositories or plain SELECTs.
 */
export interface DbReader {
  readonly db: Db;
  /** The same connection as src/db repositories take it (bodies in clear: these tests configure no keys). */
  readonly sql: Sql;
  /** The first column of the first row, e.g. a COUNT(*). */
  value<T = number>(sql: string, ...args: unknown[]): T;
  rows<T = Record<string, unknown>>(sql: string, ...args: unknown[]): T[];
  /** The store's key of the one project called `name` (tests give every project its own name). */
  key(name: string): ProjectKey;
  close(): void;
}

export function readDb(path: string): DbReader {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return {
    db,
    sql: sqliteSql(db, NO_KEYS),
    value: <T>(sql: string, ...args: unknown[]) => db.prepare(sql).pluck().get(...args) as T,
    rows: <T>(sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as T[],
    key: (name: string) => {
      const keys = db.prepare('SELECT id FROM projects WHERE name = ?').pluck().all(name) as ProjectKey[];
      if (keys.length !== 1) throw new Error(`${keys.length} projects are called ${name}`);
      return keys[0]!;
    },
    close: () => db.close(),
  };
}
