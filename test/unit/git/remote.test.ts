import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maskUrlCredentials, type ProjectRepos } from '../../../src/git/projectRepo.js';
import { alice, bob, git, tempRuns, treeOf, writeFiles } from './helpers.js';

let runsDir: string;
let repos: ProjectRepos;
let cleanup: () => void;
const ws = () => join(runsDir, 'demo');

beforeEach(async () => {
  ({ runsDir, repos, cleanup } = tempRuns());
  await repos.init('demo');
});
afterEach(() => cleanup());

describe('commitRollback', () => {
  it('GIVEN a later deployment that changed, added and removed files THEN the rollback commit has exactly the old tree', async () => {
    writeFiles(ws(), { 'main.tf': 'v1', 'old.tf': 'kept in v1', 'cloud-engine.json': '{"v":1}' });
    const v1 = await repos.commitDeployment('demo', { files: ['main.tf', 'old.tf', 'cloud-engine.json'], author: alice, message: 'v1' });
    rmSync(join(ws(), 'old.tf'));
    writeFiles(ws(), { 'main.tf': 'v2', 'new.tf': 'added in v2', 'terraform.tfstate': '{"serial":7}' });
    await repos.commitDeployment('demo', { files: ['main.tf', 'new.tf', 'cloud-engine.json'], author: alice, message: 'v2' });

    const rb = await repos.commitRollback('demo', v1.slice(0, 10), bob);

    expect(git(ws(), 'rev-parse', `${rb}^{tree}`)).toBe(git(ws(), 'rev-parse', `${v1}^{tree}`));
    expect(git(ws(), 'log', '-1', '--format=%s|%an', rb)).toBe(`Rollback to ${v1.slice(0, 7)}|bob (${bob.id})`);
    expect(treeOf(ws(), rb)).toEqual(['.gitignore', 'cloud-engine.json', 'main.tf', 'old.tf']);
    expect(git(ws(), 'status', '--porcelain')).toBe('');
    // The workspace follows the tree; the state file (ignored) is left for Terraform.
    expect(await repos.show('demo', 'HEAD', 'main.tf')).toBe('v1');
    expect(execFileSync('cat', [join(ws(), 'terraform.tfstate')], { encoding: 'utf8' })).toBe('{"serial":7}');
  });

  it('GIVEN an unknown commit THEN not_found and nothing is committed', async () => {
    const head = git(ws(), 'rev-parse', 'HEAD');
    await expect(repos.commitRollback('demo', 'abcdef1', alice)).rejects.toMatchObject({ code: 'not_found' });
    expect(git(ws(), 'rev-parse', 'HEAD')).toBe(head);
  });
});

describe('push', () => {
  let bare: string;
  beforeEach(() => {
    bare = mkdtempSync(join(tmpdir(), 'ce-bare-'));
    execFileSync('git', ['init', '-q', '--bare', bare]);
  });
  afterEach(() => rmSync(bare, { recursive: true, force: true }));

  it('GIVEN a local bare remote THEN pushes the branch and every tag', async () => {
    writeFiles(ws(), { 'main.tf': 'x' });
    const hash = await repos.commitDeployment('demo', { files: ['main.tf'], author: alice, message: 'deploy' });
    await repos.tag('demo', 'v1');
    await repos.tag('demo', 'annotated', undefined, 'with a message');
    await repos.setRemote('demo', bare);

    expect(await repos.push('demo')).toEqual({ ok: true });
    expect(git(bare, 'rev-parse', 'refs/heads/main')).toBe(hash);
    expect(git(bare, 'tag').split('\n').sort()).toEqual(['annotated', 'v1']);
  });

  it('GIVEN setRemote twice THEN the second URL replaces the first', async () => {
    await repos.setRemote('demo', '/nonexistent/first.git');
    await repos.setRemote('demo', bare);
    expect(git(ws(), 'remote', 'get-url', 'origin')).toBe(bare);
  });

  it('GIVEN an unreachable remote THEN returns ok:false with the reason, without throwing', async () => {
    await repos.setRemote('demo', join(bare, 'missing.git'));
    const res = await repos.push('demo');
    expect(res.ok).toBe(false);
    expect(res.error).toMatch(/does not appear to be a git repository|not found|No such/);
  });

  it('GIVEN a remote URL with credentials that fails THEN the error never contains the secret', async () => {
    await repos.setRemote('demo', 'https://user:secret@127.0.0.1:1/x.git');
    const res = await repos.push('demo');
    expect(res.ok).toBe(false);
    expect(res.error).toBeTruthy();
    expect(res.error).not.toContain('secret');
  });

  it('GIVEN no remote THEN says so', async () => {
    expect(await repos.push('demo')).toEqual({ ok: false, error: 'project demo has no git remote; set one first' });
  });

  it('GIVEN URLs that would run programs or inject options THEN setRemote refuses them', async () => {
    for (const bad of ['ext::sh -c touch% /tmp/pwned', '--upload-pack=touch x', 'relative/path', 'https://host/a b']) {
      await expect(repos.setRemote('demo', bad), bad).rejects.toMatchObject({ code: 'validation' });
    }
  });
});

describe('maskUrlCredentials', () => {
  it('GIVEN user info in URLs THEN masks it and keeps the rest', () => {
    expect(maskUrlCredentials("fatal: unable to access 'https://user:tok3n@github.com/o/r.git/': 403")).toBe("fatal: unable to access 'https://***@github.com/o/r.git/': 403");
    expect(maskUrlCredentials('https://ghp_abc@github.com/x and http://u:p@h:8080/y')).toBe('https://***@github.com/x and http://***@h:8080/y');
    expect(maskUrlCredentials('git@github.com:o/r.git https://github.com/o/r')).toBe('git@github.com:o/r.git https://github.com/o/r');
  });
});
