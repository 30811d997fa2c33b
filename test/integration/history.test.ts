import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simpleGit } from 'simple-git';
import { queryAudit } from '../../src/db/audit.js';
import { getDeploymentBySession } from '../../src/db/deployments.js';
import { getProject, updateProjectSettings } from '../../src/db/projects.js';
import { admin, approver, bucket, dev, sandboxProject, testApp, vm, type TestApp, dbOf, keyOf, repoOf, sqlOf, oneApproverPerTier } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ realClock: true });
  await sandboxProject(t.app);
  await oneApproverPerTier(t.app);
});
afterEach(() => t.cleanup());

/** `recordedAs`: the name the process recording the apply knows (recovery after a restart knows only the session's author). */
async function deploy(edit: (sessionId: string) => unknown, recordedAs = approver.userName) {
  const o = t.app.orchestrator;
  const s = await o.startSession(dev, 'shop');
  await edit(s.id);
  await o.plan(dev, s.id);
  await o.approve(approver, s.id);
  const result = await (await o.apply(s.id, recordedAs)).result;
  expect(result.status).toBe('succeeded');
  return result;
}

const repo = () => repoOf(t.dir, 'shop');

describe('deployment history', () => {
  it('GIVEN two deployments THEN every commit’s tree holds only configuration, never state, plans or provider caches', async () => {
    await deploy(async (id) => { await t.app.orchestrator.addResource(dev, id, vm('web-1')); await t.app.orchestrator.addResource(dev, id, bucket('assets')); });
    await deploy((id) => t.app.orchestrator.removeResource(dev, id, 'assets'));
    const git = simpleGit(repo());
    const hashes = (await git.raw(['rev-list', 'HEAD'])).trim().split('\n');
    expect(hashes).toHaveLength(3);
    for (const h of hashes) {
      const files = (await git.raw(['ls-tree', '-r', '--name-only', h])).trim().split('\n');
      expect(files.filter((f) => /tfstate|\.tfplan|^\.terraform\/|^\.plans\//.test(f))).toEqual([]);
    }
    const log = await t.app.orchestrator.gitLog(admin, 'shop');
    expect(log[0]?.deployment).toMatchObject({ status: 'succeeded', toDestroy: 1 });
    expect(log[0]?.authorId).toBe(dev.userId);
  });

  it('GIVEN a session opened by one person and approved by another THEN the commit is authored by the session\'s author, approved-by the approver in a trailer, committed by Cloud Engine', async () => {
    const result = await deploy((id) => t.app.orchestrator.addResource(dev, id, vm('web-1')));
    const show = (format: string) => execFileSync('git', ['-C', repo(), 'log', '-1', `--format=${format}`, result.commitHash!]).toString().trim();
    expect(show('%an|%ae|%cn|%ce')).toBe(`dan-dev (${dev.userId})|${dev.userId}@users.discord|Cloud Engine|cloud-engine@localhost`);
    expect(show('%s')).toBe(`Deploy 1 resources via session ${result.session.id.slice(0, 8)} (dan-dev)`);
    // git itself reads the trailer: the approver's name and id in the author line's form.
    expect(show('%(trailers:key=Approved-by)')).toBe(`Approved-by: ann-approver (${approver.userId}) <${approver.userId}@users.discord>`);
    expect((await getDeploymentBySession(sqlOf(t.app), result.session.id))).toMatchObject({ userId: approver.userId, approverName: 'ann-approver' });
    const stats = await t.app.orchestrator.statistics(admin, 1);
    expect(stats.top_users).toEqual([{ user_id: dev.userId, user_name: 'dan-dev', count: 1 }]);
  });

  it('GIVEN the apply recorded by a process that knows only the session (as recovery does) THEN the trailer still names the approver, as kept at approval', async () => {
    const result = await deploy((id) => t.app.orchestrator.addResource(dev, id, vm('web-1')), dev.userName);
    const trailer = execFileSync('git', ['-C', repo(), 'log', '-1', '--format=%(trailers:key=Approved-by,valueonly)', result.commitHash!]).toString().trim();
    expect(trailer).toBe(`ann-approver (${approver.userId}) <${approver.userId}@users.discord>`);
  });

  it('GIVEN a rollback to the first deployment THEN a plan that re-creates what was removed, and the "Rollback to" commit only once it applies', async () => {
    const first = await deploy(async (id) => { await t.app.orchestrator.addResource(dev, id, vm('web-1')); await t.app.orchestrator.addResource(dev, id, bucket('assets')); });
    await deploy(async (id) => { await t.app.orchestrator.removeResource(dev, id, 'assets'); await t.app.orchestrator.editResource(dev, id, 'web-1', vm('web-1', { machine_type: 'large' })); });
    const o = t.app.orchestrator;
    const rb = await o.rollback(admin, 'shop', first.commitHash!.slice(0, 8));
    expect(rb.summaryLine).toBe('Plan: 1 to add, 1 to change, 0 to destroy');
    const head = (await simpleGit(repo()).log()).latest?.hash;
    // Planning touched nothing in git: neither a commit nor the working tree.
    expect(await simpleGit(repo()).status()).toMatchObject({ files: [] });
    await o.approve(approver, rb.session.id);
    const applied = await (await o.apply(rb.session.id, approver.userName)).result;
    expect(applied.status).toBe('succeeded');
    const log = await simpleGit(repo()).log();
    // The admin who asked for the rollback wrote it; the approver let it through.
    expect(log.latest?.message).toMatch(new RegExp(`^Rollback to ${first.commitHash!.slice(0, 7)} via session ${rb.session.id.slice(0, 8)} \\(alice-admin\\)$`));
    expect(log.latest?.author_name).toBe(`alice-admin (${admin.userId})`);
    expect(log.latest?.body.trim()).toBe(`Approved-by: ann-approver (${approver.userId}) <${approver.userId}@users.discord>`);
    expect(log.all[1]?.hash).toBe(head);
    expect(applied.commitHash).toBe(log.latest?.hash);
    expect(await simpleGit(repo()).show([`${first.commitHash!}:cloud-engine.json`])).toBe(await simpleGit(repo()).show(['HEAD:cloud-engine.json']));
    const again = await o.startSession(dev, 'shop');
    expect((await o.sessionView(dev, again.id)).resources.map((r) => r.spec.name).sort()).toEqual(['assets', 'web-1']);
  });

  it('GIVEN an unknown commit, or another session holding the lock THEN rollback is refused clearly', async () => {
    const first = await deploy((id) => t.app.orchestrator.addResource(dev, id, vm('web-1')));
    await expect(t.app.orchestrator.rollback(admin, 'shop', 'deadbeef')).rejects.toMatchObject({ code: 'not_found' });
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    await t.app.orchestrator.addResource(dev, s.id, vm('web-2'));
    await t.app.orchestrator.plan(dev, s.id);
    const head = (await simpleGit(repo()).log()).latest?.hash;
    await expect(t.app.orchestrator.rollback(admin, 'shop', first.commitHash!)).rejects.toMatchObject({ code: 'locked' });
    await expect(t.app.orchestrator.rollback(dev, 'shop', first.commitHash!)).rejects.toMatchObject({ code: 'forbidden' });
    // The refused rollback left no commit and no open session behind.
    expect((await simpleGit(repo()).log()).latest?.hash).toBe(head);
    expect(dbOf(t.app).prepare("SELECT COUNT(*) FROM sessions WHERE state = 'DRAFT'").pluck().get()).toBe(0);
  });

  it('GIVEN auto-push to a network remote THEN each deployment commit arrives there', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'ce-bare-'));
    execFileSync('git', ['init', '--bare', '-q', bare]);
    // The operator's git config sends this https URL to a local bare repository (no server here).
    const config = mkdtempSync(join(tmpdir(), 'ce-gitconfig-'));
    mkdirSync(join(config, 'git'));
    writeFileSync(join(config, 'git', 'config'), `[url "${bare}"]\n\tinsteadOf = https://git.example.test/acme/shop.git\n`);
    const previous = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = config;
    try {
      await t.app.orchestrator.gitRemote(admin, 'shop', 'https://git.example.test/acme/shop.git', true);
      const result = await deploy((id) => t.app.orchestrator.addResource(dev, id, vm('web-1')));
      expect(execFileSync('git', ['--git-dir', bare, 'log', '--format=%H', '-1', '--all']).toString().trim()).toBe(result.commitHash);
      expect((await queryAudit(sqlOf(t.app), { eventType: 'git_pushed', projectId: keyOf('shop') })).length).toBeGreaterThanOrEqual(1);
    } finally {
      if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = previous;
    }
  });

  it('GIVEN a remote with credentials or into another project THEN refused, and the token is stored and shown nowhere', async () => {
    await sandboxProject(t.app, 'victim');
    const victim = repoOf(t.dir, 'victim');
    for (const url of ['https://deployer:hunter2secret@github.com/acme/shop.git', victim, `file://${victim}`, `ssh://localhost${victim}`]) {
      await expect(t.app.orchestrator.gitRemote(admin, 'shop', url, true), url).rejects.toMatchObject({ code: 'validation' });
    }
    const everything = JSON.stringify([t.app.orchestrator.listProjects(admin), (await queryAudit(sqlOf(t.app), { projectId: keyOf('shop'), limit: 1000 }))]);
    expect(everything).not.toContain('hunter2secret');
    expect((await t.app.orchestrator.project(admin, 'shop')).settings.git_remote_url ?? null).toBeNull();
  });

  it('GIVEN remotes stored before the rules (a token in the URL, a local path) THEN the next start forgets them in the store and the repository, audited, and a valid one is kept', async () => {
    for (const p of ['victim', 'query', 'scp', 'locked', 'kept']) await sandboxProject(t.app, p);
    const legacy: Array<[string, string]> = [
      ['shop', 'https://deployer:hunter2secret@github.com/acme/shop.git'], ['victim', repoOf(t.dir, 'shop')],
      ['query', 'https://github.com/acme/q.git?access_token=hunter2secret'], ['scp', 'alice:hunter2secret@github.com:acme/s.git'],
      ['locked', 'https://bob:hunter2secret@github.com/acme/l.git'], ['kept', 'https://github.com/acme/kept.git'],
    ];
    for (const [project, url] of legacy) {
      // As a version before the rules stored them: straight into the settings and the repository's config.
      (await updateProjectSettings(sqlOf(t.app), keyOf(project), { ...(await getProject(sqlOf(t.app), keyOf(project)))!.settings, git_remote_url: url, git_auto_push: true }));
      execFileSync('git', ['-C', repoOf(t.dir, project), 'remote', 'add', 'origin', url]);
    }
    // A repository git cannot change (a stale config lock) must not stop the others from being cleaned.
    writeFileSync(join(repoOf(t.dir, 'locked'), '.git', 'config.lock'), '');
    t.app.close();
    t = await testApp({ dir: t.dir, realClock: true });
    for (const project of ['shop', 'victim', 'query', 'scp']) {
      expect((await t.app.orchestrator.project(admin, project)).settings).toMatchObject({ git_auto_push: false });
      expect((await t.app.orchestrator.project(admin, project)).settings.git_remote_url).toBeUndefined();
      expect(readFileSync(join(repoOf(t.dir, project), '.git', 'config'), 'utf8')).not.toContain('[remote');
    }
    expect((await t.app.orchestrator.project(admin, 'kept')).settings).toMatchObject({ git_remote_url: 'https://github.com/acme/kept.git', git_auto_push: true });
    const forgotten = (await queryAudit(sqlOf(t.app), { eventType: 'git_remote_forgotten' }));
    expect(forgotten.map((a) => a.projectId).sort()).toEqual(['locked', 'query', 'scp', 'shop', 'victim'].map((p) => keyOf(p)));
    expect(forgotten.find((a) => a.projectId === keyOf('shop'))!.details).toEqual({ remote: 'https://github.com' });
    expect(JSON.stringify(forgotten)).not.toMatch(/hunter2secret|acme|alice|bob/);
    expect((await t.app.orchestrator.project(admin, 'locked')).settings).toMatchObject({ git_auto_push: false });
    expect((await t.app.orchestrator.project(admin, 'locked')).settings.git_remote_url).toBeUndefined();
    dbOf(t.app).pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(t.dir, 'cloud-engine.db')).includes('hunter2secret')).toBe(false);
  });

  it('GIVEN a remote that fails THEN the deployment still succeeds and the failure is audited', async () => {
    await t.app.orchestrator.gitRemote(admin, 'shop', 'https://127.0.0.1:1/nothing.git', true);
    const result = await deploy((id) => t.app.orchestrator.addResource(dev, id, vm('web-1')));
    expect((await getDeploymentBySession(sqlOf(t.app), result.session.id))?.status).toBe('succeeded');
    expect(result.push).toEqual({ ok: false, error: expect.stringContaining('git push failed in project shop') });
    // What a bot relaying a worker's apply reads back from the store: the same outcome, from the push's audit record.
    expect((await t.app.orchestrator.recordedApply(result.session.id))?.push).toEqual(result.push);
    const failures = (await queryAudit(sqlOf(t.app), { eventType: 'git_push_failed', projectId: keyOf('shop') }));
    expect(failures.length).toBeGreaterThanOrEqual(1);
  });
});
