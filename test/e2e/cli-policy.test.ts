/**
 * `cloud-engine policy` as an operator runs it (the built bin, real SQLite, real git, a real sandbox plan):
 * a pack file is uploaded and committed, listed, and tested against the newest plan and against a
 * `terraform show -json` file; a hostile file is refused naming its rule, and nothing is committed.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliDirs, createProjects, runCli } from './helpers/cli.js';
import { NO_LARGE_VMS } from '../helpers/packs.js';

const dirs = cliDirs();
const repo = () => join(dirs.dir, 'runs', 'local', 'shop');
const head = () => execFileSync('git', ['-C', repo(), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
const labels = { owner: 'team-web', environment: 'dev' };

beforeAll(async () => {
  await createProjects(dirs.env, ['shop']);
  // A large VM costs more a month than the default threshold: keep the cost rule out of these findings.
  expect((await runCli(['settings', '--project', 'shop', '--cost-threshold', '100000'], dirs.env)).code).toBe(0);
  const plan = await runCli(['plan', '--project', 'shop', '--resources', dirs.file('resources', [{ type: 'compute_vm', name: 'big-1', machine_type: 'large', labels }])], dirs.env);
  expect(plan.code, plan.stderr).toBe(0);
}, 120_000);
afterAll(() => dirs.cleanup());

const file = (name: string, text: string) => {
  const path = join(dirs.dir, name);
  writeFileSync(path, text);
  return path;
};


describe('cloud-engine policy', () => {
  it('GIVEN a pack file THEN upload commits it, list shows its rule next to the defaults, and test finds it on the newest plan (exit 7: it blocks)', async () => {
    const up = await runCli(['policy', 'upload', '--project', 'shop', '--file', file('team.yaml', NO_LARGE_VMS)], dirs.env);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^Committed policies\/team\.yaml \(no-large-vms\) in project shop: commit [0-9a-f]{8}, pack [0-9a-f]{12} → [0-9a-f]{12}, \d+ rules\./);
    expect(up.stdout).toMatch(/must be planned again before approval/);
    expect(up.stdout).toContain(head().slice(0, 8));

    const list = await runCli(['policy', 'list', '--project', 'shop'], dirs.env);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/Policy pack of shop \(digest [0-9a-f]{12}; checks on\): \d+ rules \(files: policies\/team\.yaml\)/);
    expect(list.stdout).toMatch(/hard-mandatory\s+no-large-vms\s+resource\s+policies\/team\.yaml\s+No large VMs in this project\./);
    expect(list.stdout).toMatch(/hard-mandatory\s+public-bucket\s+resource\s+default/);
    const json = JSON.parse((await runCli(['policy', 'list', '--project', 'shop', '--json'], dirs.env)).stdout) as { rules: Array<{ id: string; expression: string }> };
    expect(json.rules.find((r) => r.id === 'no-large-vms')?.expression).toContain('machine_type == "large"');

    const test = await runCli(['policy', 'test', '--project', 'shop'], dirs.env);
    expect(test.code, test.stderr).toBe(7);
    expect(test.stdout).toMatch(/^Tested the pack, \d+ rules, against plan [0-9a-f]{8} \(session [0-9a-f]{8}, .*\) in \d+ ms: 1 finding\(s\), 0 rule error\(s\)\./);
    expect(test.stdout).toContain('[BLOCK] no-large-vms on big-1: No large VMs in this project.');
  });

  it('GIVEN a terraform show -json file and a candidate file THEN the candidate is tested against it without being uploaded', async () => {
    const plan = file('plan.json', JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: [] }));
    const candidate = file('more.yaml', 'rules:\n  - id: always\n    level: advisory\n    scope: plan\n    description: Says hello.\n    expression: "true"\n');
    const at = head();
    const r = await runCli(['policy', 'test', '--project', 'shop', '--plan', plan, '--file', candidate], dirs.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Tested the pack with policies\/more\.yaml as given \(1 rules in it; not uploaded\), \d+ rules, against the plan file/);
    expect(r.stdout).toContain('[advice] always: Says hello.');
    expect(head()).toBe(at);
  });

  it('GIVEN a hostile file THEN it is refused naming the file and the rule, exit 1, and HEAD does not move', async () => {
    const at = head();
    const bad = await runCli(['policy', 'upload', '--project', 'shop', '--file', file('bad.yaml', 'rules:\n  - id: broken\n    level: advisory\n    description: Half an expression.\n    expression: resource.type ==\n')], dirs.env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/policies\/bad\.yaml, rule 'broken' \(rules\[0\]\): expression is not valid CEL/);
    const huge = await runCli(['policy', 'upload', '--project', 'shop', '--file', file('huge.yaml', '#'.repeat(10 * 1024 * 1024))], dirs.env);
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(/policy file '.*huge\.yaml' is 10\.0 MB; at most 256 KiB is allowed/);
    const level = await runCli(['policy', 'set-level', '--project', 'shop', '--rule', 'no-such-rule', '--level', 'off'], dirs.env);
    expect(level.code).toBe(1);
    expect(level.stderr).toMatch(/no rule 'no-such-rule'.*public-bucket/);
    expect(head()).toBe(at);
  });
});
