import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectRepos } from '../../../src/git/projectRepo.js';
import { alice, bob, carol, git, k, repoDir, tempRuns, writeFiles } from './helpers.js';

let runsDir: string;
let repos: ProjectRepos;
let cleanup: () => void;
let first: string;
let second: string;
const ws = () => repoDir(runsDir, 'demo');

/**
 * One history shared by every test (building it is the slow part): two deployments, the first
 * creating main.tf and cloud-engine.json, the second editing main.tf and adding net.tf. Tests only
 * add tags, each under its own name.
 */
beforeAll(async () => {
  ({ runsDir, repos, cleanup } = tempRuns());
  await repos.init(k('demo'));
  writeFiles(ws(), { 'main.tf': 'resource "a" {}\n', 'cloud-engine.json': '{"resources":1}' });
  first = await repos.commitDeployment(k('demo'), { files: ['main.tf', 'cloud-engine.json'], author: alice, approver: carol, message: 'Deploy 1 resources via session aaaa1111 (alice)' });
  writeFiles(ws(), { 'main.tf': 'resource "b" {}\n', 'net.tf': 'resource "n" {}\n' });
  second = await repos.commitDeployment(k('demo'), { files: ['main.tf', 'net.tf', 'cloud-engine.json'], author: bob, approver: carol, message: 'Deploy 2 resources via session bbbb2222 (bob)' });
});
afterAll(() => cleanup());

const hostile = (marker: string) => [`--upload-pack=touch ${marker}`, `--output=${marker}`, '../../etc', 'HEAD;rm -rf', '-n', 'HEAD..main', 'HEAD@{0}', ':/Deploy', 'a b', ''];

describe('tag', () => {
  it('GIVEN a valid name THEN tags HEAD, or the given commit, and log shows it', async () => {
    expect(await repos.tag(k('demo'), 'v1.0.0')).toEqual({ tag: 'v1.0.0', commit: second });
    expect(await repos.tag(k('demo'), 'first_release', first.slice(0, 8), 'the very first')).toEqual({ tag: 'first_release', commit: first });
    expect(git(ws(), 'cat-file', '-t', 'first_release')).toBe('tag');
    const log = await repos.log(k('demo'));
    expect(log[0]!.tags).toEqual(['v1.0.0']);
    expect(log[1]!.tags).toEqual(['first_release']);
  });

  it('GIVEN names outside our rules or git\'s THEN refuses them as validation errors', async () => {
    const before = git(ws(), 'tag');
    for (const bad of ['-v1', '.hidden', 'v1..2', 'v1.lock', 'v1.', 'a/b', 'with space', 'x'.repeat(101), 'ünïcode', '']) {
      await expect(repos.tag(k('demo'), bad), bad).rejects.toMatchObject({ code: 'validation' });
    }
    expect(git(ws(), 'tag')).toBe(before);
  });

  it('GIVEN an existing tag THEN refuses to move it and says where it points', async () => {
    await repos.tag(k('demo'), 'taken', first);
    await expect(repos.tag(k('demo'), 'taken')).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining(`already exists in project demo (on commit ${first.slice(0, 7)})`) });
    expect(git(ws(), 'rev-parse', 'taken^{commit}')).toBe(first);
  });

  it('GIVEN an unknown or hostile commit THEN refuses it', async () => {
    await expect(repos.tag(k('demo'), 'v2', 'deadbeef')).rejects.toMatchObject({ code: 'not_found' });
    await expect(repos.tag(k('demo'), 'v2', '--upload-pack=touch /tmp/x')).rejects.toMatchObject({ code: 'validation' });
  });
});

describe('log', () => {
  it('GIVEN deployments THEN lists newest first with the Discord author split into name and id', async () => {
    const log = await repos.log(k('demo'));
    expect(log.map((e) => e.message)).toEqual(['Deploy 2 resources via session bbbb2222 (bob)', 'Deploy 1 resources via session aaaa1111 (alice)', 'Initialise project workspace']);
    expect(log[0]).toMatchObject({ hash: second, shortHash: second.slice(0, log[0]!.shortHash.length), author: 'bob', authorId: bob.id, approver: { name: 'carol', id: carol.id } });
    expect(log[2]).toMatchObject({ author: 'Cloud Engine', authorId: null, approver: null });
    expect(Date.parse(log[0]!.date)).not.toBeNaN();
  });

  it('GIVEN a limit THEN returns at most that many, and refuses silly limits', async () => {
    expect(await repos.log(k('demo'), 1)).toHaveLength(1);
    await expect(repos.log(k('demo'), 0)).rejects.toMatchObject({ code: 'validation' });
  });

  it('GIVEN a project without a repository THEN says so instead of reading another repository', async () => {
    await expect(repos.log(k('nothing-here'))).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('no git repository') });
  });
});

describe('diff', () => {
  it('GIVEN two commits THEN shows the change between them', async () => {
    const d = await repos.diff(k('demo'), first, second);
    expect(d).toMatchObject({ from: first, to: second, filesChanged: 2 });
    expect(d.text).toContain('-resource "a" {}');
    expect(d.text).toContain('+resource "b" {}');
    expect(d.text).toContain('diff --git a/net.tf b/net.tf');
  });

  it('GIVEN one commit THEN compares it with its parent, and the root commit with the empty tree', async () => {
    expect(await repos.diff(k('demo'), second)).toMatchObject({ from: first, to: second, filesChanged: 2 });
    const root = git(ws(), 'rev-list', '--max-parents=0', 'HEAD');
    const d = await repos.diff(k('demo'), root);
    expect(d.filesChanged).toBe(1);
    expect(d.text).toContain('+++ b/.gitignore');
  });

  it('GIVEN refs like HEAD~1 and tags THEN resolves them', async () => {
    await repos.tag(k('demo'), 'base', first);
    expect(await repos.diff(k('demo'), 'base', 'HEAD')).toMatchObject({ from: first, to: second });
    expect(await repos.diff(k('demo'), 'HEAD~1')).toMatchObject({ to: first });
  });
});

describe('show and resolve', () => {
  it('GIVEN a file at a commit THEN returns its content then, not now', async () => {
    expect(await repos.show(k('demo'), first, 'main.tf')).toBe('resource "a" {}\n');
    expect(await repos.show(k('demo'), 'HEAD', 'main.tf')).toBe('resource "b" {}\n');
  });

  it('GIVEN a file absent at that commit THEN not_found', async () => {
    await expect(repos.show(k('demo'), first, 'net.tf')).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining("file 'net.tf' does not exist") });
    await expect(repos.show(k('demo'), first, '../../etc/passwd')).rejects.toMatchObject({ code: 'validation' });
  });

  it('GIVEN a short hash THEN resolves the full one; an unknown one is not_found with a clear message', async () => {
    expect(await repos.resolve(k('demo'), first.slice(0, 7))).toBe(first);
    await expect(repos.resolve(k('demo'), 'deadbeef')).rejects.toMatchObject({ code: 'not_found', message: "commit 'deadbeef' is not in project demo's history" });
  });

  it('GIVEN a tag named like an older commit’s short hash THEN that hash still means the commit, never the tag', async () => {
    const short = first.slice(0, 7);
    // Planted with git itself (Cloud Engine refuses such a name): the tag points at the newest commit.
    git(ws(), 'tag', short, second);
    expect(await repos.resolve(k('demo'), short)).toBe(first);
    expect(await repos.resolve(k('demo'), `${short}~0`)).toBe(first);
    await expect(repos.tag(k('demo'), first.slice(0, 8))).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('it reads as a commit hash') });
    await expect(repos.tag(k('demo'), 'HEAD')).rejects.toMatchObject({ code: 'validation' });
    await repos.tag(k('demo'), 'v1', first);
    expect(await repos.resolve(k('demo'), 'v1')).toBe(first);
  });

  it('GIVEN a tree or blob hash, or a branch name THEN it is refused clearly, not resolved as something else', async () => {
    const tree = git(ws(), 'rev-parse', `${first}^{tree}`);
    await expect(repos.resolve(k('demo'), tree.slice(0, 10))).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/is a tree of project demo, not a commit/) });
    const blob = git(ws(), 'rev-parse', `${first}:.gitignore`);
    await expect(repos.resolve(k('demo'), blob)).rejects.toMatchObject({ code: 'validation', message: expect.stringMatching(/is a blob of project demo, not a commit/) });
    await expect(repos.resolve(k('demo'), 'main')).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/'main' is not a tag of project demo/) });
    expect(await repos.resolve(k('demo'), 'HEAD~1')).toBe(first);
  });

  it('GIVEN a commit object that is not in history THEN not_found', async () => {
    const dangling = git(ws(), 'commit-tree', '-m', 'stray', `${first}^{tree}`);
    await expect(repos.resolve(k('demo'), dangling)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('GIVEN hostile refs THEN every operation refuses them before git sees them', async () => {
    const marker = join(runsDir, 'pwned');
    for (const ref of hostile(marker)) {
      await expect(repos.resolve(k('demo'), ref), ref).rejects.toMatchObject({ code: 'validation' });
      await expect(repos.diff(k('demo'), first, ref), ref).rejects.toMatchObject({ code: 'validation' });
      await expect(repos.show(k('demo'), ref, 'main.tf'), ref).rejects.toMatchObject({ code: 'validation' });
    }
    expect(existsSync(marker)).toBe(false);
    expect(git(ws(), 'rev-parse', 'HEAD')).toBe(second);
  });
});
