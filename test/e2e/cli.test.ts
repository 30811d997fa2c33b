import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/main.js';
import { REPO_ROOT, SHARED_PLUGIN_CACHE } from '../helpers/app.js';

const run = promisify(execFile);
const BIN = join(REPO_ROOT, 'bin', 'cloud-engine.js');
const dir = mkdtempSync(join(tmpdir(), 'ce-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? dir, TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE, ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('the cloud-engine binary', () => {
  it('GIVEN `demo` on a fresh data dir THEN two sessions plan 3 to add, then 1 to change and 1 to destroy, and the state and audit trail print', async () => {
    const r = await cli(['demo', '--quiet', '--dir', join(dir, 'demo')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Plan: 3 to add, 0 to change, 0 to destroy');
    expect(r.stdout).toContain('Plan: 0 to add, 1 to change, 1 to destroy');
    expect(r.stdout).toMatch(/State: serial \d+, lineage [0-9a-f-]{36}/);
    expect(r.stdout).toMatch(/deployment_completed/);
    expect(r.stderr).toBe('');
  });

  it.each(COMMANDS.map((c) => c.name))('GIVEN `%s --help` THEN it prints its usage and exits 0', async (name) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`cloud-engine ${name}`);
  });

  it('GIVEN `project create` without --budget THEN it is refused naming the flag, and no $0-budget project exists', async () => {
    const env = { DATABASE_PATH: join(dir, 'budget.db'), TERRAFORM_RUNS_DIR: join(dir, 'budget-runs') };
    const r = await cli(['project', 'create', 'nobudget', '--provider', 'sandbox'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--budget is required/);
    expect((await cli(['project', 'list', '--json'], env)).stdout).not.toContain('nobudget');
  });

  it('GIVEN the CLI run from another directory without PRICING_DIR THEN it prices with the package’s own price lists', async () => {
    const file = join(dir, 'estimate.json');
    writeFileSync(file, JSON.stringify([{ provider: 'aws', type: 'compute_vm', name: 'web-1', machine_type: 't3.micro', region: 'us-east-1' }]));
    const { stdout } = await run(process.execPath, [BIN, 'estimate', file, '--json'], { cwd: dir, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? dir } });
    const estimate = JSON.parse(stdout) as { complete: boolean; total_monthly_usd: number };
    expect(estimate.complete).toBe(true);
    expect(estimate.total_monthly_usd).toBeGreaterThan(0);
  });

  it('GIVEN `cloud-engine … | head -1` THEN the closed pipe ends the command quietly, no EPIPE crash', async () => {
    const child = spawn(process.execPath, [BIN, 'pricing', 'coverage'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? dir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  });

  it('GIVEN a bad environment value THEN one line per problem and exit 78, no stack trace', async () => {
    const r = await cli(['state', '--project', 'x'], { SESSION_TTL_MINUTES: 'forever' });
    expect(r.code).toBe(78);
    expect(r.stderr.trim()).toBe("config: SESSION_TTL_MINUTES: SESSION_TTL_MINUTES must be a whole number from 1 to 10080, got 'forever'");
  });

  it('GIVEN `git remote` THEN a network URL is set, and a local path or one with credentials is refused without repeating them', async () => {
    const env = { DATABASE_PATH: join(dir, 'remote.db'), TERRAFORM_RUNS_DIR: join(dir, 'remote-runs') };
    expect((await cli(['project', 'create', 'remotes', '--provider', 'sandbox', '--budget', '100'], env)).code).toBe(0);
    const good = await cli(['git', 'remote', '--project', 'remotes', 'https://git.example.test/acme/remotes.git'], env);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toContain('Remote set for remotes. Not pushed');
    for (const url of [join(dir, 'remote-runs', 'other'), 'file:///tmp/x.git', 'https://deployer:hunter2secret@git.example.test/acme/remotes.git']) {
      const bad = await cli(['git', 'remote', '--project', 'remotes', url], env);
      expect(bad.code, url).toBe(1);
      expect(bad.stderr).toMatch(/^error: the remote URL /);
      expect(bad.stderr).not.toContain('hunter2secret');
    }
    expect((await cli(['project', 'list', '--json'], env)).stdout).toContain('"git_remote_url": "https://git.example.test/acme/remotes.git"');
  });

  it('GIVEN 2,000 networks of 16 subnets each (1.5 MB, inside every documented limit) THEN the project plans; the same shape at 200 networks applies', async () => {
    const networks = (count: number) => Array.from({ length: count }, (_, i) => {
      const [a, b] = [Math.floor(i / 250), i % 250];
      return { type: 'vpc_network', name: `net-${String(i).padStart(4, '0')}`, cidr: `10.${a}.${b}.0/24`, subnets: Array.from({ length: 16 }, (_, j) => ({ name: `s${String(j).padStart(2, '0')}`, cidr: `10.${a}.${b}.${j * 16}/28` })) };
    });
    const env = { DATABASE_PATH: join(dir, 'networks.db'), TERRAFORM_RUNS_DIR: join(dir, 'networks-runs') };
    for (const project of ['networks', 'networks-applied']) expect((await cli(['project', 'create', project, '--provider', 'sandbox', '--budget', '100000'], env)).code).toBe(0);
    const all = join(dir, 'networks.json');
    writeFileSync(all, JSON.stringify(networks(2000)));
    // Terraform's output for it is far longer than any argument list: it once overflowed the stack here.
    const planned = await cli(['plan', '--project', 'networks', '--resources', all, '--json'], env);
    expect(planned.code, planned.stderr.slice(0, 500)).toBe(0);
    expect(JSON.parse(planned.stdout)).toMatchObject({ status: 'succeeded', add: 2000 });
    // Applying all 2,000 takes Terraform about 7 minutes here (it rewrites the whole state file after every resource).
    const some = join(dir, 'networks-200.json');
    writeFileSync(some, JSON.stringify(networks(200)));
    const applied = await cli(['apply', '--project', 'networks-applied', '--resources', some, '--yes', '--json'], env);
    expect(applied.code, applied.stderr.slice(0, 500)).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ add: 200, apply: { status: 'succeeded' } });
  }, 240_000);

  it('GIVEN a broken environment THEN one line naming the problem and what to do, with its documented exit code — never "internal error"', async () => {
    const garbageDb = join(dir, 'garbage.db');
    writeFileSync(garbageDb, 'this is not a database');
    const aFile = join(dir, 'runs-is-a-file');
    writeFileSync(aFile, '');
    const fakeTerraform = (name: string, body: string) => {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, 0o755);
      return path;
    };
    const base = { DATABASE_PATH: join(dir, 'env.db'), TERRAFORM_RUNS_DIR: join(dir, 'env-runs') };
    const cases: Array<[string, string[], Record<string, string>, number, RegExp]> = [
      ['a garbage database file', ['project', 'list'], { ...base, DATABASE_PATH: garbageDb }, 74, /The file at .*garbage\.db is not a Cloud Engine database .*point DATABASE_PATH at/],
      ['TERRAFORM_RUNS_DIR that is a file', ['project', 'list'], { ...base, TERRAFORM_RUNS_DIR: aFile }, 78, /^config: TERRAFORM_RUNS_DIR: .* cannot be used: a file is in the way \(it must be a directory\)$/],
      ['a TERRAFORM_BIN that prints garbage', ['demo', '--dir', join(dir, 'garbage-tf')], { TERRAFORM_BIN: fakeTerraform('garbage-terraform.sh', 'echo garbage') }, 78, /does not look like Terraform: 'version -json' printed no Terraform version\. Set TERRAFORM_BIN/],
      ['a TERRAFORM_BIN that hangs', ['demo', '--dir', join(dir, 'hang-tf')], { TERRAFORM_BIN: fakeTerraform('hang-terraform.sh', 'exec sleep 60') }, 78, /did not answer 'terraform version' within 20 s/],
    ];
    for (const [label, args, env, code, message] of cases) {
      const r = await cli(args, env);
      expect(r.code, label).toBe(code);
      expect(r.stderr.trim().split('\n'), label).toHaveLength(1);
      expect(r.stderr.trim(), label).toMatch(message);
      expect(r.stderr, label).not.toMatch(/internal error|\n\s+at /);
    }
  }, 60_000);

  it('GIVEN no Terraform at TERRAFORM_BIN THEN the error says what to install or set', async () => {
    const r = await cli(['demo', '--dir', join(dir, 'no-tf')], { TERRAFORM_BIN: '/nonexistent/terraform' });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Terraform was not found at '\/nonexistent\/terraform'.*Install Terraform ≥ 1.5 or set TERRAFORM_BIN/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    ['plan', '--resources', 'r.json'],
    ['git', 'log'],
    ['state'],
  ])('GIVEN a project that does not exist THEN `%s` exits 4 saying how to create one, and creates nothing', async (...args) => {
    const env = { DATABASE_PATH: join(dir, 'none.db'), TERRAFORM_RUNS_DIR: join(dir, 'none-runs') };
    const r = await cli([...args, '--project', 'ghost'], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("Project 'ghost' does not exist; create it with: cloud-engine project create <name> --provider sandbox --budget <usd> [--guild <server>]");
    expect((await cli(['project', 'list'], env)).stdout).not.toContain('ghost');
  });

  it('GIVEN an invalid resources file THEN plan exits 1 listing every problem with its item', async () => {
    const env = { DATABASE_PATH: join(dir, 'p.db'), TERRAFORM_RUNS_DIR: join(dir, 'runs') };
    expect((await cli(['project', 'create', 'shop', '--provider', 'gcp', '--budget', '100'], env)).code).toBe(0);
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ type: 'compute_vm', name: 'web-1', machine_type: 'e2-huge' }, { type: 'database', name: 'Bad_Name' }]));
    const r = await cli(['plan', '--project', 'shop', '--resources', file], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("resources[0] (web-1): machine_type 'e2-huge' is not a GCP machine type; try e2-medium");
    expect(r.stderr).toContain("resources[1] (Bad_Name): name 'Bad_Name' must be");
  });

  it('GIVEN an applied sandbox project THEN drift finds nothing (exit 0); after `sandbox tamper` it prints the resource and attribute deployed → observed and exits 8, and --json gives the data', async () => {
    const env = { DATABASE_PATH: join(dir, 'drift.db'), TERRAFORM_RUNS_DIR: join(dir, 'drift-runs') };
    expect((await cli(['project', 'create', 'drifty', '--provider', 'sandbox', '--budget', '100'], env)).code).toBe(0);
    const file = join(dir, 'drifty.json');
    const labels = { owner: 'ops', environment: 'dev' };
    writeFileSync(file, JSON.stringify([{ type: 'compute_vm', name: 'web-1', machine_type: 'small', labels }, { type: 'storage_bucket', name: 'files', storage_gb: 10, labels }]));
    const applied = await cli(['apply', '--project', 'drifty', '--resources', file, '--yes'], env);
    expect(applied.code, applied.stderr).toBe(0);
    const clean = await cli(['drift', '--project', 'drifty'], env);
    expect([clean.code, clean.stdout.trim()]).toEqual([0, 'No drift: the 2 deployed resource(s) of project drifty are as deployed.']);

    const tampered = await cli(['sandbox', 'tamper', '--project', 'drifty', '--resource', 'web-1', '--set', 'machine_type=large', '--set', 'disk_gb=80'], env);
    expect(tampered.code, tampered.stderr).toBe(0);
    expect((await cli(['sandbox', 'tamper', '--project', 'drifty', '--resource', 'files', '--delete'], env)).code).toBe(0);
    const unknown = await cli(['sandbox', 'tamper', '--project', 'drifty', '--resource', 'nope', '--delete'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("the sandbox cloud of project drifty holds no resource 'nope'; it holds: web-1");

    const drift = await cli(['drift', '--project', 'drifty'], env);
    expect(drift.code).toBe(8);
    expect(drift.stdout).toContain('Drift in project drifty: 2 of 2 deployed resource(s) differ from what was deployed.');
    expect(drift.stdout).toContain('  web-1 (compute_vm): changed\n    disk_gb: (none) → 80\n    machine_type: "small" → "large"');
    expect(drift.stdout).toContain('  files (storage_bucket): missing — deleted outside Cloud Engine');
    const json = await cli(['drift', '--project', 'drifty', '--json'], env);
    expect(json.code).toBe(8);
    const data = JSON.parse(json.stdout) as { project: string; resources: number; drifted: Array<{ name: string; kind: string; attributes: unknown[] }> };
    expect(data).toMatchObject({ project: 'drifty', resources: 2 });
    expect(data.drifted.find((d) => d.name === 'files')).toEqual({ name: 'files', type: 'storage_bucket', kind: 'missing', attributes: [] });
    expect(data.drifted.find((d) => d.name === 'web-1')?.attributes).toEqual([{ attribute: 'disk_gb', observed: 80 }, { attribute: 'machine_type', deployed: 'small', observed: 'large' }]);
    const audit = await cli(['audit', '--project', 'drifty', '--event', 'drift_detected', '--json'], env);
    expect(JSON.parse(audit.stdout)).toHaveLength(2);
  });

  it('GIVEN a high-risk plan with a soft-mandatory finding THEN apply shows the tier and findings, and needs both --override-policy with a reason and --accept-risk, each audited', async () => {
    const env = { DATABASE_PATH: join(dir, 'risk.db'), TERRAFORM_RUNS_DIR: join(dir, 'risk-runs') };
    expect((await cli(['project', 'create', 'gate', '--provider', 'sandbox', '--budget', '100'], env)).code).toBe(0);
    const file = join(dir, 'risky.json');
    const labels = { owner: 'ops', environment: 'dev' };
    writeFileSync(file, JSON.stringify([{ type: 'firewall_rule', name: 'ssh-in', ports: ['22'], source_ranges: ['0.0.0.0/0'], labels }]));
    const plain = await cli(['apply', '--project', 'gate', '--resources', file, '--yes'], env);
    expect(plain.code).toBe(7);
    expect(plain.stdout).toMatch(/Risk: high — needs 2 approvals \(ssh-in opens to the whole internet; 1 policy finding\)/);
    expect(plain.stdout).toMatch(/\[OVERRIDE\] world-open-admin-port on ssh-in/);
    expect(plain.stderr).toMatch(/--override-policy/);
    const unaccepted = await cli(['apply', '--project', 'gate', '--resources', file, '--yes', '--override-policy', 'bastion until the VPN is up'], env);
    expect(unaccepted.code).toBe(7);
    expect(unaccepted.stderr).toMatch(/high risk: add --accept-risk/);
    const r = await cli(['apply', '--project', 'gate', '--resources', file, '--yes', '--override-policy', 'bastion until the VPN is up', '--accept-risk'], env);
    expect(r.code, r.stderr).toBe(0);
    const audit = await cli(['audit', '--project', 'gate', '--json'], env);
    const events = (JSON.parse(audit.stdout) as Array<{ eventType: string }>).map((e) => e.eventType);
    expect(events).toEqual(expect.arrayContaining(['policy_overridden', 'risk_accepted', 'deployment_approved']));
  });
});
