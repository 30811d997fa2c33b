import Database from 'better-sqlite3';
import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CoreError, environmentReason } from '../domain/errors.js';
import type { StoreCipher } from './cipher.js';
import type { Params, Sql } from './sql.js';

export type Db = Database.Database;

/** Why this process cannot write the database (a read-only mount, permissions), or undefined when it can. */
export function unwritableReason(path: string): string | undefined {
  if (path === ':memory:') return undefined;
  // The directory too (SQLite writes its WAL and shared-memory files beside the database); a directory
  // still to be created is as writable as its nearest existing ancestor.
  let dir = dirname(path);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  for (const p of existsSync(path) ? [path, dir] : [dir]) {
    try {
      accessSync(p, constants.W_OK);
    } catch (e) {
      return `${environmentReason(e) ?? (e as Error).message} (${p})`;
    }
  }
  return undefined;
}

const notADatabase = (path: string, e: unknown) =>
  new CoreError('storage', `The file at ${path} is not a Cloud Engine database (${(e as Error).message}); point DATABASE_PATH at its database, or at a new file to start afresh.`);

export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (e) {
    throw new CoreError('storage', `Cannot open the database at ${path}: ${(e as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    // Content deleted or overwritten (a forgotten credential, a superseded row) is zeroed, not left in free pages.
    db.pragma('secure_delete = ON');
  } catch (e) {
    db.close();
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw notADatabase(path, e);
    throw storageError(e) ?? new CoreError('storage', `Cannot use the database at ${path}: ${(e as Error).message}`);
  }
  cacheStatements(db);
  return db;
}

/**
 * The database opened for reading only, for commands that change nothing when the store cannot be written.
 * SQLite cannot read a WAL database whose directory is read-only unless its shared-memory file already
 * exists; when it does not (the database was closed cleanly, so there is no WAL content either), the
 * file is read into memory and read from there.
 */
export function openDatabaseReadOnly(path: string): Db {
  if (!existsSync(path)) throw new CoreError('storage', `There is no database at ${path} yet, and it cannot be created there; point DATABASE_PATH at a writable place.`);
  let db: Db;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw notADatabase(path, e);
    if (code === 'SQLITE_CANTOPEN' && existsSync(`${path}-wal`)) {
      throw new CoreError('storage', `The database at ${path} has changes in its write-ahead log (${path}-wal) that were never checkpointed, and it cannot be read where it cannot be written; open it once on a writable mount (any command), then it can be read read-only.`);
    }
    if (code !== 'SQLITE_CANTOPEN') throw new CoreError('storage', `Cannot read the database at ${path}: ${(e as Error).message}`);
    const bytes = readFileSync(path);
    // Header bytes 18-19 say "WAL"; an in-memory copy must use the rollback journal instead.
    if (bytes.length >= 20) bytes.writeUInt16BE(0x0101, 18);
    try {
      db = new Database(bytes, { readonly: true });
      db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    } catch (e2) {
      throw notADatabase(path, e2);
    }
  }
  db.pragma('foreign_keys = ON');
  cacheStatements(db);
  return db;
}

/** Distinct SQL texts are few (a handful of IN-list lengths at most); the cap only bounds a surprise. */
const STATEMENT_CACHE_LIMIT = 1000;

/**
 * better-sqlite3 compiles SQL on every prepare(); repositories call prepare per query, so each SQL text is
 * compiled once and its statement reused. Safe because every caller sets the statement's mode (plucked or not)
 * before it runs it, and no statement is iterated while another caller could run it.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, ReturnType<typeof prepare>>();
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= STATEMENT_CACHE_LIMIT) statements.clear();
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

/** Any SQLite failure on a file this store writes or reads besides its own (a backup, a restore), as a storage error. */
export function fileError(e: unknown, doing: string): CoreError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? new CoreError('storage', `Could not ${doing}: ${(e as Error).message}.`) : undefined;
}

/**
 * A database failure the environment causes (another process holding the write lock, a full disk) as the
 * storage error users see; undefined for anything else. Adapters use it for statements outside transactions.
 */
export function storageError(e: unknown): CoreError | undefined {
  // better-sqlite3 reports extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_READONLY_DBMOVED, SQLITE_IOERR_WRITE): the family decides.
  const code = (e as { code?: unknown } | null)?.code;
  const family = typeof code === 'string' ? /^SQLITE_[A-Z]+/.exec(code)?.[0] : undefined;
  if (family === 'SQLITE_BUSY' || family === 'SQLITE_LOCKED') {
    return new CoreError('storage', 'The database is busy (locked by another process); nothing was changed. Try again in a moment.');
  }
  if (family === 'SQLITE_FULL') return new CoreError('storage', 'The disk is full; nothing was changed.');
  if (family === 'SQLITE_READONLY') return new CoreError('storage', 'The database is read-only here; nothing was changed.');
  if (family === 'SQLITE_IOERR') return new CoreError('storage', `The disk failed a read or write of the database (${code}); nothing was changed.`);
  return undefined;
}

/** Repositories' SQL on one better-sqlite3 connection: statements run at once, their results handed over as settled promises. */
export function sqliteSql(db: Db, cipher: StoreCipher): Sql {
  const args = (params: Params | undefined): unknown[] => (params === undefined ? [] : Array.isArray(params) ? params : [params]);
  return {
    dialect: 'sqlite',
    cipher,
    all: async <T>(text: string, params?: Params) => db.prepare(text).pluck(false).all(...args(params)) as T[],
    get: async <T>(text: string, params?: Params) => db.prepare(text).pluck(false).get(...args(params)) as T | undefined,
    value: async <T>(text: string, params?: Params) => db.prepare(text).pluck(true).get(...args(params)) as T | undefined,
    values: async <T>(text: string, params?: Params) => db.prepare(text).pluck(true).all(...args(params)) as T[],
    run: async (text: string, params?: Params) => db.prepare(text).run(...args(params)).changes,
    body: (value) => value,
    unbody: (stored) => stored as string | Buffer,
    keyIdOf: (c) => `CASE WHEN typeof(${c}) = 'blob' AND substr(${c}, 1, 4) = CAST('CES1' AS BLOB) THEN lower(hex(substr(${c}, 5, 8))) END`,
    jsonEach: (c, alias) => `json_each(${c}) ${alias}`,
    insertionOrder: 'rowid',
  };
}
