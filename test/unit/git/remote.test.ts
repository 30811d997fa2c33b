import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maskUrlCredentials, type ProjectRepos } from '../../../src/git/projectRepo.js';
import { alice, carol, git, k, repoDir, tempRuns, writeFiles } from './helpers.js';

let runsDir: string;
let repos: ProjectRepos;
let cleanup: () => void;
const ws = () => repoDir(runsDir, 'demo');

beforeEach(async () => {
  ({ runsDir, repos, cleanup } = tempRuns());
  await repos.init(k('demo'));
});
afterEach(() => cleanup());

/** A network URL that git, through the operator's own config (`url.<base>.insteadOf`), sends to a local bare repository. */
const NETWORK_URL = 'https://git.example.test/acme/infra.git';

describe('push', () => {
  let bare: string;
  let config: string;
  let previous: string | undefined;
  beforeEach(() => {
    bare = mkdtempSync(join(tmpdir(), 'ce-bare-'));
    execFileSync('git', ['init', '-q', '--bare', bare]);
    config = mkdtempSync(join(tmpdir(), 'ce-gitconfig-'));
    mkdirSync(join(config, 'git'));
    writeFileSync(join(config, 'git', 'config'), `[url "${bare}"]\n\tinsteadOf = ${NETWORK_URL}\n`);
    previous = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = config;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.XDG_CONFIG_HOME;
    else process.env.XDG_CONFIG_HOME = previous;
    rmSync(bare, { recursive: true, force: true });
    rmSync(config, { recursive: true, force: true });
  });

  it('GIVEN a network remote THEN pushes the branch and the tags Cloud Engine made — nothing planted in the repository', async () => {
    writeFiles(ws(), { 'main.tf': 'x' });
    const hash = await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: alice, approver: carol, message: 'deploy' });
    await repos.tag(k('demo'), 'v1');
    await repos.tag(k('demo'), 'annotated', undefined, 'with a message');
    // Planted with git itself, as someone with access to the runs directory could.
    git(ws(), 'tag', 'abc12345', hash);
    git(ws(), 'branch', 'planted');
    await repos.setRemote(k('demo'), NETWORK_URL);

    expect(await repos.push(k('demo'))).toEqual({ ok: true });
    expect(git(bare, 'rev-parse', 'refs/heads/main')).toBe(hash);
    expect(git(bare, 'tag').split('\n').sort()).toEqual(['annotated', 'v1']);
    expect(git(bare, 'branch', '--list')).toBe('main');
  });

  it('GIVEN setRemote twice THEN the second URL replaces the first', async () => {
    await repos.setRemote(k('demo'), 'https://git.example.test/first.git');
    await repos.setRemote(k('demo'), NETWORK_URL);
    expect(git(ws(), 'remote', 'get-url', 'origin')).toBe(NETWORK_URL);
  });

  it('GIVEN an unreachable remote THEN returns ok:false with the reason, without throwing', async () => {
    await repos.setRemote(k('demo'), 'https://127.0.0.1:1/x.git');
    const res = await repos.push(k('demo'));
    expect(res.ok).toBe(false);
    expect(res.error).toMatch(/Failed to connect|Could not connect|unable to access/);
  });

  it('GIVEN no remote THEN says so', async () => {
    expect(await repos.push(k('demo'))).toEqual({ ok: false, error: 'project demo has no git remote; set one first' });
  });
});

describe('remote URLs', () => {
  it('GIVEN network URLs over https or ssh THEN they are accepted', async () => {
    for (const good of ['https://github.com/acme/infra.git', 'ssh://git@github.com/acme/infra.git', 'git@github.com:acme/infra.git', 'ssh://git@gitlab.example.com:2222/acme/infra.git']) {
      await repos.setRemote(k('demo'), good);
      expect(git(ws(), 'remote', 'get-url', 'origin'), good).toBe(good);
    }
  });

  it('GIVEN a local path, file://, git://, http://, a program, or this machine’s runs directory over ssh THEN refused before git sees it', async () => {
    const other = join(runsDir, 'victim');
    const bad = [
      other, `file://${other}`, 'relative/path', 'git://git.example.test/x.git', 'http://git.example.test/x.git', 'ext::sh -c touch% /tmp/pwned',
      '--upload-pack=touch x', 'https://host/a b', `ssh://localhost${other}`, `ssh://127.0.0.1${runsDir}/victim/.git`, `git@localhost:${other}`, 'https://host/x.git?x=1',
    ];
    for (const url of bad) await expect(repos.setRemote(k('demo'), url), url).rejects.toMatchObject({ code: 'validation' });
    expect(git(ws(), 'remote')).toBe('');
  });

  it('GIVEN credentials in the URL THEN refused without repeating them, and nothing is stored', async () => {
    for (const url of ['https://deployer:hunter2secret@github.com/acme/infra.git', 'https://ghp_hunter2secret@github.com/acme/infra.git', 'ssh://git:hunter2secret@github.com/acme/infra.git']) {
      const refusal = await repos.setRemote(k('demo'), url).catch((e: unknown) => e as Error);
      expect(refusal, url).toMatchObject({ code: 'validation' });
      expect((refusal as Error).message).not.toContain('hunter2secret');
    }
    expect(git(ws(), 'config', '--list')).not.toContain('hunter2secret');
  });
});

describe('maskUrlCredentials', () => {
  it('GIVEN user info in URLs THEN masks it and keeps the rest', () => {
    expect(maskUrlCredentials("fatal: unable to access 'https://user:tok3n@github.com/o/r.git/': 403")).toBe("fatal: unable to access 'https://***@github.com/o/r.git/': 403");
    expect(maskUrlCredentials('https://ghp_abc@github.com/x and http://u:p@h:8080/y')).toBe('https://***@github.com/x and http://***@h:8080/y');
    expect(maskUrlCredentials('git@github.com:o/r.git https://github.com/o/r')).toBe('git@github.com:o/r.git https://github.com/o/r');
  });
});
