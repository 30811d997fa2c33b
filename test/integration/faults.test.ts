import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { simpleGit } from 'simple-git';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { CoreError } from '../../src/domain/errors.js';
import { getLock } from '../../src/db/locks.js';
import { latestState } from '../../src/db/states.js';
import { getSession, listSessionResources } from '../../src/db/sessions.js';
import { approver, dev, REPO_ROOT, sandboxProject, SHARED_PLUGIN_CACHE, restartedProcess, testApp, vm, type TestApp, dbOf, keyOf, repoOf, sqlOf } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(() => t?.cleanup());

async function deployOne(app: TestApp['app'], name: string) {
  const o = app.orchestrator;
  const s = await o.startSession(dev, 'shop');
  await o.addResource(dev, s.id, vm(name));
  await o.plan(dev, s.id);
  await o.approve(approver, s.id);
  const run = await o.apply(s.id, approver.userName);
  const lines: string[] = [];
  for await (const l of run.lines) lines.push(l);
  return { s, lines, result: run.result };
}

describe('storage faults', () => {
  it('GIVEN another process holds the database write lock THEN an edit fails with a clear message and writes nothing', async () => {
    t = await testApp();
    await sandboxProject(t.app);
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    const holder = spawn(process.execPath, ['-e', `
      const D = require(${JSON.stringify(join(REPO_ROOT, 'node_modules/better-sqlite3'))});
      const db = new D(${JSON.stringify(join(t.dir, 'cloud-engine.db'))});
      db.exec('BEGIN EXCLUSIVE'); console.log('locked'); setTimeout(() => {}, 8000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    try {
      let err: unknown;
      try {
        await t.app.orchestrator.addResource(dev, s.id, vm('web-1'));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CoreError);
      expect((err as CoreError).message).toMatch(/database is busy \(locked by another process\); nothing was changed/);
    } finally {
      holder.kill('SIGKILL');
    }
    expect((await listSessionResources(sqlOf(t.app), s.id))).toEqual([]);
  }, 30_000);

  it('GIVEN the disk fills while an apply is recorded THEN the last good state survives, and the next start records the finished apply from its run directory', async () => {
    t = await testApp({ realClock: true });
    await sandboxProject(t.app);
    await (await deployOne(t.app, 'web-1')).result;
    const good = (await latestState(sqlOf(t.app), keyOf('shop')))!;
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, vm('web-2'));
    await o.plan(dev, s.id);
    await o.approve(approver, s.id);
    // A real SQLITE_FULL: cap the database at its current size so the apply's recording cannot fit.
    dbOf(t.app).pragma(`max_page_count = ${dbOf(t.app).pragma('page_count', { simple: true }) as number}`);
    const run = await o.apply(s.id, approver.userName);
    for await (const _ of run.lines) { /* drain */ }
    const outcome = await run.result;
    // Honest: Terraform did apply; what failed is the recording, and the user is told how it will be completed.
    expect(outcome).toMatchObject({ status: 'succeeded', recorded: false });
    expect(outcome.error).toMatch(/^Terraform applied the plan, but recording it failed: The disk is full\. What Terraform wrote is kept in \/.*\.runs\/\d+\/shop\/[0-9a-f-]+; project shop stays locked until a Cloud Engine process records it/);
    expect((await getSession(sqlOf(t.app), s.id))?.state).toBe('APPLYING');
    t.app.close();
    const restarted = await testApp({ dir: t.dir, realClock: true, owner: restartedProcess() });
    const report = await restarted.app.orchestrator.recover();
    expect(report.interrupted.map((r) => [r.session.id, r.status])).toEqual([[s.id, 'succeeded']]);
    const saved = (await latestState(sqlOf(restarted.app), keyOf('shop')))!;
    expect(saved.lineage).toBe(good.lineage);
    expect(JSON.parse(saved.stateJson).resources.map((r: { name: string }) => r.name).sort()).toEqual(['web-1', 'web-2']);
    expect((await getSession(sqlOf(restarted.app), s.id))?.state).toBe('APPLIED');
    const next = await restarted.app.orchestrator.startSession(dev, 'shop');
    expect((await restarted.app.orchestrator.plan(dev, next.id)).summaryLine).toMatch(/^No changes/);
    restarted.app.close();
  }, 60_000);
});

describe('the store filling at each write of an apply’s recording', () => {
  it('GIVEN less and less room left for the recording THEN every failure point is reported as applied-but-unrecorded, and a restart records it: nothing lost, no lock left, no destroy proposed', async () => {
    const failedAt = new Set<string>();
    for (let room = 0; room <= 20; room += 2) {
      t = await testApp({ realClock: true });
      await sandboxProject(t.app);
      await (await deployOne(t.app, 'web-1')).result;
      const o = t.app.orchestrator;
      const s = await o.startSession(dev, 'shop');
      await o.addResource(dev, s.id, vm('web-2'));
      await o.plan(dev, s.id);
      await o.approve(approver, s.id);
      // A real SQLITE_FULL `room` pages from now (no free pages left to reuse): the recording fails at whichever write no longer fits.
      // Small pages, so the state and the records written after it each need pages of their own whatever their sizes.
      dbOf(t.app).pragma('journal_mode = DELETE');
      dbOf(t.app).pragma('page_size = 512');
      dbOf(t.app).exec('VACUUM');
      dbOf(t.app).pragma('journal_mode = WAL');
      dbOf(t.app).pragma(`max_page_count = ${(dbOf(t.app).pragma('page_count', { simple: true }) as number) + room}`);
      const result = await (await o.apply(s.id, approver.userName)).result;
      dbOf(t.app).pragma('max_page_count = 1073741823'); // the room is back
      const stateSaved = (await latestState(sqlOf(t.app), keyOf('shop')))?.sessionId === s.id;
      failedAt.add(result.recorded ? 'nowhere' : stateSaved ? 'after the state was saved' : 'at the state');
      if (!result.recorded) {
        expect(result.error, `room ${room}`).toMatch(/^Terraform applied the plan, but recording it failed: The disk is full\. .*stays locked until a Cloud Engine process records it/);
        t.app.close();
        const restarted = await testApp({ dir: t.dir, realClock: true, owner: restartedProcess() });
        expect((await restarted.app.orchestrator.recover()).interrupted.map((r) => r.status), `room ${room}`).toEqual(['succeeded']);
        t = { ...restarted, cleanup: () => { restarted.cleanup(); } };
      }
      const q = sqlOf(t.app);
      expect((await getSession(q, s.id))?.state, `room ${room}`).toBe('APPLIED');
      expect((await getLock(q, keyOf('shop'))), `room ${room}`).toBeUndefined();
      expect((JSON.parse((await latestState(q, keyOf('shop')))!.stateJson) as { resources: Array<{ name: string }> }).resources.map((r) => r.name).sort()).toEqual(['web-1', 'web-2']);
      const next = await t.app.orchestrator.startSession(dev, 'shop');
      expect((await t.app.orchestrator.plan(dev, next.id)).summaryLine, `room ${room}`).toMatch(/^No changes/);
      t.cleanup();
      t = undefined;
    }
    // The sweep really moved the failure across the writes, and past them.
    expect([...failedAt].sort()).toEqual(['after the state was saved', 'at the state', 'nowhere']);
  }, 120_000);
});

describe('a Terraform that hangs', () => {
  it('GIVEN terraform plan or terraform show that never finishes THEN each plan fails saying which command timed out, after TERRAFORM_TIMEOUT_SECONDS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ce-hang-'));
    // Hangs in plan for project slow-plan and in show for project slow-show; anything else is real Terraform.
    const wrapper = join(dir, 'terraform-hangs');
    writeFileSync(wrapper, '#!/bin/sh\ncase "$PWD:$1" in\n  */slow-plan/*:plan|*/slow-show/*:show) exec sleep 300 ;;\nesac\nexec terraform "$@"\n');
    chmodSync(wrapper, 0o755);
    t = await testApp({ dir, env: { TERRAFORM_BIN: wrapper, TERRAFORM_TIMEOUT_SECONDS: '10' } });
    const o = t.app.orchestrator;
    const plans = ['slow-plan', 'slow-show'].map(async (project) => {
      await sandboxProject(t!.app, project);
      const s = await o.startSession(dev, project);
      await o.addResource(dev, s.id, vm('web-1'));
      return { s, outcome: await o.plan(dev, s.id) };
    });
    const [plan, show] = await Promise.all(plans);
    expect(plan!.outcome.plan.error).toBe("terraform plan did not finish within 10 s (TERRAFORM_TIMEOUT_SECONDS) and was stopped; raise the limit if this project's runs take longer");
    expect(show!.outcome.plan.error).toBe("terraform show did not finish within 10 s (TERRAFORM_TIMEOUT_SECONDS) and was stopped; raise the limit if this project's runs take longer");
    for (const { s } of [plan!, show!]) expect((await getSession(sqlOf(t.app), s.id))!.state).toBe('PLAN_FAILED');
  }, 60_000);
});

describe('secrets', () => {
  const MARKER = 'SECRET-MARKER-7f3a9c2e1b';

  it('GIVEN a credential typed into a spec THEN it is refused without echoing it, and stored nowhere', async () => {
    t = await testApp();
    await sandboxProject(t.app);
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    let err: unknown;
    try {
      await t.app.orchestrator.addResource(dev, s.id, vm('web-1', { image: `password=${MARKER}` }));
    } catch (e) {
      err = e;
    }
    expect((err as CoreError).userMessage).toMatch(/image looks like it contains a credential/);
    expect((err as CoreError).userMessage).not.toContain(MARKER);
    dbOf(t.app).pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(t.dir, 'cloud-engine.db')).includes(MARKER)).toBe(false);
  });

  it('GIVEN a cloud credential in the environment that Terraform prints THEN it reaches no streamed line, log, audit row, plan record or git commit', async () => {
    const logs: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
    const dir = (await testApp()).dir;
    // A Terraform that echoes its credentials, as a misbehaving provider might in an error.
    const wrapper = join(dir, 'terraform-leaky');
    writeFileSync(wrapper, `#!/bin/sh\necho "provider debug: AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY" >&2\necho "raw: $AWS_SECRET_ACCESS_KEY" >&2\nexec terraform "$@"\n`);
    chmodSync(wrapper, 0o755);
    const config = loadConfig({
      DATABASE_PATH: join(dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(dir, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'),
      TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE, TERRAFORM_BIN: wrapper, AWS_SECRET_ACCESS_KEY: MARKER, LOG_LEVEL: 'debug',
    });
    const app = await buildApp(config, { logger: pino({ level: 'debug' }, sink), skipTerraformCheck: true });
    try {
      await sandboxProject(app);
      const { lines, result } = await deployOne(app, 'web-1');
      expect((await result as { status: string }).status).toBe('succeeded');
      expect(lines.some((l) => l.includes('[redacted]'))).toBe(true);
      expect(lines.join('\n')).not.toContain(MARKER);
      expect(logs.join('')).not.toContain(MARKER);
      dbOf(app).pragma('wal_checkpoint(TRUNCATE)');
      expect(readFileSync(join(dir, 'cloud-engine.db')).includes(MARKER)).toBe(false);
      const repo = repoOf(dir, 'shop');
      expect(await simpleGit(repo).raw(['log', '-p', '--all'])).not.toContain(MARKER);
      for (const f of readdirSync(repo)) if (statSync(join(repo, f)).isFile()) expect(readFileSync(join(repo, f), 'utf8')).not.toContain(MARKER);
    } finally {
      app.close();
    }
  }, 60_000);
});
