import { randomUUID } from 'node:crypto';
import { mkdirSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config.js';
import { CoreError, environmentError } from './domain/errors.js';
import { Auditor } from './core/audit.js';
import { CloudOrchestrator } from './core/orchestrator.js';
import { silentNotifier, systemClock, type Clock, type Notifier } from './core/ports.js';
import type { WorkerQueue } from './domain/queue.js';
import { createRedactor } from './core/redact.js';
import { processIdentity } from './core/leases.js';
import { StateSync } from './core/stateSync.js';
import { CostEstimator, loadPriceBook } from './cost/index.js';
import { openDatabase, openDatabaseReadOnly, unwritableReason, type Db } from './db/database.js';
import type { Store } from './domain/store.js';
import type { RestoreTarget } from './core/backup.js';
import { sqliteBackupFiles } from './db/backup.js';
import { SqliteStore } from './db/store.js';
import { migrate, pendingMigrations } from './db/migrate.js';
import { StoreCipher } from './db/cipher.js';
import { PgStore } from './db/postgres.js';
import { PgRunQueue } from './db/runQueue.js';
import { copySqliteToPostgres, type StoreCopy } from './db/copyToPostgres.js';
import { ProjectRepos } from './git/projectRepo.js';
import { createLogger } from './log.js';
import { TerraformRunner } from './terraform/runner.js';
import type { LeaseOwner } from './domain/runs.js';

export interface App {
  config: Config;
  store: Store;
  log: Logger;
  orchestrator: CloudOrchestrator;
  /** The store could not be written, so it was opened for reading (only for commands that asked for it). */
  readOnly: boolean;
  /** The run queue, when RUN_QUEUE=workers or the command asked for it (PostgreSQL only). */
  queue?: WorkerQueue;
  close(): void;
}

export interface AppOptions {
  logger?: Logger;
  clock?: Clock;
  notifier?: Notifier;
  /** Skip the Terraform version probe (commands that never run Terraform). */
  skipTerraformCheck?: boolean;
  /** Who this process is as a lease owner (tests give two apps in one process different identities). */
  owner?: LeaseOwner;
  /** The command only reads: it may run on a store this process cannot write (a read-only mount, a backup). */
  readsOnly?: boolean;
  /** Open the run queue whatever RUN_QUEUE says: to take jobs (a worker, which also maintains the queue) or to report on it. */
  queue?: 'work' | 'read';
}

/** A directory the configuration names, created if missing; what stands in its way is a configuration problem. */
function ensureDirectory(variable: string, path: string): string {
  try {
    mkdirSync(path, { recursive: true });
    return realpathSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a file is in the way (it must be a directory)' : code === 'EACCES' || code === 'EROFS' ? 'it cannot be written' : (e as Error).message;
    throw new ConfigError([`${variable}: ${path} cannot be used: ${why}`]);
  }
}

/** The composition root: config → logger → db + migrations → services → orchestrator. */
export async function buildApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const log = opts.logger ?? createLogger(config.LOG_LEVEL);
  const clock = opts.clock ?? systemClock;
  const runsDir = ensureDirectory('TERRAFORM_RUNS_DIR', resolve(config.TERRAFORM_RUNS_DIR));
  const pluginCacheDir = ensureDirectory('TERRAFORM_PLUGIN_CACHE_DIR', resolve(config.TERRAFORM_PLUGIN_CACHE_DIR ?? join(runsDir, '.plugin-cache')));
  // Secrets a project's identity names (CLOUD_ENGINE_SECRET_*) reach Terraform's environment: redacted like the rest.
  const redact = createRedactor([...Object.values(config.cloudEnv), ...Object.entries(config.identityBindings).filter(([k]) => k.startsWith('CLOUD_ENGINE_SECRET_')).map(([, v]) => v), ...(config.DISCORD_TOKEN ? [config.DISCORD_TOKEN] : [])]);
  const runner = new TerraformRunner(config.TERRAFORM_BIN, config.cloudEnv, config.TERRAFORM_TIMEOUT_SECONDS * 1000, redact);
  if (!opts.skipTerraformCheck) await runner.checkVersion();
  const book = loadPriceBook(resolve(config.PRICING_DIR));
  const store = await openStore(config, opts.readsOnly ?? false);
  const queue = await openQueue(config, store, opts).catch((e: unknown) => { store.close(); throw e; });
  const audit = new Auditor(store, clock);
  const git = new ProjectRepos(runsDir, log.child({ module: 'git' }));
  // Repositories of a store from before projects belonged to their server (migration 005) move once,
  // under the store's write lock so that two processes starting together never move the same folders.
  if (!store.readOnly && git.hasLegacyLayout()) {
    await store.transaction(async () => git.adoptLegacyLayout(await store.projects.list())).catch((e: unknown) => {
      throw environmentError(e, `move project repositories in ${runsDir} under their server`) ?? e;
    });
  }
  const orchestrator = new CloudOrchestrator({
    store, clock, log, audit, runner, redact, runsDir, pluginCacheDir,
    states: new StateSync(store, audit, clock),
    cost: new CostEstimator(book),
    git,
    notifier: opts.notifier ?? silentNotifier,
    sessionTtlMinutes: config.SESSION_TTL_MINUTES,
    leaseTtlMs: config.LEASE_TTL_SECONDS * 1000,
    allowDefaultCredentials: config.CLOUD_DEFAULT_CREDENTIALS === 'allow',
    identityBindings: config.identityBindings,
    ...(config.RUN_QUEUE === 'workers' && queue ? { queue } : {}),
    owner: opts.owner ?? processIdentity(),
    newId: randomUUID,
  });
  if (!store.readOnly) await orchestrator.forgetRefusedRemotes().catch((err: unknown) => log.error({ err }, 'forgetting refused git remotes failed'));
  return {
    config, store, log, orchestrator, readOnly: store.readOnly, ...(queue ? { queue } : {}),
    close: () => { if (queue) void queue.close().finally(() => store.close()); else store.close(); },
  };
}

/** The run queue on the store's PostgreSQL database, when this configuration or command needs it. */
async function openQueue(config: Config, store: Store, opts: AppOptions): Promise<WorkerQueue | undefined> {
  if (config.RUN_QUEUE !== 'workers' && !opts.queue) return undefined;
  if (!(store instanceof PgStore) || !config.DATABASE_URL) {
    throw new CoreError('validation', 'the run queue lives in PostgreSQL: set DATABASE_URL (postgres://…) for workers and for every process that approves applies');
  }
  return PgRunQueue.open(config.DATABASE_URL, store, { waitMs: config.RUN_QUEUE_WAIT_SECONDS * 1000, runTimeoutSeconds: config.TERRAFORM_TIMEOUT_SECONDS, supervise: opts.queue === 'work' });
}

/** `cloud-engine db copy`: the SQLite store this configuration names into the empty PostgreSQL database at `url`. */
export const copyStoreToPostgres = (config: Config, url: string, clock: Clock = systemClock): Promise<StoreCopy & { source: string }> => {
  const source = resolve(config.DATABASE_PATH);
  return copySqliteToPostgres(source, url, storeCipher(config), () => clock.now()).then((copy) => ({ ...copy, source }));
};

/** Where `cloud-engine restore` writes: the configured store file and runs directory, which must be empty. */
export function restoreTarget(config: Config): RestoreTarget {
  if (config.DATABASE_URL) {
    throw new CoreError('validation', 'restore writes a new SQLite store; unset DATABASE_URL to restore into DATABASE_PATH, then move it with cloud-engine db copy --to <url>');
  }
  const runsDir = resolve(config.TERRAFORM_RUNS_DIR);
  return { dbPath: resolve(config.DATABASE_PATH), runsDir, files: sqliteBackupFiles, git: new ProjectRepos(runsDir), clock: systemClock };
}

/** The keys state bodies are sealed and opened with. */
export const storeCipher = (config: Config) => {
  const current = config.STATE_ENCRYPTION_KEY ?? config.STATE_ENCRYPTION_KEY_FILE;
  return new StoreCipher({ ...(current ? { current } : {}), previous: config.STATE_ENCRYPTION_PREVIOUS_KEYS });
};

/** PostgreSQL when DATABASE_URL names it, else the SQLite file at DATABASE_PATH; migrated to this version. */
export async function openStore(config: Config, readsOnly: boolean): Promise<Store> {
  if (config.DATABASE_URL) return PgStore.open(config.DATABASE_URL, storeCipher(config));
  return new SqliteStore(openSqlite(resolve(config.DATABASE_PATH), readsOnly), storeCipher(config));
}

/** The database, migrated; or, for a command that only reads, opened read-only when this process cannot write it. */
export function openSqlite(path: string, readsOnly: boolean): Db {
  const unwritable = unwritableReason(path);
  if (unwritable && !readsOnly) {
    throw new CoreError('storage', `The database at ${path} cannot be written: ${unwritable}. Make it writable or point DATABASE_PATH elsewhere; the CLI's reading commands (project list, audit, state, git log, git diff, stats, export) work on it as it is.`);
  }
  const db = unwritable ? openDatabaseReadOnly(path) : openDatabase(path);
  try {
    const pending = unwritable ? pendingMigrations(db) : (migrate(db), []);
    if (pending.length) throw new Error(`it is older than this Cloud Engine (it lacks ${pending.join(', ')}) and cannot be upgraded while it is read-only`);
  } catch (e) {
    db.close();
    throw new CoreError('storage', `Could not prepare the database at ${path}: ${(e as Error).message}`);
  }
  return db;
}
