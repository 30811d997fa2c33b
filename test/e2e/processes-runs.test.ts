/**
 * Runs across processes, part 2: a rollback racing an apply, a CLI frozen (SIGSTOP) mid-apply whose
 * lease another process takes over, and the CLI stopped by SIGINT, SIGTERM and SIGKILL in plan and in
 * apply. Real `cloud-engine` processes, real Terraform on sandbox, one SQLite file.
 */
import { simpleGit } from 'simple-git';
import { existsSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { getLock } from '../../src/db/locks.js';
import { latestState } from '../../src/db/states.js';
import { cliDirs, createdInOutput, createProjects, projectView, runCli, spawnCli, specNames, type CliProcess } from './helpers/cli.js';
import { readDb, type DbReader } from './helpers/db.js';
import { fleet } from './helpers/lobbies.js';
import { descendants, isAlive } from './helpers/processes.js';
import { until } from './helpers/until.js';

const dirs = cliDirs({ LEASE_TTL_SECONDS: '3' });
let db: DbReader;

beforeAll(async () => {
  await createProjects(dirs.env, ['rollrace', 'frozen']);
  db = readDb(dirs.env.DATABASE_PATH!);
});
afterAll(() => {
  db?.close();
  dirs.cleanup();
});

const savedNames = (project: string) => projectView(db).saved(project);
const deployedNames = (project: string) => projectView(db).deployed(project);
/** Sessions still in play; a PLAN_FAILED one (its planning process died) holds no lock and only waits to expire. */
const openSessions = (project: string) => db.rows<{ state: string }>("SELECT state FROM sessions WHERE project_id = ? AND state IN ('DRAFT','PLANNING','PLANNED','APPLYING')", db.key(project));
const terraformUnder = (p: CliProcess) => descendants(p.child.pid!).filter((d) => d.comm === 'terraform');
/** Terraform runs in its own process group, so it is found by where it works: this test's runs dir. */
const strayTerraforms = () => terraformsIn(join(dirs.dir, 'runs'));

function terraformsIn(root: string): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'terraform' && readlinkSync(`/proc/${pid}/cwd`).startsWith(root);
    } catch {
      return false;
    }
  });
}

/** Tries of the race: at least half must really overlap; six keep the suite's minutes (ten took 30–50 s). */
const ROLLBACK_TRIES = 6;

describe('a rollback racing an apply', () => {
  it(`GIVEN ${ROLLBACK_TRIES} tries of \`git rollback --yes\` and \`apply\` started together THEN the configuration applied is always the one its own run approved, and "Rollback to" is committed only when the rollback applied`, async () => {
    const v1 = fleet(3, { prefix: 'v1-' });
    const first = await runCli(['apply', '--project', 'rollrace', '--resources', dirs.file('v1', v1), '--yes', '--accept-risk'], dirs.env);
    expect(first.code, first.stderr).toBe(0);
    const repo = simpleGit(join(dirs.dir, 'runs', 'local', 'rollrace'));
    const v1Commit = (await repo.log()).latest!.hash;
    let overlapped = 0;
    for (let attempt = 1; attempt <= ROLLBACK_TRIES; attempt++) {
      const v2 = fleet(3, { prefix: `v2-${attempt}-` });
      const headBefore = (await repo.log()).latest!.hash;
      const rollback = spawnCli(['git', 'rollback', '--project', 'rollrace', v1Commit.slice(0, 12), '--yes', '--accept-risk'], dirs.env);
      const apply = spawnCli(['apply', '--project', 'rollrace', '--resources', dirs.file(`v2-${attempt}`, v2), '--yes', '--accept-risk'], dirs.env);
      const [rc, ac] = await Promise.all([rollback.exited, apply.exited]);
      const context = `try ${attempt}: rollback ${rc}: ${rollback.stderr()} ${rollback.stdout().slice(-300)} | apply ${ac}: ${apply.stderr()}`;
      expect([0, 5]).toContain(rc);
      expect([0, 5]).toContain(ac);
      expect(rc === 0 || ac === 0, context).toBe(true);
      if (rc === 5 || ac === 5) overlapped++;
      const log = await repo.log();
      const newCommits = log.all.slice(0, log.all.findIndex((c) => c.hash === headBefore));
      const rollbacks = newCommits.filter((c) => c.message.startsWith(`Rollback to ${v1Commit.slice(0, 7)}`));
      // A rollback commit exists exactly when the rollback's own apply succeeded; a refused rollback commits nothing.
      expect(rollbacks.length, context).toBe(rc === 0 ? 1 : 0);
      expect(newCommits.length, context).toBe((rc === 0 ? 1 : 0) + (ac === 0 ? 1 : 0));
      // What runs is what the last recorded apply approved, and git's HEAD holds exactly that configuration.
      const deployed = deployedNames('rollrace');
      expect([specNames(v1), specNames(v2)], context).toContainEqual(deployed);
      expect(await savedNames('rollrace'), context).toEqual(deployed);
      const headSpec = JSON.parse(await repo.show(['HEAD:cloud-engine.json'])) as { resources: Array<{ name: string }> };
      expect(headSpec.resources.map((r) => r.name).sort(), context).toEqual(deployed);
      expect((await getLock(db.sql, db.key('rollrace'))), context).toBeUndefined();
      expect(openSessions('rollrace'), context).toEqual([]);
      expect(await repo.status(), context).toMatchObject({ files: [] });
    }
    expect(overlapped, `only ${overlapped} of ${ROLLBACK_TRIES} tries overlapped`).toBeGreaterThanOrEqual(ROLLBACK_TRIES / 2);
  }, 600_000);
});

describe('a CLI frozen mid-apply', () => {
  it('GIVEN a CLI stopped (SIGSTOP) mid-apply whose lease another process takes over after expiry THEN after SIGCONT every write it tries is refused and audited, and the taker-over\'s work stands', async () => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      const frozenSpecs = fleet(12, { slow: 2, bootSeconds: 30, prefix: `f${attempt}-` });
      const frozen = spawnCli(['apply', '--project', 'frozen', '--resources', dirs.file(`frozen-${attempt}`, frozenSpecs), '--yes', '--accept-risk'], dirs.env);
      await until(() => createdInOutput(frozen.stdout()).length >= 10 || frozen.child.exitCode !== null, 60_000, () => `quick resources; saw:\n${frozen.stdout()}\n${frozen.stderr()}`);
      const tf = terraformUnder(frozen).map((p) => p.pid);
      // Frozen as Ctrl-Z freezes a terminal job: the CLI and its Terraform.
      process.kill(-frozen.child.pid!, 'SIGSTOP');
      for (const pid of tf) process.kill(pid, 'SIGSTOP');
      await new Promise((r) => setTimeout(r, 4500)); // past the 3 s lease
      const nextSpecs = fleet(4, { prefix: `n${attempt}-` });
      const next = await runCli(['apply', '--project', 'frozen', '--resources', dirs.file(`next-${attempt}`, nextSpecs), '--yes', '--accept-risk'], dirs.env);
      const context = `try ${attempt}: ${next.stderr}\n${next.stdout.slice(-500)}`;
      expect(next.code, context).toBe(0);
      const afterTakeover = (await latestState(db.sql, db.key('frozen')))!;
      expect(await savedNames('frozen'), context).toEqual(specNames(nextSpecs));
      process.kill(-frozen.child.pid!, 'SIGCONT');
      for (const pid of tf) if (isAlive(pid)) process.kill(pid, 'SIGCONT');
      const code = await frozen.exited;
      expect(code, frozen.stderr()).toBe(1);
      expect(frozen.stderr()).toMatch(/nothing was recorded: This run lost its lease on project frozen/);
      // Its state did not overwrite the taker-over's, and the configuration that runs is the one approved after.
      expect((await latestState(db.sql, db.key('frozen')))!.serial).toBe(afterTakeover.serial);
      expect(deployedNames('frozen')).toEqual(specNames(nextSpecs));
      expect((await getLock(db.sql, db.key('frozen')))).toBeUndefined();
      expect(strayTerraforms()).toEqual([]);
    }
    const audit = (await queryAudit(db.sql, { projectId: db.key('frozen'), limit: 1000 })).map((e) => e.eventType);
    expect(audit.filter((e) => e === 'lease_taken_over')).toHaveLength(2);
    expect(audit.filter((e) => e === 'run_fenced_out')).toHaveLength(2);
  }, 300_000);
});

describe('the CLI stopped by a signal', () => {
  const EXIT: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };
  const cases: Array<{ signal: NodeJS.Signals; phase: 'plan' | 'apply'; runsDir: 'direct' | 'through a symlink' }> = [
    { signal: 'SIGINT', phase: 'plan', runsDir: 'direct' }, { signal: 'SIGTERM', phase: 'plan', runsDir: 'direct' }, { signal: 'SIGKILL', phase: 'plan', runsDir: 'direct' },
    { signal: 'SIGINT', phase: 'apply', runsDir: 'direct' }, { signal: 'SIGTERM', phase: 'apply', runsDir: 'direct' }, { signal: 'SIGHUP', phase: 'apply', runsDir: 'direct' },
    { signal: 'SIGKILL', phase: 'apply', runsDir: 'direct' }, { signal: 'SIGKILL', phase: 'apply', runsDir: 'through a symlink' },
  ];
  it.each(cases)('GIVEN $signal during $phase (runs directory $runsDir) THEN no session stays open, no lock is held by a dead owner, Terraform is not left running, and every created resource is in the saved state', async ({ signal, phase, runsDir }) => {
    const project = `sig-${signal.slice(3).toLowerCase()}-${phase}${runsDir === 'direct' ? '' : '-link'}`;
    const env = { ...dirs.env };
    if (runsDir !== 'direct') {
      // The path every process is configured with goes through a symlink; Terraform's working directory is the real one.
      const link = join(dirs.dir, 'runs-link');
      if (!existsSync(link)) symlinkSync(join(dirs.dir, 'runs'), link);
      env.TERRAFORM_RUNS_DIR = link;
    }
    const created0 = await runCli(['project', 'create', project, '--provider', 'sandbox', '--budget', '100000'], env);
    expect(created0.code, created0.stderr).toBe(0);
    const specs = fleet(12, { slow: 2, bootSeconds: phase === 'apply' ? 60 : 0 });
    const file = dirs.file(project, specs);
    const run = spawnCli(['apply', '--project', project, '--resources', file, '--yes', '--accept-risk'], env);
    if (phase === 'plan') await until(() => strayTerraforms().length > 0 || run.child.exitCode !== null, 60_000, 'terraform to start planning in its run directory');
    else await until(() => createdInOutput(run.stdout()).length >= 10 || run.child.exitCode !== null, 60_000, () => `quick resources; saw:\n${run.stdout()}\n${run.stderr()}`);
    expect(run.child.exitCode).toBeNull();
    run.child.kill(signal);
    const code = await run.exited;
    if (signal !== 'SIGKILL') expect(code, run.stderr()).toBe(EXIT[signal]);
    // After a SIGKILL the next process settles what the dead one left: here, any command.
    const next = await runCli(['state', '--project', project], env);
    expect(next.code, next.stderr).toBe(0);
    await until(() => strayTerraforms().length === 0, 30_000, 'no Terraform left running');
    expect((await getLock(db.sql, db.key(project)))).toBeUndefined();
    expect(openSessions(project)).toEqual([]);
    const created = createdInOutput(run.stdout());
    expect(await savedNames(project)).toEqual(expect.arrayContaining(created));
    // Nothing that exists is proposed for destruction by the next plan of the same file.
    const plan = await runCli(['plan', '--project', project, '--resources', file, '--json'], env);
    expect(plan.code, plan.stderr).toBe(0);
    const changes = (JSON.parse(plan.stdout) as { changes: Array<{ actions: string[] }> }).changes;
    expect(changes.filter((c) => c.actions.join() === 'delete')).toEqual([]);
    const events = (await queryAudit(db.sql, { projectId: db.key(project), limit: 20 })).map((e) => e.eventType);
    expect(events).toEqual(expect.arrayContaining([phase === 'plan' ? 'plan_failed' : 'deployment_interrupted']));
  }, 120_000);
});
