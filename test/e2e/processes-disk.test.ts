/**
 * A full disk under the store while an apply finishes: the database lives on a small tmpfs of its own,
 * filled while Terraform runs, so every write of the apply's recording fails for real (SQLITE_FULL).
 * The CLI must say what was applied and what was not recorded; once space is back, the next process
 * records it, and no plan proposes destroying what was created. Needs root to mount the tmpfs (CI is).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { getLock } from '../../src/db/locks.js';
import { getSession } from '../../src/db/sessions.js';
import { latestState } from '../../src/db/states.js';
import { cliDirs, createdInOutput, runCli, spawnCli } from './helpers/cli.js';
import { readDb } from './helpers/db.js';
import { fleet } from './helpers/lobbies.js';
import { createdIn, until, type TfState } from './helpers/until.js';

const dirs = cliDirs();
const mnt = join(dirs.dir, 'small-disk');
const env = { ...dirs.env, DATABASE_PATH: join(mnt, 'cloud-engine.db') };
const filler = join(mnt, 'filler');

beforeAll(async () => {
  mkdirSync(mnt, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt]);
  const r = await runCli(['project', 'create', 'full', '--provider', 'sandbox', '--budget', '100000'], env);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => {
  try { execFileSync('umount', [mnt]); } catch { /* already gone */ }
  dirs.cleanup();
});

/** Fills what is left of the tmpfs (dd stops at ENOSPC and says so; that is the point). */
function fillDisk(): void {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
  } catch {
    // "No space left on device" is the expected end.
  }
}


describe('disk full while an apply is recorded', () => {
  it('GIVEN the store’s disk fills during a 150-resource apply THEN the CLI says Terraform applied but recording failed, keeps the lock, and the next process records it once space is back — nothing is lost or planned for destruction', async () => {
    const specs = fleet(150, { slow: 1, bootSeconds: 4 });
    const file = dirs.file('full', specs);
    // A reader holding a snapshot (as the bot or an operator's query may) keeps SQLite from reusing its
    // log from the start, so the recording needs new space on the disk, as it would on a busy system.
    const reader = readDb(env.DATABASE_PATH);
    reader.db.exec('BEGIN');
    reader.value('SELECT COUNT(*) FROM sessions');
    const apply = spawnCli(['apply', '--project', 'full', '--resources', file, '--yes', '--accept-risk'], env);
    await until(() => createdInOutput(apply.stdout()).length >= 149 || apply.child.exitCode !== null, 90_000, () => `quick resources; saw ${apply.stderr()}`);
    fillDisk();
    const code = await apply.exited;
    reader.db.exec('COMMIT');
    reader.close();
    expect(code, apply.stderr()).toBe(1);
    expect(apply.stdout()).toMatch(/Apply complete! Resources: 150 added/);
    expect(apply.stderr()).toMatch(/Terraform succeeded but nothing was recorded: Terraform applied the plan, but recording it failed: The disk is full\. What Terraform wrote is kept in \/\S+; project full stays locked until a Cloud Engine process records it/);
    // What the user reads (log records aside) never claims nothing changed.
    expect(apply.stderr().split('\n').filter((l) => !l.startsWith('{')).join('\n')).not.toMatch(/nothing was changed/);

    const db = readDb(env.DATABASE_PATH);
    try {
      const sessionId = db.value<string>('SELECT id FROM sessions WHERE project_id = ? ORDER BY created_at DESC LIMIT 1', db.key('full'));
      expect((await getSession(db.sql, sessionId))?.state).toBe('APPLYING');
      expect((await getLock(db.sql, db.key('full')))?.sessionId).toBe(sessionId);

      // While the disk is still full, the next process cannot record it either, and says so without losing anything.
      const stillFull = await runCli(['state', '--project', 'full'], env);
      expect(stillFull.code).not.toBe(70);
      expect((await getSession(db.sql, sessionId))?.state).toBe('APPLYING');

      rmSync(filler);
      const next = await runCli(['state', '--project', 'full'], env);
      expect(next.code, next.stderr).toBe(0);
      expect((await getSession(db.sql, sessionId))?.state).toBe('APPLIED');
      expect((await getLock(db.sql, db.key('full')))).toBeUndefined();
      const saved = createdIn(JSON.parse((await latestState(db.sql, db.key('full')))!.stateJson) as TfState).sort();
      expect(saved).toEqual(specs.map((s) => String(s.name)).sort());
      expect((await queryAudit(db.sql, { projectId: db.key('full'), eventType: 'deployment_completed' }))).toHaveLength(1);
      expect((await queryAudit(db.sql, { projectId: db.key('full'), eventType: 'lease_taken_over' }))).toHaveLength(1);
    } finally {
      db.close();
    }
    const plan = await runCli(['plan', '--project', 'full', '--resources', file, '--json'], env);
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ add: 0, change: 0, destroy: 0 });
  }, 240_000);
});
