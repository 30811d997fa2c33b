/**
 * The PostgreSQL store across real processes: `cloud-engine db copy` moves a SQLite store with sealed
 * state history, deployments and audit into PostgreSQL without loss; then CLI processes work on the
 * copy — a plan there sees no changes, applies race on one project with exactly one winner at a time
 * and no lock left behind, and audit ids continue after the copied ones. Real Terraform on `sandbox`,
 * a real PostgreSQL server (test/postgres.globalSetup.ts).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgStore } from '../../src/db/postgres.js';
import { projectKey } from '../../src/domain/projects.js';
import { sha256 } from '../../src/terraform/tfstate.js';
import { freshDatabase, withPgStore, onDatabase, PG_ADMIN_URL, PG_UNAVAILABLE } from '../helpers/postgres.js';
import { cliDirs, createProjects, runCli, spawnCli, specNames } from './helpers/cli.js';
import { fleet } from './helpers/lobbies.js';
import { createdIn, type TfState } from './helpers/until.js';

const KEY_HEX = '11'.repeat(32);
const dirs = cliDirs({ STATE_ENCRYPTION_KEY: KEY_HEX });
const calm = fleet(5);
let url = '';
const pgEnv = () => ({ ...dirs.env, DATABASE_URL: url });
const key = (name: string) => projectKey('local', name);

if (!PG_ADMIN_URL) console.warn(`The PostgreSQL process suite is skipped: ${PG_UNAVAILABLE}`);

/** The PostgreSQL store as another process reads it, through the store port. */
const withPg = <T>(fn: (store: PgStore) => Promise<T>) => withPgStore(url, fn, Buffer.from(KEY_HEX, 'hex'));

describe.skipIf(!PG_ADMIN_URL)('a SQLite store moved to PostgreSQL, then used by several processes', () => {
  beforeAll(async () => {
    url = await freshDatabase();
    await createProjects(dirs.env, ['calm', 'race']);
    for (const resources of [calm.slice(0, 3), calm]) {
      const applied = await runCli(['apply', '--project', 'calm', '--resources', dirs.file('calm', resources), '--yes', '--accept-risk'], dirs.env);
      expect(applied.code, applied.stderr).toBe(0);
    }
  }, 180_000);
  afterAll(() => dirs.cleanup());

  it('GIVEN db copy into an empty database THEN every table arrives row for row, sealed state stays sealed, and a plan there sees no changes', async () => {
    const copied = await runCli(['db', 'copy', '--to', url], dirs.env);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout).toMatch(/^Copied \d+ row\(s\) from \S+cloud-engine\.db to postgres:\/\/postgres@127\.0\.0\.1:\d+\/ce_\w+, each table verified against its source:$/m);
    expect(copied.stdout).toMatch(/^ {2}terraform_states +2$/m);

    const sqlite = new Database(dirs.env.DATABASE_PATH!, { readonly: true });
    try {
      const rows = (text: string) => sqlite.prepare(text).all();
      await withPg(async (store) => {
        const history = await store.states.list(key('calm'), 100);
        expect(history.map((v) => [v.serial, v.lineage, v.checksum])).toEqual(rows("SELECT serial, lineage, checksum FROM terraform_states WHERE project_id = 'local/calm' ORDER BY serial DESC").map((r) => Object.values(r as object)));
        const latest = (await store.states.latest(key('calm')))!;
        expect(sha256(latest.stateJson)).toBe(latest.checksum);
        expect(latest.keyId).toMatch(/^[0-9a-f]{16}$/);
        expect(createdIn(JSON.parse(latest.stateJson) as TfState).sort()).toEqual(specNames(calm));
        // The audit log is the source's, row for row, then the copy itself.
        const audit = await store.audit.query({ limit: 1000 });
        const source = rows('SELECT id, event_type, project_id, details FROM audit_logs ORDER BY id DESC') as Array<{ id: number; event_type: string; project_id: string | null; details: string }>;
        expect(audit[0]).toMatchObject({ eventType: 'store_copied', details: { source: dirs.env.DATABASE_PATH, rows: expect.objectContaining({ terraform_states: 2, audit_logs: source.length }) } });
        expect(audit.slice(1).map((a) => [a.id, a.eventType, a.projectId, a.details])).toEqual(source.map((r) => [r.id, r.event_type, r.project_id, JSON.parse(r.details)]));
        expect(audit[0]!.id).toBe(source[0]!.id + 1);
        // The sandbox cloud's world (issue 20) arrives as its source holds it: drift on the copy sees what the source saw.
        const world = rows("SELECT resources, updated_at FROM sandbox_worlds WHERE project_id = 'local/calm'") as Array<{ resources: string; updated_at: string }>;
        expect(Object.keys(JSON.parse(world[0]!.resources) as object).sort()).toEqual(specNames(calm));
        expect(await store.sandboxWorlds.get(key('calm'))).toEqual({ resources: JSON.parse(world[0]!.resources) as unknown, updatedAt: world[0]!.updated_at });
        const deployments = await store.deployments.list(key('calm'));
        expect(deployments.map((d) => [d.status, d.commitHash])).toEqual(rows("SELECT status, commit_hash FROM deployments WHERE project_id = 'local/calm' ORDER BY started_at DESC").map((r) => Object.values(r as object)));
      });
    } finally {
      sqlite.close();
    }
    // Nothing readable at rest in PostgreSQL either.
    const raw = await onDatabase<{ body: Buffer }>(url, 'SELECT state_json AS body FROM terraform_states');
    expect(raw.every((r) => !r.body.toString('latin1').includes('"resources"'))).toBe(true);

    const plan = await runCli(['plan', '--project', 'calm', '--resources', dirs.file('calm', calm)], pgEnv());
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/No changes/);
  }, 120_000);

  it('GIVEN a copy into a database that already holds a store, a URL that is not PostgreSQL, or a server that is not there THEN each is refused in words, and nothing changes', async () => {
    const before = await onDatabase<{ n: number }>(url, 'SELECT COUNT(*)::int AS n FROM audit_logs');
    const again = await runCli(['db', 'copy', '--to', url], dirs.env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/the target store is not empty \(projects: 2 row\(s\).*copy only into a new, empty database/);
    expect(await onDatabase(url, 'SELECT COUNT(*)::int AS n FROM audit_logs')).toEqual(before);

    const wrong = await runCli(['db', 'copy', '--to', 'mysql://root:hunter2@db/x'], dirs.env);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/--to must be a PostgreSQL URL/);
    const absent = await runCli(['db', 'copy', '--to', 'postgres://ops:hunter2@127.0.0.1:1/nowhere'], dirs.env);
    expect(absent.stderr).toMatch(/Cannot reach PostgreSQL at postgres:\/\/ops@127\.0\.0\.1:1\/nowhere \(ECONNREFUSED\); start it, or correct DATABASE_URL/);
    expect(absent.code).not.toBe(0);
    for (const r of [wrong, absent]) {
      expect(r.stderr).not.toContain('hunter2');
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const badVar = await runCli(['project', 'list'], { ...dirs.env, DATABASE_URL: 'postgres:/oops' });
    expect(badVar.stderr).toMatch(/DATABASE_URL must be a PostgreSQL URL/);
  }, 60_000);

  it('GIVEN six tries of two CLI processes applying one project at once on PostgreSQL THEN each try has a winner, a loser is told the project is locked, the saved state is what was deployed, and no lock is left', async () => {
    const files = { a: dirs.file('race-a', fleet(3, { prefix: 'a-' })), b: dirs.file('race-b', fleet(3, { prefix: 'b-' })) };
    let overlapped = 0;
    for (let attempt = 1; attempt <= 6; attempt++) {
      const runs = (['a', 'b'] as const).map((k) => spawnCli(['apply', '--project', 'race', '--resources', files[k], '--yes', '--accept-risk'], pgEnv()));
      const codes = await Promise.all(runs.map((r) => r.exited));
      const context = `try ${attempt}: ${runs.map((r, i) => `exited ${codes[i]}: ${r.stderr().slice(0, 300)}`).join(' | ')}`;
      expect(codes.every((c) => c === 0 || c === 5), context).toBe(true);
      expect(codes.some((c) => c === 0), context).toBe(true);
      const loser = codes.findIndex((c) => c === 5);
      if (loser >= 0) {
        overlapped++;
        expect(runs[loser]!.stderr(), context).toMatch(/Project race is locked by session [0-9a-f]{8}/);
      }
      await withPg(async (store) => {
        const deployed = (await store.sessions.listDeployed(key('race'))).map((d) => d.spec.name).sort();
        const saved = createdIn(JSON.parse((await store.states.latest(key('race')))!.stateJson) as TfState).sort();
        expect(saved, context).toEqual(deployed);
        expect(await store.locks.get(key('race')), context).toBeUndefined();
        expect((await store.sessions.listInStates(['PLANNING', 'PLANNED', 'APPLYING'], key('race'))), context).toEqual([]);
      });
    }
    expect(overlapped, `only ${overlapped} of 6 tries overlapped`).toBeGreaterThanOrEqual(2);
    await withPg(async (store) => {
      const count = async (eventType: 'deployment_completed' | 'deployment_approved') => (await store.audit.query({ projectId: key('race'), eventType, limit: 1000 })).length;
      expect(await count('deployment_completed')).toBe(await count('deployment_approved'));
    });
  }, 300_000);

  it('GIVEN a backup of the PostgreSQL store THEN it restores into a fresh SQLite directory with the same history, and a plan there sees no changes', async () => {
    const file = `${dirs.dir}/pg.backup`;
    const backup = await runCli(['backup', '--out', file], pgEnv());
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up 2 project\(s\) and 2 repositories to \S+pg\.backup$/m);
    const target = cliDirs({ STATE_ENCRYPTION_KEY: KEY_HEX });
    try {
      const refused = await runCli(['restore', file], pgEnv());
      expect(refused.stderr).toMatch(/restore writes a new SQLite store; unset DATABASE_URL/);
      const restored = await runCli(['restore', file], target.env);
      expect(restored.code, restored.stderr).toBe(0);
      const sqlite = new Database(target.env.DATABASE_PATH!, { readonly: true });
      try {
        await withPg(async (store) => {
          expect(sqlite.prepare("SELECT serial, checksum FROM terraform_states WHERE project_id = 'local/race' ORDER BY serial DESC").all())
            .toEqual((await store.states.list(key('race'), 1000)).map((v) => ({ serial: v.serial, checksum: v.checksum })));
          const ids = (await store.audit.query({ limit: 1000 })).map((a) => a.id).reverse();
          expect((sqlite.prepare('SELECT id FROM audit_logs ORDER BY id').pluck().all() as number[]).slice(0, ids.length)).toEqual(ids);
        });
      } finally {
        sqlite.close();
      }
      const plan = await runCli(['plan', '--project', 'calm', '--resources', dirs.file('calm', calm)], target.env);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plan.stdout).toMatch(/No changes/);
    } finally {
      target.cleanup();
    }
  }, 120_000);
});
