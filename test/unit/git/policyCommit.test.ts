import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CoreError } from '../../../src/domain/errors.js';
import type { PolicyFile } from '../../../src/domain/policy.js';
import type { ProjectRepos } from '../../../src/git/projectRepo.js';
import { refusal } from '../files/refusal.js';
import { alice, bob, carol, git, k, repoDir, tempRuns, treeOf, writeFiles } from './helpers.js';

let runsDir: string;
let repos: ProjectRepos;
let cleanup: () => void;
beforeEach(() => ({ runsDir, repos, cleanup } = tempRuns()));
afterEach(() => cleanup());

const ws = () => repoDir(runsDir, 'demo');
const RULE = 'rules:\n  - id: no-huge-vms\n';
const upload = (path: string, text: string | null, review: (current: PolicyFile[]) => void = () => undefined) =>
  repos.commitPolicyFile(k('demo'), { path, author: alice, message: `Policy: ${path}` }, (current) => {
    review(current);
    return { text };
  });

describe('commitPolicyFile', () => {
  it('GIVEN a new project THEN the repository is created and the commit holds exactly the pack file, by the admin, committed by Cloud Engine', async () => {
    const { commit } = await upload('policies/team.yaml', RULE);
    expect(commit).toBe(git(ws(), 'rev-parse', 'HEAD'));
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore', 'policies/team.yaml']);
    expect(git(ws(), 'show', 'HEAD:policies/team.yaml')).toBe(RULE.trim());
    expect(git(ws(), 'log', '-1', '--format=%an <%ae>|%cn|%s')).toBe(`alice (${alice.id}) <${alice.id}@users.discord>|Cloud Engine|Policy: policies/team.yaml`);
    expect(readFileSync(join(ws(), 'policies/team.yaml'), 'utf8')).toBe(RULE);
  });

  it('GIVEN other changes waiting in the working tree THEN none of them rides along', async () => {
    writeFiles(ws(), { 'main.tf': 'one\n' });
    await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: bob, approver: carol, message: 'Deploy' });
    writeFiles(ws(), { 'main.tf': 'edited by hand\n', 'extra.tf': 'x', 'policies/other.yaml': RULE });
    await upload('policies/team.yaml', RULE);
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore', 'main.tf', 'policies/team.yaml']);
    expect(git(ws(), 'show', 'HEAD:main.tf')).toBe('one');
  });

  it('GIVEN review sees the pack HEAD holds and refuses THEN nothing is written or committed', async () => {
    await upload('policies/a.yaml', RULE);
    const head = git(ws(), 'rev-parse', 'HEAD');
    let seen: PolicyFile[] = [];
    const e = await refusal(() => upload('policies/b.yaml', 'rules: []\n', (current) => {
      seen = current;
      throw new CoreError('validation', 'duplicate rule id');
    }));
    expect(e.message).toBe('duplicate rule id');
    expect(seen).toEqual([{ path: 'policies/a.yaml', text: RULE }]);
    expect(git(ws(), 'rev-parse', 'HEAD')).toBe(head);
    expect(() => readFileSync(join(ws(), 'policies/b.yaml'))).toThrow();
  });

  it('GIVEN the same text again THEN nothing is committed; GIVEN a new text THEN it replaces the file; GIVEN null THEN the file is removed', async () => {
    await upload('policies/a.yaml', RULE);
    const head = git(ws(), 'rev-parse', 'HEAD');
    expect((await upload('policies/a.yaml', RULE)).commit).toBeNull();
    expect(git(ws(), 'rev-parse', 'HEAD')).toBe(head);
    await upload('policies/a.yaml', 'rules: []\n');
    expect(git(ws(), 'show', 'HEAD:policies/a.yaml')).toBe('rules: []');
    const { commit } = await upload('policies/a.yaml', null);
    expect(commit).not.toBeNull();
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore']);
    expect(await repos.policyFiles(k('demo'))).toEqual([]);
  });

  it.each([
    '../x.yaml', '../../x.yaml', 'policies/../x.yaml', 'policies/../../etc/x.yaml', 'policies/a/b.yaml', 'policies/.yaml', 'policies/.hidden.yaml',
    'policies/a b.yaml', 'policies/a\u0000.yaml', 'policies/-x.yaml', 'x.yaml', 'policies/x.txt', 'policies/', '/policies/x.yaml', 'policies/x.yaml\n',
    `policies/${'a'.repeat(70)}.yaml`,
  ])('GIVEN the hostile path %j THEN it is refused before git runs', async (path) => {
    const e = await refusal(() => upload(path, RULE));
    expect(e.code).toBe('validation');
    expect(e.message).toMatch(/not a policy file path/);
    expect(() => git(ws(), 'rev-parse', 'HEAD')).toThrow();
  });

  it('GIVEN a name the .gitignore keeps out (secrets*) THEN it is refused, naming it', async () => {
    const e = await refusal(() => upload('policies/secrets.yaml', RULE));
    expect(e.message).toMatch(/policies\/secrets\.yaml would be ignored/);
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore']);
  });

  it('GIVEN the policies folder replaced by a symbolic link THEN nothing is written through it', async () => {
    await repos.init(k('demo'));
    const outside = join(runsDir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(ws(), 'policies'));
    expect((await refusal(() => upload('policies/a.yaml', RULE))).code).toBe('storage');
    expect(() => readFileSync(join(outside, 'a.yaml'))).toThrow();
  });
});

describe('deployments and policy files', () => {
  it('GIVEN a policy commit THEN later deployments keep it in HEAD, even when the file went missing from disk or was edited there', async () => {
    await upload('policies/team.yaml', RULE);
    writeFiles(ws(), { 'main.tf': 'one\n' });
    await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: bob, approver: carol, message: 'Deploy 1' });
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore', 'main.tf', 'policies/team.yaml']);
    writeFileSync(join(ws(), 'policies/team.yaml'), 'rules: [] # edited on the server, never reviewed\n');
    writeFiles(ws(), { 'main.tf': 'two\n' });
    await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: bob, approver: carol, message: 'Deploy 2' });
    expect(git(ws(), 'show', 'HEAD:policies/team.yaml')).toBe(RULE.trim());
    rmSync(join(ws(), 'policies'), { recursive: true });
    writeFiles(ws(), { 'main.tf': 'three\n' });
    await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: bob, approver: carol, message: 'Deploy 3' });
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore', 'main.tf', 'policies/team.yaml']);
    expect(await repos.policyFiles(k('demo'))).toEqual([{ path: 'policies/team.yaml', text: RULE }]);
  });

  it('GIVEN a tracked .tf file gone from disk THEN a deployment still commits its removal (only policies are kept)', async () => {
    writeFiles(ws(), { 'main.tf': 'one\n', 'old.tf': 'x\n' });
    await repos.commitDeployment(k('demo'), { files: ['main.tf', 'old.tf'], author: bob, approver: carol, message: 'Deploy 1' });
    await upload('policies/team.yaml', RULE);
    rmSync(join(ws(), 'old.tf'));
    await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: bob, approver: carol, message: 'Deploy 2' });
    expect(treeOf(ws(), 'HEAD')).toEqual(['.gitignore', 'main.tf', 'policies/team.yaml']);
  });
});
