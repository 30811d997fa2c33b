/**
 * Backup and restore across processes: `cloud-engine backup` while another CLI process applies, then
 * `cloud-engine restore` into a fresh data directory. The project that was in sync plans "no changes"
 * with its full state and audit history; the one that was mid-apply comes back with that run ended
 * (its outcome is not in the backup) and its lock free, never waiting on or signalling the source's pids.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDirs, createdInOutput, createProjects, runCli, spawnCli } from './helpers/cli.js';
import { readDb } from './helpers/db.js';
import { fleet } from './helpers/lobbies.js';
import { until } from './helpers/until.js';

const source = cliDirs();
const target = cliDirs();
const backupFile = join(source.dir, 'store.backup');
const calm = fleet(6);

beforeAll(async () => {
  await createProjects(source.env, ['calm', 'busy']);
  const applied = await runCli(['apply', '--project', 'calm', '--resources', source.file('calm', calm), '--yes', '--accept-risk'], source.env);
  expect(applied.code, applied.stderr).toBe(0);
}, 120_000);
afterAll(() => {
  source.cleanup();
  target.cleanup();
});

describe('backup while an apply runs, restore into a fresh directory', () => {
  it('GIVEN a backup taken mid-apply THEN the restored store has the in-sync project whole (state, history, audit, plan: no changes) and the busy one with its run ended and its lock free', async () => {
    const busy = spawnCli(['apply', '--project', 'busy', '--resources', source.file('busy', fleet(8, { slow: 4, bootSeconds: 3 })), '--yes', '--accept-risk'], source.env);
    await until(() => createdInOutput(busy.stdout()).length >= 4, 60_000, () => busy.stdout());
    const backup = await runCli(['backup', '--out', backupFile], source.env);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/^Backed up 2 project\(s\) and 2 repositories to \S+store\.backup$/m);
    expect(await busy.exited, busy.stderr()).toBe(0);

    const restored = await runCli(['restore', backupFile], target.env);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^ {2}local\/busy: session \w{8} was applying when the backup was taken; its outcome is not in the backup/m);

    const [from, to] = [readDb(source.env.DATABASE_PATH!), readDb(target.env.DATABASE_PATH!)];
    try {
      const states = (db: typeof from) => db.rows('SELECT serial, lineage, checksum FROM terraform_states WHERE project_id = ? ORDER BY serial', db.key('calm'));
      expect(states(to)).toEqual(states(from));
      // The restored log is the source's log up to the moment of the copy, row for row, then the restore.
      const audit = (db: typeof from) => db.rows<{ id: number; event_type: string; project_id: string | null }>('SELECT id, event_type, project_id FROM audit_logs ORDER BY id');
      const restoredLog = audit(to);
      expect(restoredLog.at(-1)!.event_type).toBe('store_restored');
      expect(restoredLog.slice(0, -1)).toEqual(audit(from).slice(0, restoredLog.length - 1));
      expect(restoredLog.some((a) => a.event_type === 'deployment_completed' && a.project_id === to.key('calm'))).toBe(true);
      expect(to.value('SELECT state FROM sessions WHERE project_id = ? ORDER BY created_at DESC LIMIT 1', to.key('busy'))).toBe('INTERRUPTED');
      expect(to.rows("SELECT session_id FROM locks WHERE session_id IS NOT NULL")).toEqual([]);
    } finally {
      from.close();
      to.close();
    }

    const plan = await runCli(['plan', '--project', 'calm', '--resources', source.file('calm-again', calm)], target.env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/No changes/);
    const log = await runCli(['git', 'log', '--project', 'calm'], target.env);
    expect(log.stdout).toMatch(/Deploy 6 resources via session/);
    // The busy project is usable at once: its lock is free and its plan starts from what the backup held.
    const next = await runCli(['plan', '--project', 'busy', '--resources', source.file('busy-again', fleet(8, { slow: 4 }))], target.env);
    expect(next.code, next.stderr).toBe(0);
  }, 180_000);

  it('GIVEN a data directory that is not empty, an existing backup file, or a file that is not a backup THEN each is refused and nothing is written', async () => {
    const again = await runCli(['restore', backupFile], target.env);
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/already exists; restore into an empty data directory/);
    const overwrite = await runCli(['backup', '--out', backupFile], source.env);
    expect(overwrite.code).toBe(5);
    expect(overwrite.stderr).toMatch(/already exists; give the backup a new file name/);
    const fresh = cliDirs();
    try {
      // Crafted backups: a repository id that walks out of the runs directory, one for no project, a store without its migrations.
      const victim = join(fresh.dir, 'victim');
      mkdirSync(victim);
      writeFileSync(join(victim, 'precious.txt'), 'keep me');
      const crafted = (name: string, edit: (db: Database.Database) => void) => {
        const path = join(fresh.dir, name);
        copyFileSync(backupFile, path);
        const db = new Database(path);
        edit(db);
        db.close();
        return path;
      };
      const cases: Array<[string, RegExp]> = [
        [crafted('traversal.backup', (db) => db.prepare('INSERT INTO backup_repositories VALUES (?, ?)').run('../../victim', Buffer.from('x'))), /cannot be restored: it holds a repository for '\.\.\/\.\.\/victim', which is not one of its projects/],
        [crafted('ghost.backup', (db) => db.prepare('INSERT INTO backup_repositories VALUES (?, ?)').run('ghost', Buffer.from('x'))), /which is not one of its projects/],
        [crafted('nomigrations.backup', (db) => db.exec('DROP TABLE schema_migrations')), /its store has no schema_migrations table/],
        [crafted('newer.backup', (db) => db.prepare('INSERT INTO schema_migrations VALUES (?, ?)').run('999_from_the_future.sql', 'x')), /written by a newer Cloud Engine \(migrations 999_from_the_future\.sql\)/],
      ];
      for (const [file, says] of cases) {
        const r = await runCli(['restore', file], fresh.env);
        expect(r.code, r.stderr).toBe(1);
        expect(r.stderr).toMatch(says);
        expect(existsSync(fresh.env.DATABASE_PATH!)).toBe(false);
      }
      expect(readFileSync(join(victim, 'precious.txt'), 'utf8')).toBe('keep me');
      const bogus = join(fresh.dir, 'bogus.backup');
      writeFileSync(bogus, 'not a backup');
      const refused = await runCli(['restore', bogus], fresh.env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/is not a Cloud Engine backup/);
      expect(existsSync(fresh.env.DATABASE_PATH!)).toBe(false);
      expect(existsSync(fresh.env.TERRAFORM_RUNS_DIR!) ? readdirSync(fresh.env.TERRAFORM_RUNS_DIR!) : []).toEqual([]);
    } finally {
      fresh.cleanup();
    }
  }, 60_000);
});
