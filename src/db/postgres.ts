import { AsyncLocalStorage } from 'node:async_hooks';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describeUrl } from '../config.js';
import { CoreError, isCoreError } from '../domain/errors.js';
import type { Store } from '../domain/store.js';
import type { StoreCipher } from './cipher.js';
import { MIGRATIONS_DIR } from './migrate.js';
import { backupFromSnapshot, continueIdentities, copyRows, type CopiedTable } from './copy.js';
import { repositories, RepositoryStore, type Repositories } from './repositories.js';
import { taggedBody, toNumbered, type Params, type Sql } from './sql.js';

export const PG_MIGRATIONS_DIR = join(MIGRATIONS_DIR, 'postgres');

/**
 * Every transaction, and every repository call that writes outside one, first takes this
 * transaction-scoped advisory lock: writers run one at a time across every process on the database, as
 * SQLite's BEGIN IMMEDIATE gives, so a check and the write it guards (a fencing token and the state
 * recorded under it) can never interleave with another writer. Readers never take it.
 */
const STORE_WRITE_LOCK = 0x43450001;
/** How long a writer waits for the write lock before it gives up, nothing changed. */
const LOCK_TIMEOUT_MS = 15_000;

/** Tables in the database's current schema that are not among `ours`: a database something else uses. */
export async function tablesOtherThan(url: string, ours: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1');
    return rows.map((r) => r.name).filter((n) => !ours.includes(n));
  } catch (e) {
    throw pgStorageError(e, url) ?? e;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** int8 (counts, ids, micro-dollars) and numeric (averages) as numbers: every value this store keeps is below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** What PostgreSQL or the network says, in the words the store's users see; undefined for anything else. */
export function pgStorageError(e: unknown, url: string): CoreError | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  const message = (e as Error | null)?.message ?? String(e);
  const where = describeUrl(url);
  if (typeof code !== 'string') {
    return /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(message)
      ? new CoreError('storage', `The connection to PostgreSQL at ${where} was lost (${message}); nothing more was changed. Try again once it is back.`) : undefined;
  }
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'ENOENT'].includes(code)) {
    return new CoreError('storage', `Cannot reach PostgreSQL at ${where} (${code}); start it, or correct DATABASE_URL.`);
  }
  if (code === '28P01' || code === '28000') return new CoreError('storage', `PostgreSQL at ${where} refused the login (${message}); correct the user or password in DATABASE_URL.`);
  if (code === '3D000') return new CoreError('storage', `PostgreSQL at ${where} has no such database (${message}); create it (createdb) or correct DATABASE_URL.`);
  if (code === '22021' || code === '22P05') return new CoreError('validation', 'a value holds a character PostgreSQL cannot store (a NUL character, or bytes that are not UTF-8); nothing was changed');
  if (code === '53100') return new CoreError('storage', 'The PostgreSQL server\'s disk is full; nothing was changed.');
  if (code === '25006') return new CoreError('storage', 'The PostgreSQL database is read-only here (a standby?); nothing was changed.');
  if (code === '55P03' || code === '40P01' || code === '40001') {
    return new CoreError('storage', 'The database is busy (another process holds the store\'s write lock); nothing was changed. Try again in a moment.');
  }
  if (code.startsWith('57P') || code.startsWith('08')) return new CoreError('storage', `PostgreSQL at ${where} closed the connection (${message}); nothing more was changed. Try again once it is back.`);
  return undefined;
}

type Runner = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Repositories' SQL on one connection (a transaction's) or on the pool. */
function pgSql(on: () => Promise<Runner>, cipher: StoreCipher): Sql {
  const query = async <T>(text: string, params: Params | undefined) => {
    const numbered = toNumbered(text, params);
    return (await on()).query<T & pg.QueryResultRow>({ text: numbered.text, values: numbered.values });
  };
  const first = (row: Record<string, unknown> | undefined) => (row === undefined ? undefined : Object.values(row)[0]);
  return {
    dialect: 'postgres',
    cipher,
    all: async <T>(text: string, params?: Params) => (await query<T>(text, params)).rows as T[],
    get: async <T>(text: string, params?: Params) => (await query<T>(text, params)).rows[0] as T | undefined,
    value: async <T>(text: string, params?: Params) => first((await query<Record<string, unknown>>(text, params)).rows[0]) as T | undefined,
    values: async <T>(text: string, params?: Params) => (await query<Record<string, unknown>>(text, params)).rows.map((r) => first(r)) as T[],
    run: async (text: string, params?: Params) => (await query(text, params)).rowCount ?? 0,
    ...taggedBody,
    keyIdOf: (c) => `CASE WHEN length(${c}) > 12 AND get_byte(${c}, 0) = 1 AND substr(${c}, 2, 4) = '\\x43455331'::bytea THEN encode(substr(${c}, 6, 8), 'hex') END`,
    jsonEach: (c, alias) => `jsonb_array_elements_text(${c}::jsonb) AS ${alias}(value)`,
    insertionOrder: 'seq',
  };
}

/** A transaction, or a repository call that writes outside one: a connection under the store's write lock until it ends. */
interface Held {
  client?: pg.PoolClient;
  open: boolean;
}

/**
 * The store on PostgreSQL, shared by every process that points DATABASE_URL at it. A transaction is one
 * connection from the pool under the store's write lock; calls from its async context run on it. A call
 * outside any transaction reads on the pool, and takes a connection under the write lock at its first
 * write, committing when it ends, so a call of several statements is whole or not at all.
 */
export class PgStore extends RepositoryStore implements Store {
  private readonly context = new AsyncLocalStorage<Held>();
  protected readonly repos: Repositories;
  readonly readOnly = false;

  private readonly sql: (held: Held) => Sql;

  private constructor(private readonly pool: pg.Pool, private readonly url: string, private readonly cipher: StoreCipher) {
    super();
    this.repos = repositories((fn) => (...a) => this.call((q) => fn(q, ...a)), (fn) => this.transaction(fn), () => cipher.currentKeyId);
    this.sql = (held) => pgSql(async () => held.client ?? this.pool, cipher);
  }

  /** Connects, and brings the schema up to this version (one process at a time). */
  static async open(url: string, cipher: StoreCipher, opts: { max?: number } = {}): Promise<PgStore> {
    // A connection that never answers must not hang start-up; a lock that is never released must not hang a caller.
    const pool = new pg.Pool({ connectionString: url, types, max: opts.max ?? 10, connectionTimeoutMillis: 10_000 });
    // An idle connection the server drops is reported here; the next query reconnects. A connection in use
    // reports it to its query too, which fails with it: the listener only keeps the event from ending the process.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    const store = new PgStore(pool, url, cipher);
    try {
      await store.migrate();
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw isCoreError(e) ? e : new CoreError('storage', `Could not prepare the PostgreSQL database at ${describeUrl(url)}: ${(e as Error).message}`);
    }
    return store;
  }

  readonly backups: Store['backups'] = {
    write: (path, collect, createdAt) => backupFromSnapshot((read) => this.snapshot(read), path, collect, createdAt),
  };

  close(): void {
    void this.pool.end().catch(() => undefined);
  }

  /** Ends the pool and waits for its connections to close. */
  async end(): Promise<void> {
    await this.pool.end();
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.context.getStore()?.open) throw new Error('nested transaction: callers must not nest store.transaction');
    const held: Held = { open: true };
    return this.settle(held, async () => {
      held.client = await this.begin('writer');
      return this.context.run(held, fn);
    });
  }

  /** The connection of the caller's transaction as pg-boss takes one, so a job is sent in that transaction; none outside one. */
  inTransactionDb(): { db?: { executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }> } } {
    const client = this.context.getStore()?.client;
    return client ? { db: { executeSql: async (text, values) => ({ rows: (await client.query(text, values)).rows }) } } : {};
  }

  /** `read` on one REPEATABLE READ snapshot: every table as it was at one moment, while others keep writing. */
  async snapshot<T>(read: (from: Sql) => Promise<T>): Promise<T> {
    const held: Held = { open: true };
    return this.settle(held, async () => {
      const client = await this.begin('snapshot');
      held.client = client;
      return read(pgSql(async () => client, this.cipher));
    });
  }

  /**
   * Copies every row of `from` (a snapshot of another store) into this one, which must be empty, in one
   * transaction under the write lock: the copy lands whole, verified, or not at all.
   */
  async copyFrom(from: Sql): Promise<CopiedTable[]> {
    return this.transaction(async () => {
      const to = this.sql(this.context.getStore()!);
      const copied = await copyRows(from, to);
      await continueIdentities(to);
      return copied;
    });
  }

  /**
   * Applies every PostgreSQL migration not yet recorded, in order, under the store's write lock. A store
   * already at this version is only read: no lock, no DDL (a role without CREATE rights works on it).
   */
  private async migrate(): Promise<void> {
    const files = readdirSync(PG_MIGRATIONS_DIR).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
    const recorded = async (client: pg.ClientBase | pg.Pool) => {
      const exists = (await client.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t")).rows[0]?.t;
      return new Set(exists ? (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name) : []);
    };
    const done = await recorded(this.pool);
    if (files.every((f) => done.has(f))) return;
    const held: Held = { open: true };
    await this.settle(held, async () => {
      const client = await this.begin('writer');
      held.client = client;
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
      const now = await recorded(client);
      for (const file of files.filter((f) => !now.has(f))) {
        await client.query(readFileSync(join(PG_MIGRATIONS_DIR, file), 'utf8'));
        await client.query('INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)', [file, new Date().toISOString()]);
      }
    });
  }

  /** A connection with a transaction begun: a writer's holds the store's write lock; a reader's is a snapshot. */
  private async begin(as: 'writer' | 'snapshot'): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    try {
      if (as === 'snapshot') {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      } else {
        // One round trip. The timeout is set here, not in the URL's options, which a DATABASE_URL with its own `options=` would replace.
        await client.query(`BEGIN; SET LOCAL lock_timeout = ${LOCK_TIMEOUT_MS}; SELECT pg_advisory_xact_lock(${STORE_WRITE_LOCK})`);
      }
      return client;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
      throw e;
    }
  }

  /** Runs work, then ends what `held` began: commits when it succeeded, rolls back when it threw; its connection goes back. */
  private async settle<T>(held: Held, work: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (e) {
      // Closed before the rollback is sent: a call still in flight from the work is refused, never run after it.
      held.open = false;
      await held.client?.query('ROLLBACK').catch(() => undefined);
      held.client?.release();
      throw pgStorageError(e, this.url) ?? e;
    }
    held.open = false;
    try {
      await held.client?.query('COMMIT');
      return result;
    } catch (e) {
      await held.client?.query('ROLLBACK').catch(() => undefined);
      throw pgStorageError(e, this.url) ?? e;
    } finally {
      held.client?.release();
    }
  }

  private async call<R>(body: (q: Sql) => Promise<R>): Promise<R> {
    const from = this.context.getStore();
    if (from !== undefined && !from.open) throw new Error('a store call outlived its transaction (it was started inside it and not awaited there)');
    if (from !== undefined) return body(this.sql(from));
    const held: Held = { open: true };
    return this.settle(held, () => body(writesUnderLock(this.sql(held), () => this.writing(held))));
  }

  private async writing(held: Held): Promise<void> {
    if (!held.client) held.client = await this.begin('writer');
  }
}

/** `q` with every statement that may change rows (anything but a SELECT) waiting for the write lock first. */
function writesUnderLock(q: Sql, writing: () => Promise<void>): Sql {
  const wrap = <F extends (text: string, params?: Params) => Promise<unknown>>(f: F): F =>
    (async (text: string, params?: Params) => { if (!/^\s*SELECT\b/i.test(text)) await writing(); return f(text, params); }) as F;
  return { ...q, get: wrap(q.get), value: wrap(q.value), all: wrap(q.all), values: wrap(q.values), run: wrap(q.run) };
}
