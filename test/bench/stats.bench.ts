import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { queryAudit } from '../../src/db/audit.js';
import { openDatabase, sqliteSql, type Db } from '../../src/db/database.js';
import { NO_KEYS } from '../../src/db/cipher.js';
import { migrate } from '../../src/db/migrate.js';
import { getDeploymentStatistics } from '../../src/db/stats.js';
import { renderDeploymentsChart } from '../../src/stats/chart.js';
import type { ProjectKey } from '../../src/domain/projects.js';

export interface BenchResult { name: string; value: number; unit: string; reference?: number; ratio?: number; note?: string }

const AUDIT_ROWS = 1_000_000;
const DEPLOYMENTS = 100_000;
const PROJECTS = 50;
const GUILDS = 5;
const HISTORY_DAYS = 365;
const NOW = new Date('2025-06-30T12:00:00.000Z');
const TYPES = ['compute_vm', 'database', 'vpc_network', 'storage_bucket', 'firewall_rule'];
const STATUSES = ['succeeded', 'succeeded', 'succeeded', 'failed', 'interrupted'];

const guild = (i: number) => `9000000000000000${i % GUILDS}`;
const name = (i: number) => `proj-${String(i % PROJECTS).padStart(2, '0')}`;
/** Project i's key: its server (guild(i) for i < PROJECTS) and name. */
const project = (i: number) => `${guild(i % PROJECTS)}/${name(i)}` as ProjectKey;
/** Spread evenly over the last HISTORY_DAYS, oldest first, so ids and timestamps rise together as in production. */
const at = (i: number, n: number) => new Date(NOW.getTime() - HISTORY_DAYS * 86_400_000 * (1 - i / n)).toISOString();

function seedDeployments(db: Db): void {
  const session = db.prepare(`INSERT INTO sessions (id, project_id, guild_id, user_id, user_name, provider, state, created_at, updated_at, expires_at)
    VALUES (?, ?, ?, ?, ?, 'sandbox', ?, ?, ?, ?)`);
  const plan = db.prepare(`INSERT INTO plans (id, session_id, status, config_hash, created_at) VALUES (?, ?, 'applied', 'h', ?)`);
  const deployment = db.prepare(`INSERT INTO deployments (id, project_id, session_id, plan_id, user_id, status, resources_count, to_add, to_change, to_destroy, resource_types, started_at, finished_at, duration_ms)
    VALUES (?, ?, ?, ?, ?, ?, 3, 3, 0, 0, ?, ?, ?, ?)`);
  for (let i = 0; i < DEPLOYMENTS; i++) {
    const ts = at(i, DEPLOYMENTS);
    const p = project(i);
    const user = `10000000000000${String(i % 40).padStart(4, '0')}`;
    session.run(`s${i}`, p, guild(i % PROJECTS), user, `user${i % 40}`, i % 50 === 0 ? 'DRAFT' : 'APPLIED', ts, ts, ts);
    plan.run(`p${i}`, `s${i}`, ts);
    deployment.run(`d${i}`, p, `s${i}`, `p${i}`, user, STATUSES[i % STATUSES.length], JSON.stringify(TYPES.slice(0, 1 + (i % 5))), ts, ts, 20_000 + (i % 100) * 100);
  }
}

function seed(db: Db): number {
  const started = performance.now();
  db.transaction(() => {
    const proj = db.prepare(`INSERT INTO projects (id, name, cloud_name, guild_id, default_provider, budget_limit_micros, created_by, created_at) VALUES (?, ?, ?, ?, 'sandbox', 0, 'bench', ?)`);
    for (let i = 0; i < PROJECTS; i++) proj.run(project(i), name(i), name(i), guild(i), NOW.toISOString());
    seedDeployments(db);
    const audit = db.prepare(`INSERT INTO audit_logs (timestamp, event_type, user_id, guild_id, project_id, session_id, action, status, details)
      VALUES (?, 'session', ?, ?, ?, ?, 'transition', 'success', '{"from":"PLANNED","to":"APPLYING"}')`);
    for (let i = 0; i < AUDIT_ROWS; i++) audit.run(at(i, AUDIT_ROWS), `user${i % 40}`, guild(i % PROJECTS), project(i), `s${i % DEPLOYMENTS}`);
  })();
  return performance.now() - started;
}

/** Median of `runs` timings in milliseconds, after one warm-up call. */
export async function median(fn: () => unknown, runs = 21): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(runs / 2)]! * 1000) / 1000;
}

export async function benchStats(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ce-bench-'));
  const db = openDatabase(join(dir, 'bench.db'));
  try {
    migrate(db);
    const seedMs = seed(db);
    const q = sqliteSql(db, NO_KEYS);
    const reference = await median(() => db.prepare('SELECT COUNT(*) FROM audit_logs').pluck().get());
    const mid = Math.floor(AUDIT_ROWS / 2);
    const page = await median(() => queryAudit(q, { projectId: project(7), beforeId: mid, limit: 50 }));
    const stats = await median(() => getDeploymentStatistics(q, undefined, 30, NOW));
    const guildStats = await median(() => getDeploymentStatistics(q, guild(3), 30, NOW));
    const month = await getDeploymentStatistics(q, undefined, 30, NOW);
    const year = await getDeploymentStatistics(q, undefined, 366, NOW);
    const chartMonth = await median(() => renderDeploymentsChart(month, 'all guilds'));
    const chartYear = await median(() => renderDeploymentsChart(year, 'all guilds'));
    const bytes = async (s: typeof month) => `${(await renderDeploymentsChart(s, 'all guilds')).length.toLocaleString('en-US')} bytes`;
    const row = (name: string, value: number, note: string): BenchResult => ({ name, value, unit: 'ms', reference, ratio: Math.round((value / reference) * 1000) / 1000, note });
    return [
      { name: 'seed 1M audit rows + 100k deployments', value: Math.round(seedMs), unit: 'ms', note: 'one transaction, prepared statements' },
      { name: 'SELECT COUNT(*) FROM audit_logs', value: reference, unit: 'ms', note: 'reference: a full count of the audit table' },
      row('audit page (50 rows, one project, keyset)', page, 'page from the middle of the history, beforeId cursor'),
      row('30-day statistics (all guilds)', stats, 'getDeploymentStatistics'),
      row('30-day statistics (one guild)', guildStats, 'guild filter through projects.guild_id'),
      { name: 'chart PNG, 30 days (all guilds)', value: chartMonth, unit: 'ms', note: `renderDeploymentsChart (Chart.js on @napi-rs/canvas), ${await bytes(month)}` },
      { name: 'chart PNG, 366 days (all guilds)', value: chartYear, unit: 'ms', note: `renderDeploymentsChart, weekly bars, ${await bytes(year)}` },
    ];
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await benchStats());
}
