/**
 * The default pack on real plans: sandbox configurations generated as a session generates them, planned
 * and shown by the real Terraform CLI. One apply makes the state the two plans start from: a bad plan on
 * which every default rule fires on the spec made to break it, and a good one on which none does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { micros } from '../../src/domain/money.js';
import type { ResourceSpec } from '../../src/domain/resources.js';
import { DEFAULT_RULES } from '../../src/policy/defaultPack.js';
import { evaluatePolicies } from '../../src/policy/evaluate.js';
import { buildPolicyInput, type PolicyInput } from '../../src/policy/input.js';
import { mergePacks } from '../../src/policy/pack.js';
import { parseSpec } from '../../src/resources/validate.js';
import { generateConfiguration } from '../../src/terraform/generate/index.js';
import { removeDir, tf, writeDir } from '../unit/terraform-generate/terraform.js';

const LABELS = { labels: { owner: 'ops', environment: 'prod' } };
const spec = (raw: Record<string, unknown>, extra: Record<string, unknown> = LABELS) => ({ ...parseSpec('sandbox', raw), ...extra }) as ResourceSpec;
const database = (name: string, fields: Record<string, unknown> = {}) =>
  spec({ type: 'database', name, engine: 'postgres', tier: 'small', storage_gb: 20, backups_enabled: true, high_availability: true, ...fields });
const bucket = (name: string, extra: Record<string, unknown> = {}) => spec({ type: 'storage_bucket', name, storage_gb: 10 }, { ...LABELS, ...extra });
const vm = (name: string, fields: Record<string, unknown> = {}, extra: Record<string, unknown> = LABELS) => spec({ type: 'compute_vm', name, machine_type: 'small', ...fields }, extra);
const firewall = (name: string, fields: Record<string, unknown>) =>
  spec({ type: 'firewall_rule', name, direction: 'ingress', protocol: 'tcp', ports: ['443'], source_ranges: ['10.0.0.0/8'], ...fields });

/** What the project has deployed: the state both plans start from. */
const DEPLOYED = [database('prod-db'), database('legacy-db'), bucket('assets'), vm('app')];
const BAD = [
  database('prod-db', { engine: 'mysql' }), // replaced: a new server
  bucket('assets'),
  vm('app', { machine_type: 'medium' }),
  bucket('open-bucket', { public_access: true }),
  firewall('ssh-open', { ports: ['20-25'], source_ranges: ['0.0.0.0/0'] }),
  firewall('pg-open', { ports: ['5432'], source_ranges: ['0.0.0.0/0'] }),
  database('new-db', { backups_enabled: false, high_availability: false }),
  vm('unlabelled', {}, { labels: { owner: 'ops' } }),
  // legacy-db is left out: destroyed.
];
const GOOD = [
  ...DEPLOYED,
  bucket('private-bucket'),
  firewall('ssh-inside', { ports: ['22'] }),
  firewall('https-open', { ports: ['443'], source_ranges: ['0.0.0.0/0'] }),
  database('new-db'),
  vm('labelled'),
];

const PROJECT_PACK = `rules:
  - id: no-destroy-in-plan
    level: hard-mandatory
    scope: plan
    description: Nothing is destroyed without a change window.
    expression: input.plan.resource_changes.exists(c, "delete" in c.actions)
levels:
  cost-increase: soft-mandatory
  missing-labels: off
`;

let dir: string;
const write = (specs: ResourceSpec[]) => writeDir(generateConfiguration('sandbox', specs, { project: 'shop' }).files, dir);
function plan(specs: ResourceSpec[]): string {
  write(specs);
  tf(dir, 'plan', '-input=false', '-no-color', '-out=plan.tfplan');
  return tf(dir, 'show', '-json', '-no-color', 'plan.tfplan');
}
const inputFor = (planJson: string, specs: ResourceSpec[], deltaUsd: number): PolicyInput => buildPolicyInput({
  planJson, specs, deployed: DEPLOYED,
  session: { id: 's-1', project: 'shop', author_id: '42', author_name: 'dan', provider: 'sandbox', production: true },
  cost: { before_monthly_micros: micros(200_000_000), after_monthly_micros: micros(200_000_000 + deltaUsd * 1e6), budget_micros: micros(1_000_000_000), threshold_micros: micros(100_000_000) },
});

let badJson: string;
let goodJson: string;

beforeAll(() => {
  dir = writeDir({});
  write(DEPLOYED);
  tf(dir, 'init', '-input=false', '-no-color');
  tf(dir, 'apply', '-input=false', '-no-color', '-auto-approve');
  badJson = plan(BAD);
  goodJson = plan(GOOD);
});
afterAll(() => removeDir(dir));

describe('the default pack on real sandbox plans', () => {
  it('GIVEN a plan that breaks every default rule THEN each fires on the spec that breaks it, and on nothing else', async () => {
    const r = await evaluatePolicies(DEFAULT_RULES, inputFor(badJson, BAD, 150));
    expect(r.ruleErrors).toEqual([]);
    expect(r.findings.map((f) => `${f.ruleId}:${f.resource ?? 'plan'}`).sort()).toEqual([
      'cost-increase:plan',
      'missing-labels:unlabelled',
      'production-database-backups:new-db',
      'production-database-ha:new-db',
      'public-bucket:open-bucket',
      'stateful-destroy:legacy-db',
      'stateful-destroy:prod-db',
      'world-open-admin-port:ssh-open',
      'world-open-database-port:pg-open',
    ]);
    expect(r.findings.find((f) => f.ruleId === 'public-bucket')!.level).toBe('hard-mandatory');
  });

  it('GIVEN a plan that keeps every default rule THEN no finding', async () => {
    const r = await evaluatePolicies(DEFAULT_RULES, inputFor(goodJson, GOOD, 20));
    expect(r).toMatchObject({ findings: [], ruleErrors: [] });
  });

  it('GIVEN the real plan THEN the items carry Terraform\'s actions, and the database\'s stand-in password is in the plan but nowhere in the input', () => {
    const input = inputFor(badJson, BAD, 150);
    expect(Object.fromEntries(input.resources.map((i) => [i.name, i.action]))).toEqual({
      'prod-db': 'replace', assets: 'no-op', app: 'update', 'open-bucket': 'create', 'ssh-open': 'create', 'pg-open': 'create', 'new-db': 'create', unlabelled: 'create', 'legacy-db': 'delete',
    });
    const passwords = [...badJson.matchAll(/"admin_password":"(sandbox-[0-9a-f]{16})"/g)].map((m) => m[1]!);
    expect(passwords.length).toBeGreaterThan(0);
    const text = JSON.stringify(input);
    for (const p of passwords) expect(text).not.toContain(p);
    expect(input.plan.resource_changes.find((c) => c.address === 'terraform_data.new-db')!.after).toMatchObject({ triggers_replace: { admin_password: '(sensitive)' } });
  });

  it('GIVEN a project pack reading the plan itself, with a level changed and a rule off THEN its rules run beside the defaults on the real plan', async () => {
    const pack = mergePacks(DEFAULT_RULES, [{ path: 'policies/changes.yaml', text: PROJECT_PACK }]);
    const r = await evaluatePolicies(pack.rules, inputFor(badJson, BAD, 150));
    expect(r.ruleErrors).toEqual([]);
    const ids = (list: Array<{ ruleId: string; level: string }>) => [...new Set(list.map((f) => `${f.ruleId}:${f.level}`))].sort();
    expect(ids(r.findings)).toEqual([
      'cost-increase:soft-mandatory', 'no-destroy-in-plan:hard-mandatory', 'production-database-backups:soft-mandatory', 'production-database-ha:advisory',
      'public-bucket:hard-mandatory', 'stateful-destroy:advisory', 'world-open-admin-port:soft-mandatory', 'world-open-database-port:soft-mandatory',
    ]);
    expect(ids((await evaluatePolicies(pack.rules, inputFor(goodJson, GOOD, 20))).findings)).toEqual([]);
  });
});
