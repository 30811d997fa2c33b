import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectKey } from '../../../src/domain/projects.js';
import type { ProjectRepos } from '../../../src/git/projectRepo.js';
import { alice, bob, carol, git, k, repoDir, tempRuns, treeOf, writeFiles } from './helpers.js';

let runsDir: string;
let repos: ProjectRepos;
let cleanup: () => void;
beforeEach(() => ({ runsDir, repos, cleanup } = tempRuns()));
afterEach(() => cleanup());

const ws = (p = 'demo') => repoDir(runsDir, p);
const IGNORED = {
  '.terraform/providers/x': 'binary', 'terraform.tfstate': '{"secret":1}', 'terraform.tfstate.backup': '{}', 'tfplan': 'plan',
  'deploy.plan': 'plan', 'x.tfplan': 'plan', 'crash.log': 'boom', 'crash.1.log': 'boom', 'x.tfvars': 'k = "v"', 'y.auto.tfvars.json': '{}',
  'override.tf': '', 'db_override.tf': '', '.env': 'TOKEN=1', 'id.pem': 'k', 'tls.key': 'k', 'secrets.json': '{}',
};

describe('init', () => {
  it('GIVEN a new project THEN creates a repository on main with a .gitignore committed by Cloud Engine', async () => {
    await repos.init(k('demo'));
    expect(git(ws(), 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore']);
    expect(git(ws(), 'log', '-1', '--format=%an <%ae>|%cn <%ce>')).toBe('Cloud Engine <cloud-engine@localhost>|Cloud Engine <cloud-engine@localhost>');
    expect(git(ws(), 'config', 'user.name')).toBe('Cloud Engine');
  });

  it('GIVEN the .gitignore THEN it ignores state, plans, crash logs, var files, overrides and secrets but keeps the lock file', async () => {
    await repos.init(k('demo'));
    writeFiles(ws(), { ...IGNORED, '.terraform.lock.hcl': 'lock', 'main.tf': '' });
    const ignored = git(ws(), 'check-ignore', '--no-index', ...Object.keys(IGNORED)).split('\n');
    expect(ignored.sort()).toEqual(Object.keys(IGNORED).sort());
    expect(() => git(ws(), 'check-ignore', '--no-index', '.terraform.lock.hcl')).toThrow();
    expect(readFileSync(join(ws(), '.gitignore'), 'utf8')).toContain('*.tfstate');
  });

  it('GIVEN init twice THEN the second call changes nothing', async () => {
    await repos.init(k('demo'));
    const head = git(ws(), 'rev-parse', 'HEAD');
    await repos.init(k('demo'));
    expect(git(ws(), 'rev-parse', 'HEAD')).toBe(head);
    expect(git(ws(), 'rev-list', '--count', 'HEAD')).toBe('1');
  });

  it('GIVEN a workspace that already has files but no repository THEN the first commit holds only the .gitignore', async () => {
    writeFiles(ws(), { 'main.tf': 'x', 'terraform.tfstate': '{}' });
    await repos.init(k('demo'));
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore']);
  });

  it('GIVEN a key that is not <server>/<name> THEN refuses it before touching the disk', async () => {
    for (const key of ['../escape', 'local/../../escape', '../x/escape', 'local/escape/..', 'Local/escape', 'local/escape/x', 'escape']) {
      await expect(repos.init(key as ProjectKey), key).rejects.toMatchObject({ code: 'validation' });
    }
    expect(existsSync(join(runsDir, '..', 'escape'))).toBe(false);
    expect(readdirSync(runsDir)).toEqual([]);
  });
});

describe('commitDeployment', () => {
  const message = 'Deploy 2 resources via session 1a2b3c4d (alice)';

  it('GIVEN generated files THEN commits them with the author as author, the approver in an Approved-by trailer and Cloud Engine as committer', async () => {
    await repos.init(k('demo'));
    writeFiles(ws(), { 'main.tf': 'a', 'versions.tf': 'b', 'cloud-engine.json': '{}' });
    const hash = await repos.commitDeployment(k('demo'), { files: ['main.tf', 'versions.tf', 'cloud-engine.json'], author: alice, approver: carol, message });
    expect(hash).toMatch(/^[0-9a-f]{40}$/);
    expect(git(ws(), 'rev-parse', 'HEAD')).toBe(hash);
    expect(git(ws(), 'log', '-1', '--format=%an|%ae|%cn|%ce|%s')).toBe(`alice (${alice.id})|${alice.id}@users.discord|Cloud Engine|cloud-engine@localhost|${message}`);
    expect(git(ws(), 'log', '-1', '--format=%B')).toBe(`${message}\n\nApproved-by: carol (${carol.id}) <${carol.id}@users.discord>`);
    expect(git(ws(), 'log', '-1', '--format=%(trailers:key=Approved-by,valueonly)')).toBe(`carol (${carol.id}) <${carol.id}@users.discord>`);
    expect(treeOf(ws(), hash)).toEqual(['.gitignore', 'cloud-engine.json', 'main.tf', 'versions.tf']);
  });

  it('GIVEN ignored files in the workspace, even when listed THEN no commit tree ever contains them', async () => {
    await repos.init(k('demo'));
    writeFiles(ws(), { ...IGNORED, 'main.tf': 'a' });
    const first = await repos.commitDeployment(k('demo'), { files: ['main.tf', ...Object.keys(IGNORED)], author: alice, approver: carol, message });
    writeFiles(ws(), { 'main.tf': 'b' });
    const second = await repos.commitDeployment(k('demo'), { files: ['main.tf', '.terraform', 'terraform.tfstate'], author: bob, approver: carol, message });
    for (const c of [first, second]) expect(treeOf(ws(), c)).toEqual(['.gitignore', 'main.tf']);
  });

  it('GIVEN files not in the list THEN only the listed ones are committed, and a stale staged change does not ride along', async () => {
    await repos.init(k('demo'));
    writeFiles(ws(), { 'main.tf': 'a', 'notes.txt': 'scratch', 'staged.tf': 'x' });
    git(ws(), 'add', 'staged.tf');
    const hash = await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: alice, approver: carol, message });
    expect(treeOf(ws(), hash)).toEqual(['.gitignore', 'main.tf']);
  });

  it('GIVEN a tracked file deleted from the workspace THEN the commit removes it', async () => {
    await repos.init(k('demo'));
    writeFiles(ws(), { 'main.tf': 'a', 'old.tf': 'b' });
    await repos.commitDeployment(k('demo'), { files: ['main.tf', 'old.tf'], author: alice, approver: carol, message });
    rmSync(join(ws(), 'old.tf'));
    const hash = await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: alice, approver: carol, message });
    expect(treeOf(ws(), hash)).toEqual(['.gitignore', 'main.tf']);
  });

  it('GIVEN nothing changed THEN still records a new commit so every deployment has a hash', async () => {
    await repos.init(k('demo'));
    writeFiles(ws(), { 'main.tf': 'a' });
    const a = await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: alice, approver: carol, message });
    const b = await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: alice, approver: carol, message });
    expect(b).not.toBe(a);
    expect(git(ws(), 'rev-parse', `${b}^{tree}`)).toBe(git(ws(), 'rev-parse', `${a}^{tree}`));
  });

  it('GIVEN a project never initialised THEN creates the repository on the way', async () => {
    writeFiles(ws('fresh'), { 'main.tf': 'a' });
    const hash = await repos.commitDeployment(k('fresh'), { files: ['main.tf'], author: alice, approver: carol, message });
    expect(treeOf(ws('fresh'), hash)).toEqual(['.gitignore', 'main.tf']);
  });

  it('GIVEN a name with angle brackets or line breaks THEN it cannot forge the e-mail part of the author, nor another trailer', async () => {
    await repos.init(k('demo'));
    const approver = { name: 'mallory\nApproved-by: ceo <ceo@corp>', id: '444' };
    await repos.commitDeployment(k('demo'), { files: [], author: { name: 'eve <ceo@corp>\nx', id: '333' }, approver, message });
    expect(git(ws(), 'log', '-1', '--format=%an|%ae')).toBe('eve ceo@corp x (333)|333@users.discord');
    expect(git(ws(), 'log', '-1', '--format=%(trailers:key=Approved-by,valueonly)')).toBe('mallory Approved-by: ceo ceo@corp (444) <444@users.discord>');
  });

  it('GIVEN path tricks or pathspec magic in the file list THEN refuses the commit', async () => {
    await repos.init(k('demo'));
    for (const bad of ['../outside.tf', '/etc/passwd', ':(exclude)x', '*.tf', '--all', '.git/config', 'a/../../b']) {
      await expect(repos.commitDeployment(k('demo'), { files: [bad], author: alice, approver: carol, message }), bad).rejects.toMatchObject({ code: 'validation' });
    }
  });

  it('GIVEN concurrent commits on two projects and on one project THEN all succeed, one after another per project', async () => {
    await Promise.all([repos.init(k('one')), repos.init(k('two'))]);
    writeFiles(ws('one'), { 'main.tf': '1' });
    writeFiles(ws('two'), { 'main.tf': '2' });
    const commit = (p: string, i: number) => repos.commitDeployment(k(p), { files: ['main.tf'], author: alice, approver: carol, message: `deploy ${i}` });
    const hashes = await Promise.all([commit('one', 1), commit('two', 1), commit('one', 2), commit('two', 2), commit('one', 3)]);
    expect(new Set(hashes).size).toBe(5);
    expect(git(ws('one'), 'log', '--format=%s').split('\n')).toEqual(['deploy 3', 'deploy 2', 'deploy 1', 'Initialise project workspace']);
    expect(git(ws('two'), 'rev-list', '--count', 'HEAD')).toBe('3');
  });
});
