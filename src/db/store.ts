import { AsyncLocalStorage } from 'node:async_hooks';
import type { Store } from '../domain/store.js';
import { snapshotStore, writeBackup } from './backup.js';
import type { StoreCipher } from './cipher.js';
import { fileError, sqliteSql, storageError, type Db } from './database.js';
import { repositories, RepositoryStore, type Repositories } from './repositories.js';
import type { Sql } from './sql.js';

/** A transaction in progress, or one repository call outside any, told apart from others by identity. */
type Turn = object;

/**
 * The store on one better-sqlite3 connection. A transaction spans awaits, so while one is open, only
 * calls from its own async context run, and every other caller waits for it to end — one transaction at
 * a time on the connection, as a connection pool of one would give. A repository call outside any
 * transaction takes the same turn for its few statements, so no other caller's statements run between them.
 */
export class SqliteStore extends RepositoryStore implements Store {
  private open: Turn | undefined;
  private waiters: Array<() => void> = [];
  private readonly context = new AsyncLocalStorage<Turn>();
  protected readonly repos: Repositories;
  /** The connection as repositories take it (tests read through it). */
  readonly sql: Sql;

  constructor(readonly db: Db, cipher: StoreCipher) {
    super();
    const q = sqliteSql(db, cipher);
    this.sql = q;
    this.repos = repositories((fn) => (...a) => this.run(() => fn(q, ...a)), (fn) => this.transaction(fn), () => cipher.currentKeyId);
  }

  readonly backups: Store['backups'] = {
    // The copy is one statement (VACUUM INTO reads in one transaction); gathering repositories holds no one up.
    write: async (path, collect, createdAt) => {
      try {
        await this.run(async () => snapshotStore(this.db, path));
        return await writeBackup(path, collect, createdAt);
      } catch (e) {
        throw fileError(e, 'write the backup copy of the store') ?? e;
      }
    },
  };

  get readOnly(): boolean {
    return this.db.readonly;
  }

  close(): void {
    this.db.close();
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.open !== undefined && this.context.getStore() === this.open) throw new Error('nested transaction: callers must not nest store.transaction');
    while (this.open !== undefined) await this.turn();
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      // This turn was never taken: the next waiter must not wait for its end.
      this.end();
      throw storageError(e) ?? e;
    }
    const turn: Turn = {};
    this.open = turn;
    try {
      const result = await this.context.run(turn, fn);
      this.db.exec('COMMIT');
      return result;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw storageError(e) ?? e;
    } finally {
      this.end();
    }
  }

  /**
   * A repository call: inside the open transaction when it comes from there, else in a turn of its own
   * once no transaction is open. A call from the context of a transaction that already ended (started
   * inside it, never awaited) is a bug: run on its own it would commit what the transaction rolled back,
   * so it is refused.
   */
  private async run<R>(call: () => Promise<R>): Promise<R> {
    const from = this.context.getStore();
    if (from !== undefined && from !== this.open) throw new Error('a store call outlived its transaction (it was started inside it and not awaited there)');
    try {
      if (from !== undefined) return await call();
      while (this.open !== undefined) await this.turn();
      this.open = {};
      try {
        return await call();
      } finally {
        this.end();
      }
    } catch (e) {
      throw storageError(e) ?? e;
    }
  }

  /** Ends a turn and hands it to the longest waiter (waking all of them would have each re-check and wait again). */
  private end(): void {
    this.open = undefined;
    this.waiters.shift()?.();
  }

  private turn(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
