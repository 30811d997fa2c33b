import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maskUrlCredentials, type ProjectRepos } from '../../../src/git/projectRepo.js';
import { alice, git, tempRuns, writeFiles } from './helpers.js';

let runsDir: string;
let repos: ProjectRepos;
let cleanup: () => void;
const ws = () => join(runsDir, 'demo');

beforeEach(async () => {
  ({ runsDir, repos, cleanup } = tempRuns());
  await repos.init('demo');
});
afterEach(() => cleanup());

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
