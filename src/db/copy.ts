import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { CoreError } from '../domain/errors.js';
import type { ProjectKey } from '../domain/projects.js';
import type { RepositoryBundle } from '../domain/store.js';
import { writeBackup } from './backup.js';
import { NO_KEYS } from './cipher.js';
import { fileError, sqliteSql } from './database.js';
import { migrate } from './migrate.js';
import type { Param, Sql } from './sql.js';

interface Table {
  name: string;
  /** Keyset order: every page starts after the last key of the one before. */
  key: string[];
  columns: string[];
  /** Columns holding sealed or clear bodies, whose stored form differs between the dialects. */
  bodies?: string[];
  /** The table has the dialect's insertion-order column (SQLite's rowid), copied as it is. */
  ordered?: boolean;
  /** Identity columns whose sequence must continue after the copied rows. */
  identity?: string;
}

/** Every table of the store, parents before the rows that refer to them. */
const TABLES: Table[] = [
  { name: 'projects', key: ['id'], columns: ['id', 'name', 'cloud_name', 'guild_id', 'description', 'default_provider', 'budget_limit_micros', 'settings', 'created_by', 'created_at'] },
  { name: 'project_members', key: ['project_id', 'user_id'], columns: ['project_id', 'user_id', 'role', 'granted_by', 'granted_at'] },
  { name: 'quotas', key: ['project_id'], columns: ['project_id', 'max_resources', 'max_monthly_cost_micros', 'allowed_regions', 'allowed_machine_types', 'updated_by', 'updated_at'] },
  {
    name: 'sessions', key: ['id'],
    columns: ['id', 'project_id', 'guild_id', 'user_id', 'user_name', 'provider', 'state', 'base_commit', 'channel_id', 'message_id', 'thread_id', 'error', 'created_at', 'updated_at', 'expires_at', 'rollback_of', 'board_message_id', 'purpose', 'plan_mode'],
  },
  { name: 'session_resources', key: ['session_id', 'name'], columns: ['session_id', 'name', 'type', 'spec', 'position'] },
  {
    name: 'plans', key: ['id'], ordered: true, bodies: ['output', 'plan_bytes', 'policy_input'],
    columns: ['id', 'session_id', 'status', 'config_hash', 'state_serial', 'state_checksum', 'plan_file_hash', 'to_add', 'to_change', 'to_destroy', 'changes', 'cost', 'warnings', 'output', 'error', 'budget_override_by', 'created_at', 'plan_bytes', 'lock_file', 'policy', 'policy_input'],
  },
  { name: 'plan_votes', key: ['plan_id', 'user_id'], columns: ['plan_id', 'user_id', 'user_name', 'created_at'] },
  { name: 'policy_overrides', key: ['session_id', 'soft_hash'], columns: ['session_id', 'soft_hash', 'user_id', 'user_name', 'reason', 'created_at'] },
  { name: 'terraform_states', key: ['id'], identity: 'id', bodies: ['state_json'], columns: ['id', 'project_id', 'session_id', 'serial', 'lineage', 'checksum', 'state_json', 'created_at'] },
  { name: 'unrecorded_states', key: ['id'], identity: 'id', bodies: ['state_json'], columns: ['id', 'project_id', 'session_id', 'fence', 'serial', 'lineage', 'reason', 'state_json', 'created_at'] },
  {
    name: 'locks', key: ['project_id'],
    columns: ['project_id', 'session_id', 'user_id', 'acquired_at', 'fence', 'owner_host', 'owner_pid', 'owner_started', 'run_pid', 'heartbeat_at', 'expires_at', 'cancel_requested_by', 'run_dir'],
  },
  { name: 'sandbox_worlds', key: ['project_id'], columns: ['project_id', 'resources', 'updated_at'] },
  {
    name: 'drift_states', key: ['project_id'],
    columns: ['project_id', 'drifted', 'since', 'checked_at', 'revision', 'next_check_at', 'thread_channel_id', 'thread_id', 'thread_message_id', 'thread_revision', 'thread_claim', 'thread_claim_expires'],
  },
  {
    name: 'environment_leases', key: ['project_id'],
    columns: ['project_id', 'ttl_seconds', 'ends_at', 'armed_at', 'status', 'stop_reason', 'reminders_sent', 'channel_id', 'destroy_session_id', 'cost_micros', 'announced', 'set_by', 'version', 'updated_at'],
  },
  { name: 'deployed_resources', key: ['project_id', 'name'], columns: ['project_id', 'name', 'type', 'provider', 'spec', 'position'] },
  {
    name: 'deployments', key: ['id'],
    columns: ['id', 'project_id', 'session_id', 'plan_id', 'user_id', 'approver_name', 'status', 'resources_count', 'to_add', 'to_change', 'to_destroy', 'resource_types', 'monthly_cost_micros',
      'state_serial', 'commit_hash', 'error', 'started_at', 'finished_at', 'duration_ms', 'fence', 'terraform_exit', 'terraform_started_at'],
  },
  { name: 'run_logs', key: ['deployment_id', 'seq'], columns: ['deployment_id', 'seq', 'line'] },
  {
    name: 'relays', key: ['deployment_id'],
    columns: ['deployment_id', 'session_id', 'thread_id', 'owner', 'expires_at', 'posted_seq', 'done'],
  },
  { name: 'form_drafts', key: ['id'], bodies: ['body'], columns: ['id', 'session_id', 'user_id', 'form', 'body', 'created_at', 'expires_at'] },
  { name: 'budget_alerts', key: ['id'], identity: 'id', columns: ['id', 'project_id', 'threshold_micros', 'created_by', 'created_at', 'above', 'last_triggered_at', 'last_value_micros'] },
  { name: 'audit_logs', key: ['id'], identity: 'id', columns: ['id', 'timestamp', 'event_type', 'user_id', 'user_name', 'guild_id', 'project_id', 'session_id', 'action', 'status', 'details', 'error', 'ip'] },
  { name: 'announcements', key: ['audit_id'], columns: ['audit_id', 'owner', 'expires_at', 'done'] },
];

const PAGE = 500;
/** Rows go to the target in statements of at most this many bytes of values (PostgreSQL refuses a message over 1 GB). */
const STATEMENT_BYTES = 32 * 1024 * 1024;

/** Every table a Cloud Engine store has; anything else in a copy's target belongs to something else. */
export const STORE_TABLE_NAMES = () => [...TABLES.map((t) => t.name), 'schema_migrations', 'workers', 'sweeps'];
/** The column a table's insertion order travels under between dialects. */
const ORDER = 'insertion_order';

type Row = Record<string, unknown>;

/** A table's rows, a page at a time in key order, bodies in the form the cipher reads. */
async function* readTable(from: Sql, t: Table): AsyncGenerator<Row[]> {
  const select = [...t.columns, ...(t.ordered ? [`${from.insertionOrder} AS ${ORDER}`] : [])].join(', ');
  const key = `(${t.key.join(', ')})`;
  let after: Param[] | undefined;
  for (;;) {
    const rows = await from.all<Row>(`SELECT ${select} FROM ${t.name}${after ? ` WHERE ${key} > (${after.map(() => '?').join(', ')})` : ''} ORDER BY ${t.key.join(', ')} LIMIT ${PAGE}`, after ?? []);
    if (!rows.length) return;
    for (const r of rows) for (const c of t.bodies ?? []) if (r[c] !== null) r[c] = from.unbody(r[c]);
    yield rows;
    if (rows.length < PAGE) return;
    after = t.key.map((k) => rows[rows.length - 1]![k] as Param);
  }
}

const sizeOf = (v: unknown) => (Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? Buffer.byteLength(v) : 8);

/** A page of rows in statements small enough to send. */
async function writeRows(to: Sql, t: Table, rows: Row[]): Promise<void> {
  let chunk: Row[] = [];
  let bytes = 0;
  for (const r of rows) {
    const size = Object.values(r).reduce<number>((n, v) => n + sizeOf(v), 0);
    if (chunk.length && bytes + size > STATEMENT_BYTES) {
      await insertRows(to, t, chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(r);
    bytes += size;
  }
  if (chunk.length) await insertRows(to, t, chunk);
}

async function insertRows(to: Sql, t: Table, rows: Row[]): Promise<void> {
  const columns = [...t.columns, ...(t.ordered ? [ORDER] : [])];
  const names = [...t.columns, ...(t.ordered ? [to.insertionOrder] : [])];
  const values = rows.flatMap((r) => columns.map((c) => (t.bodies?.includes(c) && r[c] !== null ? to.body(r[c] as string | Buffer) : r[c]) as Param));
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  await to.run(`INSERT INTO ${t.name} (${names.join(', ')}) VALUES ${rows.map(() => tuple).join(', ')}`, values);
}

/** One value, typed, so that text, bytes and numbers that print alike never digest alike. */
const canonical = (v: unknown): string =>
  v === null || v === undefined ? 'null' : Buffer.isBuffer(v) ? `b:${v.toString('hex')}` : typeof v === 'string' ? `s:${JSON.stringify(v)}` : `n:${String(v)}`;

/** A table's rows and a digest of every value in key order: equal on both sides means nothing was lost or changed. */
async function digest(q: Sql, t: Table): Promise<{ rows: number; sha256: string }> {
  const hash = createHash('sha256');
  let rows = 0;
  for await (const page of readTable(q, t)) {
    for (const r of page) hash.update(`${Object.keys(r).sort().map((k) => `${k}=${canonical(r[k])}`).join('\u0001')}\n`);
    rows += page.length;
  }
  return { rows, sha256: hash.digest('hex') };
}

export interface CopiedTable {
  table: string;
  rows: number;
}

/**
 * Copies every row of `from` into `to` (empty, same schema version), bodies as they are (sealed stays
 * sealed), then reads both back and compares each table's digest. Callers run it inside one transaction
 * on each side: a consistent snapshot to read, and a copy that lands whole or not at all.
 */
export async function copyRows(from: Sql, to: Sql): Promise<CopiedTable[]> {
  const occupied: Array<[string, number]> = [];
  for (const t of TABLES) {
    const n = (await to.value<number>(`SELECT COUNT(*) FROM ${t.name}`))!;
    if (n) occupied.push([t.name, n]);
  }
  if (occupied.length) {
    throw new CoreError('validation', `the target store is not empty (${occupied.map(([t, n]) => `${t}: ${n} row(s)`).join(', ')}); copy only into a new, empty database`);
  }
  for (const t of TABLES) {
    for await (const rows of readTable(from, t)) await writeRows(to, t, rows);
  }
  const copied: CopiedTable[] = [];
  for (const t of TABLES) {
    const [a, b] = [await digest(from, t), await digest(to, t)];
    if (a.rows !== b.rows || a.sha256 !== b.sha256) {
      throw new CoreError('storage', `the copy of ${t.name} does not match its source (${a.rows} row(s) read, ${b.rows} written, digests differ: ${a.sha256 !== b.sha256}); nothing was kept`);
    }
    copied.push({ table: t.name, rows: a.rows });
  }
  return copied;
}

/** Identity columns continue after the copied ids (PostgreSQL does not move a sequence for explicit values). */
export async function continueIdentities(to: Sql): Promise<void> {
  if (to.dialect !== 'postgres') return;
  for (const t of [...TABLES.filter((x) => x.identity).map((x) => [x.name, x.identity!] as const), ['plans', 'seq'] as const]) {
    await to.value(`SELECT setval(pg_get_serial_sequence('${t[0]}', '${t[1]}'), (SELECT COALESCE(MAX(${t[1]}), 0) FROM ${t[0]}) + 1, false)`);
  }
}

/** Reads a consistent snapshot of a store: `read` sees one moment of it, however long it takes. */
export type Snapshot = <T>(read: (from: Sql) => Promise<T>) => Promise<T>;

/**
 * A backup of a store other than the SQLite file: its rows copied from one snapshot, taken while others
 * keep writing, into a new SQLite store file, which is then completed as every backup is. One format for
 * both stores: a backup restores into SQLite, and `db copy` takes it on to PostgreSQL.
 */
export async function backupFromSnapshot(snapshot: Snapshot, path: string, collect: (projectIds: ProjectKey[]) => Promise<RepositoryBundle[]>, createdAt: string) {
  let file: Database.Database;
  try {
    file = new Database(path);
    migrate(file);
  } catch (e) {
    throw fileError(e, 'write the backup copy of the store') ?? new CoreError('storage', `Could not write the backup copy of the store at ${path}: ${(e as Error).message}`);
  }
  try {
    await snapshot(async (from) => {
      file.exec('BEGIN');
      try {
        await copyRows(from, sqliteSql(file, NO_KEYS));
        file.exec('COMMIT');
      } catch (e) {
        file.exec('ROLLBACK');
        throw fileError(e, 'write the backup copy of the store') ?? e;
      }
    });
  } finally {
    file.close();
  }
  return writeBackup(path, collect, createdAt);
}
