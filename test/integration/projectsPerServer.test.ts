/**
 * A project belongs to its server: two servers each create and deploy a project `web`, with real
 * Terraform, SQLite and git, and neither sees, locks or reaches the other's. The CLI, which acts for
 * every server, asks which one when a name is ambiguous. A store from before (projects keyed by a bare
 * name, repositories at runs/<name>) is migrated in place, history and all.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stateCommand } from '../../src/cli/commands/inspect.js';
import { projectCommand } from '../../src/cli/commands/project.js';
import { operatorActor } from '../../src/cli/operator.js';
import type { CliContext } from '../../src/cli/types.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { getLock } from '../../src/db/locks.js';
import { latestState } from '../../src/db/states.js';
import { isCoreError } from '../../src/domain/errors.js';
import type { Actor } from '../../src/policy/permissions.js';
import type { App } from '../../src/app.js';
import { runOptions } from '../../src/core/identity.js';
import { parseSpec } from '../../src/resources/validate.js';
import { generateConfiguration } from '../../src/terraform/generate/index.js';
import { admin, approver, dbOf, dev, GUILD, keyOf, REPO_ROOT, repoOf, SHARED_PLUGIN_CACHE, testApp, vm, type TestApp, sqlOf } from '../helpers/app.js';
import { writeLegacyStore } from '../helpers/legacyStore.js';
import { started } from '../helpers/approval.js';

const OTHER = '222222222222222222';
const otherAdmin: Actor = { userId: '300000000000000001', userName: 'olga-admin', guildId: OTHER, isGuildAdmin: true };
const otherApprover: Actor = { userId: '300000000000000002', userName: 'oscar', guildId: OTHER, isGuildAdmin: false };

let t: TestApp | undefined;
afterEach(() => { t?.cleanup(); t = undefined; });

const codeOf = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (isCoreError(e) ? e.code : String(e)));

/** Creates `web` for a server's admin, lets its approver approve, and deploys `vms`; returns the outcome. */
async function deployWeb(app: App, owner: Actor, reviewer: Actor, vms: string[]) {
  const o = app.orchestrator;
  const s = await o.startSession(owner, 'web');
  for (const name of vms) await o.addResource(owner, s.id, vm(name));
  expect((await o.plan(owner, s.id)).plan.status).toBe('succeeded');
  const { run } = started(await o.approveAndApply(reviewer, s.id));
  return { session: s, result: await run.result };
}

async function twoServers(app: App): Promise<void> {
  for (const [owner, reviewer] of [[admin, approver], [otherAdmin, otherApprover]] as const) {
    await app.orchestrator.createProject(owner, { id: 'web', provider: 'sandbox', budgetUsd: 1000 });
    await app.orchestrator.grantRole(owner, 'web', reviewer.userId, 'approver');
  }
}

describe('two servers, one project name', () => {
  it('GIVEN two servers that each create and deploy `web` THEN each has its own state, repository, lock and history, and sees only its own', async () => {
    t = await testApp({ realClock: true });
    await twoServers(t.app);
    const mine = await deployWeb(t.app, admin, approver, ['web-a1', 'web-a2']);
    const theirs = await deployWeb(t.app, otherAdmin, otherApprover, ['web-b1']);
    expect([mine.result.status, theirs.result.status]).toEqual(['succeeded', 'succeeded']);

    const q = sqlOf(t.app);
    const names = async (key: ReturnType<typeof keyOf>) => (JSON.parse((await latestState(q, key))!.stateJson) as { resources: Array<{ name: string }> }).resources.map((r) => r.name).sort();
    expect(await names(keyOf('web'))).toEqual(['web-a1', 'web-a2']);
    expect(await names(keyOf('web', OTHER))).toEqual(['web-b1']);
    expect((await latestState(q, keyOf('web')))!.lineage).not.toBe((await latestState(q, keyOf('web', OTHER)))!.lineage);
    // Each repository sits under its own server, with its own one deployment commit.
    for (const guild of [GUILD, OTHER]) {
      const log = execFileSync('git', ['-C', repoOf(t.dir, 'web', guild), 'log', '--format=%s'], { encoding: 'utf8' }).trim().split('\n');
      expect(log, guild).toHaveLength(2);
      expect(log[0]).toMatch(/^Deploy \d resources via session/);
    }
    expect(JSON.parse(readFileSync(join(repoOf(t.dir, 'web', OTHER), 'cloud-engine.json'), 'utf8')).resources.map((r: { name: string }) => r.name)).toEqual(['web-b1']);

    // What each server sees: its own project, its own history, nothing of the other's.
    const o = t.app.orchestrator;
    expect((await o.listProjects(admin)).map((p) => [p.guildId, p.name])).toEqual([[GUILD, 'web']]);
    expect((await o.listProjects(otherAdmin)).map((p) => [p.guildId, p.name])).toEqual([[OTHER, 'web']]);
    expect((await o.stateVersions(otherAdmin, 'web')).versions.map((v) => v.sessionId)).toEqual([theirs.session.id]);
    expect((await o.audit(otherAdmin, { project: 'web', limit: 100 })).every((r) => r.projectId === keyOf('web', OTHER))).toBe(true);
    expect(await codeOf(o.sessionView(otherAdmin, mine.session.id))).toBe('not_found');
  });

  it('GIVEN a name another server took first THEN the newer project carries its own name in the cloud, so one account never holds two `web`s', async () => {
    t = await testApp({ realClock: true });
    await twoServers(t.app);
    const [first, second] = [await t.app.orchestrator.project(admin, 'web'), await t.app.orchestrator.project(otherAdmin, 'web')];
    expect(first.cloudName).toBe('web');
    expect(second.cloudName).toMatch(/^web-[0-9a-f]{6}$/);
    const tf = (p: typeof first) => Object.values(generateConfiguration('aws', [parseSpec('aws', { type: 'vpc_network', name: 'net' })], { project: p.cloudName }).files).join('\n');
    expect(tf(second)).toMatch(new RegExp(`CloudEngineProject\\s*=\\s*"${second.cloudName}"`));
    expect(tf(first)).toMatch(/CloudEngineProject\s*=\s*"web"/);
    const session = await t.app.orchestrator.startSession(otherAdmin, 'web');
    expect((await runOptions(t.app.orchestrator.deps, session, undefined)).project).toBe(second.cloudName);
  });

  it("GIVEN a third server that took the name the second's `web` would fall back to THEN the second draws another", async () => {
    t = await testApp({ realClock: true });
    await t.app.orchestrator.createProject(admin, { id: 'web', provider: 'sandbox', budgetUsd: 1 });
    const firstDraw = `web-${createHash('sha256').update(`${OTHER}/web#1`).digest('hex').slice(0, 6)}`;
    const squatter: Actor = { ...otherAdmin, userId: '400000000000000001', guildId: '333333333333333333' };
    expect((await t.app.orchestrator.createProject(squatter, { id: firstDraw, provider: 'sandbox', budgetUsd: 1 })).cloudName).toBe(firstDraw);
    const second = await t.app.orchestrator.createProject(otherAdmin, { id: 'web', provider: 'sandbox', budgetUsd: 1 });
    expect(second.cloudName).toMatch(/^web-[0-9a-f]{6}$/);
    expect(new Set((await t.app.orchestrator.listProjects(operatorActor())).map((p) => p.cloudName)).size).toBe(3);
  });

  it('GIVEN one server holding its `web` lock THEN the other server plans its own `web` at the same time', async () => {
    t = await testApp({ realClock: true });
    await twoServers(t.app);
    await t.app.orchestrator.grantRole(admin, 'web', dev.userId, 'deployer');
    const o = t.app.orchestrator;
    const holding = await o.startSession(dev, 'web');
    await o.addResource(dev, holding.id, vm('web-a1'));
    await o.plan(dev, holding.id);
    expect((await getLock(sqlOf(t.app), keyOf('web')))?.sessionId).toBe(holding.id);
    const other = await o.startSession(otherAdmin, 'web');
    await o.addResource(otherAdmin, other.id, vm('web-b1'));
    expect((await o.plan(otherAdmin, other.id)).plan.status).toBe('succeeded');
    expect((await getLock(sqlOf(t.app), keyOf('web', OTHER)))?.sessionId).toBe(other.id);
    expect((await getLock(sqlOf(t.app), keyOf('web')))?.sessionId).toBe(holding.id);
  });

  it('GIVEN a server admin THEN creating a name another server already uses works, and a name their own server uses is a conflict', async () => {
    t = await testApp({ realClock: true });
    await twoServers(t.app);
    expect(await codeOf(t.app.orchestrator.createProject(otherAdmin, { id: 'web', provider: 'sandbox', budgetUsd: 1 }))).toBe('conflict');
    expect(await codeOf(t.app.orchestrator.createProject({ ...otherAdmin, guildId: 'Not A Server' }, { id: 'api', provider: 'sandbox', budgetUsd: 1 }))).toBe('validation');
  });
});

describe('the CLI names a project of one server', () => {
  const cliContext = (dir: string): { ctx: CliContext; out: string[]; err: string[] } => {
    const out: string[] = [];
    const err: string[] = [];
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(dir, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'),
      TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE, LOG_LEVEL: 'silent',
    });
    return { ctx: { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, config }, out, err };
  };
  const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => (isCoreError(e) ? { code: e.code, message: e.userMessage } : { code: 'bug', message: String(e) }));

  it('GIVEN `web` in two servers THEN a bare name is refused naming both, and --guild or <server>/web picks one', async () => {
    t = await testApp({ realClock: true });
    await twoServers(t.app);
    await deployWeb(t.app, otherAdmin, otherApprover, ['web-b1']);
    const { ctx, out } = cliContext(t.dir);

    const ambiguous = await refusal(stateCommand.run(['--project', 'web'], ctx));
    expect(ambiguous?.code).toBe('validation');
    expect(ambiguous?.message).toContain(`project 'web' exists in 2 servers (${GUILD}, ${OTHER}); add --guild <server>, or write --project <server>/web`);

    expect(await stateCommand.run(['--project', 'web', '--guild', OTHER], ctx)).toBe(0);
    expect(out.join('\n')).toMatch(/^Latest state: serial \d+/);
    out.length = 0;
    expect(await stateCommand.run(['--project', `${GUILD}/web`], ctx)).toBe(0);
    expect(out).toEqual(['Project web has no saved state yet.']);

    expect((await refusal(stateCommand.run(['--project', `${GUILD}/web`, '--guild', OTHER], ctx)))?.code).toBe('validation');
    const missing = await refusal(stateCommand.run(['--project', 'web', '--guild', '333'], ctx));
    expect(missing).toEqual({ code: 'not_found', message: expect.stringContaining("Project 'web' does not exist in server 333") });
  });

  it('GIVEN `project create` with --guild THEN the project belongs to that server, and `project list` shows each name with its server', async () => {
    t = await testApp({ realClock: true });
    const { ctx, out } = cliContext(t.dir);
    for (const guild of ['local', OTHER]) expect(await projectCommand.run(['create', 'api', '--provider', 'sandbox', '--budget', '10', ...(guild === 'local' ? [] : ['--guild', guild])], ctx)).toBe(0);
    expect(out.slice(0, 2)).toEqual([expect.stringMatching(/^Created project api in server local /), expect.stringMatching(new RegExp(`^Created project api in server ${OTHER} `))]);
    out.length = 0;
    expect(await projectCommand.run(['list'], ctx)).toBe(0);
    expect(out.map((l) => l.replace(/\s+/g, ' '))).toEqual([`api sandbox budget $10.00/month guild ${OTHER}`, 'api sandbox budget $10.00/month guild local']);
    expect((await refusal(projectCommand.run(['create', 'api', '--provider', 'sandbox', '--budget', '10', '--guild', '../x'], ctx)))?.message).toMatch(/guild '\.\.\/x' must be a server id/);
  });
});

describe('a store from before projects belonged to their server', () => {
  it('GIVEN a store and repositories keyed by bare names THEN the first start moves both under the server, keeps every row and the audit history, and the log stays append-only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-legacy-'));
    try {
      // A server id the CLI once took unchecked ('Team_A') becomes one a key allows.
      writeLegacyStore(dir, GUILD, admin.userId, { api: 'Team_A' });
      const legacyRepo = join(dir, 'runs', 'shop');
      t = await testApp({ dir, realClock: true });
      const key = keyOf('shop');
      const q = sqlOf(t.app);
      const store = dbOf(t.app);
      expect((await latestState(q, key))).toMatchObject({ serial: 3, lineage: 'lin-1', sessionId: 's-old' });
      expect((await getLock(q, key))).toMatchObject({ sessionId: 's-old', fence: 7 });
      expect(await t.app.orchestrator.project(admin, 'shop')).toMatchObject({ id: key, name: 'shop', cloudName: 'shop', guildId: GUILD });
      expect((await t.app.orchestrator.audit(admin, { project: 'shop' })).map((r) => r.eventType)).toEqual(['project_created']);
      expect(() => store.prepare('UPDATE audit_logs SET action = ?').run('x')).toThrow(/append-only/);
      expect(store.prepare("SELECT COUNT(*) FROM projects WHERE id = 'shop'").pluck().get()).toBe(0);
      expect(await t.app.orchestrator.project(operatorActor('team-a'), 'api')).toMatchObject({ id: 'team-a/api', guildId: 'team-a' });
      // The repository moved under its server, history intact; nothing is left at the old place.
      expect(existsSync(legacyRepo)).toBe(false);
      expect((await t.app.orchestrator.gitLog(admin, 'shop')).map((e) => e.message)).toEqual(['Deploy 1 resources via session s-old (u)']);
    } finally {
      t?.app.close();
      t = undefined;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('operator bindings of identities', () => {
  it('GIVEN a binding variable that names no server THEN start-up refuses it, naming the variable and the form it takes now', () => {
    const load = () => loadConfig({ CLOUD_ENGINE_SECRET_TEAM_C: 'x', CLOUD_ENGINE_GCP_SA_LOCAL__TEAM_B: 'sa@p.iam.gserviceaccount.com' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CLOUD_ENGINE_SECRET_TEAM_C: per-project bindings name the server too: CLOUD_ENGINE_SECRET_<SERVER>__TEAM_C/);
    expect(loadConfig({ CLOUD_ENGINE_SECRET_LOCAL__TEAM_C: 'x' }).identityBindings).toEqual({ CLOUD_ENGINE_SECRET_LOCAL__TEAM_C: 'x' });
  });
});
