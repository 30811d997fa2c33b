import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { buildApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Clock, Notifier } from '../../src/core/ports.js';
import type { Actor } from '../../src/policy/permissions.js';
import type { LeaseOwner } from '../../src/domain/runs.js';
import { projectKey } from '../../src/domain/projects.js';
import type { Db } from '../../src/db/database.js';
import type { SqliteStore } from '../../src/db/store.js';
import type { Sql } from '../../src/db/sql.js';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** One provider plugin cache for the whole test run (sandbox needs none, but init still looks). */
export const SHARED_PLUGIN_CACHE = join(tmpdir(), 'cloud-engine-test-plugin-cache');

export class TestClock implements Clock {
  constructor(private t = Date.parse('2026-11-28T10:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface TestApp {
  app: App;
  dir: string;
  clock: TestClock;
  cleanup(): void;
}

/** Another process as a lease owner: this pid with another start time, i.e. a restart of a process that is gone. */
export const restartedProcess = (): LeaseOwner => ({ host: hostname(), pid: process.pid, started: `restart-${Math.random()}` });

export async function testApp(opts: { notifier?: Notifier; env?: Record<string, string>; dir?: string; realClock?: boolean; owner?: LeaseOwner; logger?: pino.Logger } = {}): Promise<TestApp> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'ce-test-'));
  mkdirSync(SHARED_PLUGIN_CACHE, { recursive: true });
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(dir, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'),
    TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE, LOG_LEVEL: 'silent', ...opts.env,
  });
  const clock = new TestClock();
  const app = await buildApp(config, { logger: opts.logger ?? pino({ level: 'silent' }), ...(opts.realClock ? {} : { clock }), ...(opts.notifier ? { notifier: opts.notifier } : {}), ...(opts.owner ? { owner: opts.owner } : {}) });
  return { app, dir, clock, cleanup: () => { app.close(); rmSync(dir, { recursive: true, force: true }); } };
}

export const GUILD = '111111111111111111';
export const admin: Actor = { userId: '200000000000000001', userName: 'alice-admin', guildId: GUILD, isGuildAdmin: true };
export const dev: Actor = { userId: '200000000000000002', userName: 'dan-dev', guildId: GUILD, isGuildAdmin: false };
export const approver: Actor = { userId: '200000000000000003', userName: 'ann-approver', guildId: GUILD, isGuildAdmin: false };
export const stranger: Actor = { userId: '200000000000000004', userName: 'sam-stranger', guildId: GUILD, isGuildAdmin: false };
export const otherGuildAdmin: Actor = { userId: '200000000000000005', userName: 'olly', guildId: '999999999999999999', isGuildAdmin: true };

/** A sandbox project with a deployer and an approver. */
export async function sandboxProject(app: App, id = 'shop', budgetUsd = 1000): Promise<void> {
  await app.orchestrator.createProject(admin, { id, provider: 'sandbox', budgetUsd });
  await app.orchestrator.grantRole(admin, id, dev.userId, 'deployer');
  await app.orchestrator.grantRole(admin, id, approver.userId, 'approver');
}

export const vm = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'compute_vm', name, machine_type: 'small', ...extra });
export const db = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'database', name, engine: 'postgres', tier: 'small', storage_gb: 20, ...extra });
export const bucket = (name: string, extra: Record<string, unknown> = {}) => ({ type: 'storage_bucket', name, storage_gb: 10, ...extra });

/**
 * An approved apply of three quick VMs and `slow` VMs that boot for 30 s (the sandbox's local-exec sleep):
 * resolves once the quick ones are created, while the slow ones sleep. `drain` reads the rest of the output.
 */
export async function slowApply(app: App, slow = 3) {
  const o = app.orchestrator;
  const s = await o.startSession(dev, 'shop');
  for (const i of [1, 2, 3]) await o.addResource(dev, s.id, vm(`fast-${i}`));
  for (let i = 1; i <= slow; i++) await o.addResource(dev, s.id, vm(`slow-${i}`, { boot_seconds: 30 }));
  await o.plan(dev, s.id);
  await o.approve(approver, s.id);
  const run = await o.apply(s.id, approver.userName);
  const seen: string[] = [];
  const it = run.lines[Symbol.asyncIterator]();
  while (seen.filter((l) => /fast-\d: Creation complete/.test(l)).length < 3) {
    const next = await it.next();
    if (next.done) break;
    seen.push(next.value);
  }
  const drain = async () => {
    for (;;) {
      const n = await it.next();
      if (n.done) return seen;
      seen.push(n.value);
    }
  };
  return { s, sessionId: s.id, run, drain };
}

/** The SQLite connection under an app's store: tests read and forge rows with it directly. */
export const dbOf = (app: App): Db => (app.store as SqliteStore).db;
/** The app's SQLite connection as src/db repositories take it, with the app's keys. */
export const sqlOf = (app: App): Sql => (app.store as SqliteStore).sql;

/** The store's key of project `name` in the test server (what rows, locks and repositories are keyed by). */
export const keyOf = (name: string, guildId = GUILD) => projectKey(guildId, name);
/** Where project `name` of the test server keeps its repository, and its runs, under a test app's dir. */
export const repoOf = (dir: string, name: string, guildId = GUILD) => join(dir, 'runs', guildId, name);
export const runDirsOf = (dir: string, name: string, guildId = GUILD) => join(dir, 'runs', '.runs', guildId, name);

/** The operator as the CLI acts: owner of the data files, past every role check. */
export const operator: Actor = { userId: 'operator', userName: 'operator', guildId: GUILD, isGuildAdmin: true, operator: true };

/**
 * For tests about something else than risk tiers: every tier of the project needs one approver, so a plan
 * that destroys a database is approved as before tiers existed (test/integration/governance.test.ts covers tiers).
 */
export const oneApproverPerTier = (app: App, project = 'shop') => app.orchestrator.setReviewSettings(admin, project, { approvals: '1/1/1' });
