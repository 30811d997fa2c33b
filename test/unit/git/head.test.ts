import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { headCommit } from '../../../src/git/head.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const git = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { encoding: 'utf8' }).trim();

function repo(): string {
  dir = mkdtempSync(join(tmpdir(), 'ce-head-'));
  git('init', '-q', '--initial-branch=main');
  writeFileSync(join(dir, 'a'), 'a');
  git('add', 'a');
  git('commit', '-q', '-m', 'a');
  return git('rev-parse', 'HEAD');
}

describe('HEAD read from the repository files', () => {
  it('GIVEN a branch as a loose ref, then packed, then a detached HEAD THEN each is the commit git itself names', async () => {
    const first = repo();
    expect(await headCommit(dir)).toBe(first);
    git('pack-refs', '--all');
    expect(await headCommit(dir)).toBe(first);
    writeFileSync(join(dir, 'b'), 'b');
    git('add', 'b');
    git('commit', '-q', '-m', 'b');
    expect(await headCommit(dir)).toBe(git('rev-parse', 'HEAD'));
    git('checkout', '-q', '--detach', first);
    expect(await headCommit(dir)).toBe(first);
  });

  it('GIVEN a HEAD that is not a plain branch or hash (hostile, or a layout git may use) THEN it is undefined, so the caller asks git', async () => {
    repo();
    for (const head of ['ref: refs/heads/../../../etc/passwd\n', 'ref: refs/tags/v1\n', 'nonsense\n', '']) {
      writeFileSync(join(dir, '.git', 'HEAD'), head);
      expect(await headCommit(dir), head).toBeUndefined();
    }
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/nowhere\n');
    expect(await headCommit(dir)).toBeUndefined();
  });
});
