/**
 * A drift check across processes (issue 20): a real `cloud-engine drift` killed (SIGKILL, its Terraform
 * with it) while it holds the project's lease. The next process settles the dead check, so no lock stays
 * behind; the next check still finds the drift; an apply afterwards leaves every resource in the saved state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDirs, createProjects, projectView, runCli, spawnCli, specNames } from './helpers/cli.js';
import { readDb, type DbReader } from './helpers/db.js';
import { fleet } from './helpers/lobbies.js';

const dirs = cliDirs();
let db: DbReader;

beforeAll(async () => {
  await createProjects(dirs.env, ['drifty']);
  db = readDb(dirs.env.DATABASE_PATH!);
});
afterAll(() => {
  db?.close();
  dirs.cleanup();
});

// A released lock keeps its row (the fencing token only grows): held means a session or run id is in it.
const lockHeld = () => db.value<number>('SELECT COUNT(*) FROM locks WHERE project_id = ? AND session_id IS NOT NULL', db.key('drifty')) > 0;

describe('a drift check killed mid-run', () => {
  it('GIVEN `drift` SIGKILLed while it holds the lease THEN the next process settles it, finds the drift, and no lock stays; an apply after it saves every resource', async () => {
    const resources = fleet(3);
    const applied = await runCli(['apply', '--project', 'drifty', '--resources', dirs.file('drifty', resources), '--yes', '--accept-risk'], dirs.env);
    expect(applied.code, applied.stderr).toBe(0);
    const vm = String((resources[0] as { name: string }).name);
    const tampered = await runCli(['sandbox', 'tamper', '--project', 'drifty', '--resource', vm, '--set', 'machine_type=large'], dirs.env);
    expect(tampered.code, tampered.stderr).toBe(0);
    let killedHolding = 0;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const check = spawnCli(['drift', '--project', 'drifty'], dirs.env);
      const deadline = Date.now() + 20_000;
      while (!lockHeld() && check.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      if (lockHeld() && check.child.exitCode === null) {
        // The whole process group: the CLI and the Terraform it runs, as a machine crash would.
        process.kill(-check.child.pid!, 'SIGKILL');
        killedHolding++;
      }
      await check.exited;
      const next = await runCli(['drift', '--project', 'drifty'], dirs.env);
      expect(next.code, `try ${attempt}: ${next.stderr}`).toBe(8);
      expect(next.stdout).toContain(vm);
      expect(lockHeld(), `try ${attempt}`).toBe(false);
    }
    expect(killedHolding, 'no try killed the check while it held the lease').toBeGreaterThan(0);
    const again = await runCli(['apply', '--project', 'drifty', '--resources', dirs.file('drifty-2', resources), '--yes', '--accept-risk'], dirs.env);
    expect(again.code, again.stderr).toBe(0);
    expect(await projectView(db).saved('drifty')).toEqual(specNames(resources));
    expect(lockHeld()).toBe(false);
  }, 180_000);
});
