import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectKey } from '../../../src/domain/projects.js';
import { ProjectRepos, type GitAuthor } from '../../../src/git/projectRepo.js';

export const alice: GitAuthor = { name: 'alice', id: '111111111111111111' };
export const bob: GitAuthor = { name: 'bob', id: '222222222222222222' };
export const carol: GitAuthor = { name: 'carol', id: '333333333333333333' };

/** Project `name` of the CLI's own server, and where its repository lives under the runs directory. */
export const k = (name: string) => projectKey('local', name);
export const repoDir = (runsDir: string, name: string) => join(runsDir, 'local', name);

/** A fresh runs directory per test, removed afterwards by `cleanup`. */
export function tempRuns(): { runsDir: string; repos: ProjectRepos; cleanup: () => void } {
  const runsDir = mkdtempSync(join(tmpdir(), 'ce-git-'));
  return { runsDir, repos: new ProjectRepos(runsDir), cleanup: () => rmSync(runsDir, { recursive: true, force: true }) };
}

/** Plain git, for assertions made independently of the code under test. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } }).trim();
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** Every path in a commit's tree. */
export const treeOf = (dir: string, commit: string): string[] => git(dir, 'ls-tree', '-r', '--name-only', commit).split('\n').filter(Boolean).sort();
