/**
 * Each default rule, on documents built from specs and Terraform actions (buildPolicyInput on a plan of
 * the sandbox's shape): where it fires and where it stays silent. The same rules on real sandbox plans:
 * test/integration/policySandbox.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { micros } from '../../../src/domain/money.js';
import type { ResourceSpec } from '../../../src/domain/resources.js';
import { DEFAULT_RULES } from '../../../src/policy/defaultPack.js';
import { evaluatePolicies } from '../../../src/policy/evaluate.js';
import { buildPolicyInput } from '../../../src/policy/input.js';
import { parseSpec } from '../../../src/resources/validate.js';
import { riskTier } from '../../../src/core/governance.js';
import type { PlanCost } from '../../../src/core/costing.js';

const LABELS = { labels: { owner: 'ops', environment: 'prod' } };
const spec = (raw: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...parseSpec('sandbox', raw), ...LABELS, ...extra }) as ResourceSpec;
const bucket = (name: string, extra: Record<string, unknown> = {}) => spec({ type: 'storage_bucket', name, storage_gb: 10 }, extra);
const database = (name: string, fields: Record<string, unknown> = {}) => spec({ type: 'database', name, engine: 'postgres', tier: 'small', storage_gb: 20, ...fields });
const vm = (name: string, extra: Record<string, unknown> = {}) => spec({ type: 'compute_vm', name, machine_type: 'small' }, extra);
const firewall = (name: string, fields: Record<string, unknown>) =>
  spec({ type: 'firewall_rule', name, direction: 'ingress', protocol: 'tcp', ports: ['22'], source_ranges: ['0.0.0.0/0'], ...fields });

type Action = 'create' | 'update' | 'replace' | 'delete' | 'no-op';
const TF_ACTIONS: Record<Action, string[]> = { create: ['create'], update: ['update'], replace: ['delete', 'create'], delete: ['delete'], 'no-op': ['no-op'] };

interface Case {
  /** The session's specs, each with the action its plan takes (a `delete` is a deployed spec the session removed). */
  resources: Array<[ResourceSpec, Action]>;
  production?: boolean;
  deltaUsd?: number;
}

/** The findings of the whole default pack as `rule:resource`, and no rule errors on any input. */
async function findings(c: Case): Promise<string[]> {
  const planJson = JSON.stringify({
    format_version: '1.2', terraform_version: '1.11.4',
    resource_changes: c.resources.map(([s, a]) => ({ address: `terraform_data.${s.name}`, mode: 'managed', type: 'terraform_data', name: s.name, change: { actions: TF_ACTIONS[a], before: null, after: null } })),
  });
  const input = buildPolicyInput({
    planJson,
    session: { id: 's', project: 'shop', author_id: '1', author_name: 'dan', provider: 'sandbox', production: c.production ?? false },
    specs: c.resources.filter(([, a]) => a !== 'delete').map(([s]) => s),
    deployed: c.resources.filter(([, a]) => a !== 'create').map(([s]) => s),
    cost: { before_monthly_micros: micros(50_000_000), after_monthly_micros: micros(50_000_000 + (c.deltaUsd ?? 0) * 1e6), budget_micros: null, threshold_micros: micros(100_000_000) },
  });
  const r = await evaluatePolicies(DEFAULT_RULES, input);
  expect(r.ruleErrors).toEqual([]);
  return r.findings.map((f) => `${f.ruleId}:${f.resource ?? 'plan'}`);
}
const of = (rule: string, list: string[]) => list.filter((f) => f.startsWith(`${rule}:`));

describe('the default pack', () => {
  it('public-bucket (hard-mandatory): fires on a public bucket created, updated or replaced; silent on a private one, and on a public one left alone or deleted', async () => {
    const list = await findings({ resources: [
      [bucket('new-open', { public_access: true }), 'create'], [bucket('now-open', { public_access: true }), 'update'], [bucket('redo-open', { public_access: true }), 'replace'],
      [bucket('private'), 'create'], [bucket('old-open', { public_access: true }), 'no-op'], [bucket('gone-open', { public_access: true }), 'delete'],
    ] });
    expect(of('public-bucket', list)).toEqual(['public-bucket:new-open', 'public-bucket:now-open', 'public-bucket:redo-open']);
    expect(DEFAULT_RULES.find((r) => r.id === 'public-bucket')!.level).toBe('hard-mandatory');
  });

  it('world-open-admin-port (soft-mandatory): fires on SSH or RDP open to anywhere, by port, range or protocol all; silent on inside sources, udp, egress, other ports', async () => {
    const list = await findings({ resources: [
      [firewall('ssh', {}), 'create'], [firewall('range', { ports: ['20-25'] }), 'update'], [firewall('rdp', { ports: ['80', '3389'] }), 'create'],
      [firewall('anything', { protocol: 'all', ports: [] }), 'create'],
      [firewall('inside', { source_ranges: ['10.0.0.0/8'] }), 'create'], [firewall('dns', { protocol: 'udp' }), 'create'],
      [firewall('outbound', { direction: 'egress' }), 'create'], [firewall('web', { ports: ['80', '443', '23-3388'] }), 'create'], [firewall('kept', {}), 'no-op'],
    ] });
    expect(of('world-open-admin-port', list)).toEqual(['world-open-admin-port:ssh', 'world-open-admin-port:range', 'world-open-admin-port:rdp', 'world-open-admin-port:anything']);
  });

  it('world-open-database-port (soft-mandatory): fires on MySQL, PostgreSQL, SQL Server, MongoDB or Redis ports open to anywhere; silent on SSH alone or inside sources', async () => {
    const list = await findings({ resources: [
      [firewall('pg', { ports: ['5432'] }), 'create'], [firewall('span', { ports: ['5000-6000'] }), 'create'], [firewall('redis', { ports: ['6379'] }), 'update'],
      [firewall('mongo', { ports: ['27017'] }), 'replace'], [firewall('mssql', { ports: ['1433'] }), 'create'], [firewall('mysql', { ports: ['3306'] }), 'create'],
      [firewall('ssh', {}), 'create'], [firewall('inner-pg', { ports: ['5432'], source_ranges: ['10.0.0.0/8'] }), 'create'],
    ] });
    expect(of('world-open-database-port', list)).toEqual(['pg', 'span', 'redis', 'mongo', 'mssql', 'mysql'].map((n) => `world-open-database-port:${n}`));
  });

  it('production-database-backups (soft-mandatory): fires on a production database without backups being created, updated or replaced; silent otherwise', async () => {
    const resources: Case['resources'] = [
      [database('bare', { backups_enabled: false }), 'create'], [database('edited', { backups_enabled: false }), 'update'], [database('redo', { backups_enabled: false }), 'replace'],
      [database('safe', { backups_enabled: true }), 'create'], [database('old', { backups_enabled: false }), 'no-op'], [database('gone', { backups_enabled: false }), 'delete'],
    ];
    expect(of('production-database-backups', await findings({ resources, production: true }))).toEqual(['bare', 'edited', 'redo'].map((n) => `production-database-backups:${n}`));
    expect(of('production-database-backups', await findings({ resources, production: false }))).toEqual([]);
  });

  it('production-database-ha (advisory): fires on a production database without high availability being changed; silent with it, or outside production', async () => {
    const resources: Case['resources'] = [[database('single', { high_availability: false }), 'create'], [database('pair', { high_availability: true }), 'create'], [database('old'), 'no-op']];
    expect(of('production-database-ha', await findings({ resources, production: true }))).toEqual(['production-database-ha:single']);
    expect(of('production-database-ha', await findings({ resources, production: false }))).toEqual([]);
  });

  it('stateful-destroy (advisory): fires on a database or bucket deleted or replaced; silent on updates and on stateless resources', async () => {
    const list = await findings({ resources: [
      [database('gone-db'), 'delete'], [bucket('redo-bucket'), 'replace'], [database('edited-db'), 'update'], [vm('gone-vm'), 'delete'], [vm('redo-vm'), 'replace'],
    ] });
    expect(of('stateful-destroy', list)).toEqual(['stateful-destroy:redo-bucket', 'stateful-destroy:gone-db']);
  });

  it('cost-increase (advisory, plan): fires once when the monthly cost rises by more than the threshold; silent at or under it, or when it falls', async () => {
    const resources: Case['resources'] = [[vm('web'), 'update']];
    expect(of('cost-increase', await findings({ resources, deltaUsd: 150 }))).toEqual(['cost-increase:plan']);
    expect(of('cost-increase', await findings({ resources, deltaUsd: 100 }))).toEqual([]);
    expect(of('cost-increase', await findings({ resources, deltaUsd: -500 }))).toEqual([]);
  });

  it('missing-labels (advisory): fires on a changed resource lacking owner or environment (or with one empty); silent with both, or when left alone or deleted', async () => {
    const list = await findings({ resources: [
      [vm('none', { labels: {} }), 'create'], [vm('owner-only', { labels: { owner: 'ops' } }), 'update'], [bucket('empty-env', { labels: { owner: 'ops', environment: '' } }), 'replace'],
      [vm('labelled'), 'create'], [vm('untouched', { labels: {} }), 'no-op'], [vm('leaving', { labels: {} }), 'delete'],
    ] });
    expect(of('missing-labels', list)).toEqual(['missing-labels:none', 'missing-labels:owner-only', 'missing-labels:empty-env']);
  });

  it('GIVEN a clean plan THEN the default pack finds nothing', async () => {
    expect(await findings({ resources: [[vm('web'), 'create'], [database('db', { backups_enabled: true, high_availability: true }), 'create'], [bucket('logs'), 'update']], production: true, deltaUsd: 20 })).toEqual([]);
  });
});

describe('a refresh-only plan (Adopt on a cloud): Terraform changes nothing, its apply commits the specs', () => {
  it('GIVEN specs that open a firewall rule and make a bucket public THEN the rules and the tier see them updated; a spec left as deployed stays no-op', async () => {
    const deployed = [firewall('ssh', { source_ranges: ['10.0.0.0/8'] }), bucket('logs'), bucket('kept', { public_access: true })];
    const specs = [firewall('ssh', {}), bucket('logs', { public_access: true }), bucket('kept', { public_access: true })];
    const input = buildPolicyInput({
      planJson: JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: [] }),
      session: { id: 's', project: 'shop', author_id: '1', author_name: 'dan', provider: 'gcp', production: false },
      specs, deployed, refreshOnly: true,
      cost: { before_monthly_micros: micros(0), after_monthly_micros: micros(0), budget_micros: null, threshold_micros: micros(100_000_000) },
    });
    expect(input.resources.map((r) => [r.name, r.action])).toEqual([['ssh', 'update'], ['logs', 'update'], ['kept', 'no-op']]);
    const found = await evaluatePolicies(DEFAULT_RULES, input);
    expect(found.findings.map((f) => `${f.ruleId}:${f.resource}`).sort()).toEqual(['public-bucket:logs', 'world-open-admin-port:ssh']);
    const cost = { before_monthly: micros(0), after_monthly: micros(0), delta_monthly: micros(0), budget: { compliant: true } } as unknown as PlanCost;
    expect(riskTier(input, { toChange: 0, toDestroy: 0 }, found, cost, micros(100_000_000)).tier).toBe('high');
  });
});
