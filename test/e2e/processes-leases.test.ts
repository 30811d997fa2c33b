/**
 * Safety across processes: real `cloud-engine` processes (and the real bot) sharing one SQLite file and
 * one runs directory, with real Terraform on the sandbox provider. Races are repeated; each race test
 * fails if fewer than half of its tries really overlapped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { getLock } from '../../src/db/locks.js';
import { Permission, startEmulator, type Emulator } from '../emulator/index.js';
import { startReadyBot } from './helpers/botProcess.js';
import { cliDirs, createdInOutput, createProjects, projectView, runCli, spawnCli, specNames } from './helpers/cli.js';
import { readDb, type DbReader } from './helpers/db.js';
import { contentOf, Driver, isEphemeral } from './helpers/driver.js';
import { fleet } from './helpers/lobbies.js';
import { until } from './helpers/until.js';

const dirs = cliDirs();
let db: DbReader;

beforeAll(async () => {
  await createProjects(dirs.env, ['race', 'botstart', 'unlock']);
  db = readDb(dirs.env.DATABASE_PATH!);
});
afterAll(() => {
  db?.close();
  dirs.cleanup();
});

const savedNames = (project: string) => projectView(db).saved(project);
const deployedNames = (project: string) => projectView(db).deployed(project);
const liveSessions = (project: string) => db.value<number>("SELECT COUNT(*) FROM sessions WHERE project_id = ? AND state IN ('PLANNING','PLANNED','PLAN_FAILED','APPLYING')", db.key(project));

/** Tries of the race: enough that at least half really overlap, few enough to keep the suite's minutes (20 took 60–80 s). */
const RACE_TRIES = 12;

describe('two CLIs applying one project at once', () => {
  it(`GIVEN ${RACE_TRIES} tries of two simultaneous applies THEN each try has one winner or two in turn, the loser is told the project is locked, and the saved state is exactly what the last winner applied`, async () => {
    const files = { a: dirs.file('race-a', fleet(4, { prefix: 'a-' })), b: dirs.file('race-b', fleet(4, { prefix: 'b-' })) };
    const wanted = { a: specNames(fleet(4, { prefix: 'a-' })), b: specNames(fleet(4, { prefix: 'b-' })) };
    let overlapped = 0;
    for (let attempt = 1; attempt <= RACE_TRIES; attempt++) {
      const runs = (['a', 'b'] as const).map((k) => ({ k, p: spawnCli(['apply', '--project', 'race', '--resources', files[k], '--yes', '--accept-risk'], dirs.env) }));
      const codes = await Promise.all(runs.map((r) => r.p.exited));
      const context = `try ${attempt}: ${runs.map((r, i) => `${r.k} exited ${codes[i]}: ${r.p.stderr().slice(0, 400)}`).join(' | ')}`;
      expect(codes.every((c) => c === 0 || c === 5), context).toBe(true);
      expect(codes.some((c) => c === 0), context).toBe(true);
      const loser = runs.findIndex((_, i) => codes[i] === 5);
      if (loser >= 0) {
        overlapped++;
        expect(runs[loser]!.p.stderr(), context).toMatch(/Project race is locked by session [0-9a-f]{8}/);
      }
      const lastWinner = runs.filter((_, i) => codes[i] === 0).map((r) => r.k).at(-1)!;
      // Which winner applied last is whichever recorded last: the deployed configuration says.
      const deployed = deployedNames('race');
      expect([wanted.a, wanted.b], context).toContainEqual(deployed);
      expect(await savedNames('race'), context).toEqual(deployed);
      if (codes.filter((c) => c === 0).length === 1) expect(deployed, context).toEqual(wanted[lastWinner]);
      expect((await getLock(db.sql, db.key('race'))), context).toBeUndefined();
      expect(liveSessions('race'), context).toBe(0);
    }
    expect(overlapped, `only ${overlapped} of ${RACE_TRIES} tries overlapped`).toBeGreaterThanOrEqual(RACE_TRIES / 2);
    const completed = (await queryAudit(db.sql, { projectId: db.key('race'), eventType: 'deployment_completed', limit: 1000 })).length;
    expect(completed).toBe((await queryAudit(db.sql, { projectId: db.key('race'), eventType: 'deployment_approved', limit: 1000 })).length);
    expect((await queryAudit(db.sql, { projectId: db.key('race'), eventType: 'lease_taken_over' }))).toEqual([]);
  }, 600_000);
});

describe('the bot starting while a CLI apply runs', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ guilds: [{ name: 'Ops', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'infra' }], members: [{ username: 'alice', roles: ['Admin'], owner: true }] }] });
  });
  afterAll(async () => emulator?.close());

  it('GIVEN a bot (re)started three times during CLI applies THEN its start-up recovery never touches the live apply, and every resource lands in the saved state', async () => {
    const guild = emulator.state.guildByName('Ops');
    const botEnv = { ...dirs.env, DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl, DISCORD_GUILD_ID: guild.id, LOG_LEVEL: 'info' };
    for (let attempt = 1; attempt <= 3; attempt++) {
      const resources = fleet(20, { slow: 2, bootSeconds: 6, prefix: `t${attempt}-` });
      const apply = spawnCli(['apply', '--project', 'botstart', '--resources', dirs.file(`botstart-${attempt}`, resources), '--yes', '--accept-risk'], dirs.env);
      await until(() => createdInOutput(apply.stdout()).length >= 10 || apply.child.exitCode !== null, 60_000, () => `quick resources to be created; saw:\n${apply.stdout()}\n${apply.stderr()}`);
      const bot = await startReadyBot(emulator, botEnv);
      const code = await apply.exited;
      const stopped = await bot.stop();
      const context = `try ${attempt}: ${apply.stderr()}\n${apply.stdout().slice(-600)}`;
      expect(code, context).toBe(0);
      expect(stopped).toBe(0);
      expect(apply.stdout(), context).toMatch(/✅ Applied: 20 added, 0 changed, \d+ destroyed/);
      expect(await savedNames('botstart'), context).toEqual(specNames(resources));
      expect(createdInOutput(apply.stdout())).toEqual(specNames(resources));
      expect((await getLock(db.sql, db.key('botstart')))).toBeUndefined();
      expect((await queryAudit(db.sql, { projectId: db.key('botstart'), eventType: 'deployment_interrupted' }))).toEqual([]);
    }
    expect((await queryAudit(db.sql, { projectId: db.key('botstart'), eventType: 'lease_taken_over' }))).toEqual([]);
  }, 300_000);

  it('GIVEN a CLI apply running THEN /cloud-unlock in Discord is refused naming the run, and with interrupt stops it (state saved) and releases the lock', async () => {
    const guild = emulator.state.guildByName('Ops');
    const botEnv = { ...dirs.env, DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl, DISCORD_GUILD_ID: guild.id, LOG_LEVEL: 'info' };
    const bot = await startReadyBot(emulator, botEnv);
    try {
      const d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'infra').id);
      expect(await d.command('alice', 'cloud-create-project', { project_id: 'chat-unlock', budget_limit: 100_000, provider: 'sandbox' })).toContain('created');
      const apply = spawnCli(['apply', '--project', 'chat-unlock', '--resources', dirs.file('chat-unlock', fleet(8, { slow: 1, bootSeconds: 60 })), '--yes', '--accept-risk'], dirs.env);
      await until(() => createdInOutput(apply.stdout()).length >= 7 || apply.child.exitCode !== null, 60_000, () => `quick resources; saw:\n${apply.stdout()}\n${apply.stderr()}`);

      const refused = await d.slash('alice', 'cloud-unlock', { project: 'chat-unlock', reason: 'looks stuck' });
      expect(isEphemeral(refused.callback)).toBeTruthy();
      expect(contentOf(refused.callback)).toMatch(/^🔒 Project chat-unlock has a run in progress \(session [0-9a-f]{8}, process \d+ on /);
      expect(apply.child.exitCode).toBeNull();

      const released = await d.command('alice', 'cloud-unlock', { project: 'chat-unlock', reason: 'wrong region', interrupt: true });
      expect(released).toMatch(/^🔓 Lock released \(it was held by session `[0-9a-f]{8}` after interrupting its run; the state it wrote was saved\)/);
      expect(await apply.exited).toBe(1);
      expect((await getLock(db.sql, db.key('chat-unlock')))).toBeUndefined();
      expect(await savedNames('chat-unlock')).toEqual(expect.arrayContaining(createdInOutput(apply.stdout())));
      const events = (await queryAudit(db.sql, { projectId: db.key('chat-unlock'), limit: 100 })).map((e) => e.eventType);
      expect(events).toEqual(expect.arrayContaining(['lock_force_release_refused', 'run_interrupt_requested', 'deployment_interrupted', 'lock_force_released']));
    } finally {
      expect(await bot.stop()).toBe(0);
    }
  }, 120_000);
});

describe('force-unlock during an apply, then a plan', () => {
  it('GIVEN an apply in one CLI THEN a plain unlock from another is refused, unlock --interrupt stops it with its state saved, and the next plan starts from every resource it created', async () => {
    const resources = fleet(20, { slow: 2, bootSeconds: 60 });
    const file = dirs.file('unlock', resources);
    const apply = spawnCli(['apply', '--project', 'unlock', '--resources', file, '--yes', '--accept-risk'], dirs.env);
    await until(() => createdInOutput(apply.stdout()).length >= 18 || apply.child.exitCode !== null, 60_000, () => `quick resources to be created; saw:\n${apply.stdout()}\n${apply.stderr()}`);

    const refused = await runCli(['unlock', '--project', 'unlock', '--reason', 'looks stuck'], dirs.env);
    expect(refused.code, refused.stderr).toBe(5);
    expect(refused.stderr).toMatch(/has a run in progress \(session [0-9a-f]{8}, process \d+ on .*Interrupt it first/s);
    expect(apply.child.exitCode).toBeNull();

    const interrupted = await runCli(['unlock', '--project', 'unlock', '--reason', 'wrong region', '--interrupt'], dirs.env);
    expect(interrupted.code, interrupted.stderr).toBe(0);
    expect(interrupted.stdout).toMatch(/Released the lock of unlock held by session [0-9a-f]{8} after interrupting its run/);
    expect(await apply.exited).toBe(1);
    expect(apply.stderr()).toMatch(/Apply interrupted/);
    const created = createdInOutput(apply.stdout());
    expect(created.length).toBeGreaterThanOrEqual(18);
    // Every resource Terraform finished is saved; the slow ones cut off in their boot are saved too, tainted.
    const saved = await savedNames('unlock');
    expect(saved).toEqual(expect.arrayContaining(created));
    expect(saved.filter((n) => !created.includes(n)).every((n) => n.startsWith('slow-'))).toBe(true);
    expect((await getLock(db.sql, db.key('unlock')))).toBeUndefined();

    const plan = await runCli(['plan', '--project', 'unlock', '--resources', file, '--json'], dirs.env);
    expect(plan.code, plan.stderr).toBe(0);
    const planned = JSON.parse(plan.stdout) as { add: number; change: number; destroy: number };
    // Only what the interrupted apply did not finish is left to do (tainted ones are replaced): nothing it created is planned twice.
    expect(planned).toMatchObject({ add: 20 - created.length, change: 0, destroy: saved.length - created.length });
    expect((await getLock(db.sql, db.key('unlock')))).toBeUndefined();
    const events = (await queryAudit(db.sql, { projectId: db.key('unlock'), limit: 1000 })).map((e) => e.eventType);
    expect(events).toEqual(expect.arrayContaining(['lock_force_release_refused', 'run_interrupt_requested', 'deployment_interrupted', 'lock_force_released']));
  }, 180_000);
});
