/**
 * The policy input document, from `terraform show -json` as Terraform 1.11 wrote it for the sandbox
 * (test/fixtures/terraform/plan-update-replace.json: `web` updated with a sensitive token, `db` replaced
 * through a sensitive trigger, `fresh` created, `gone` destroyed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { micros, type Money } from '../../../src/domain/money.js';
import type { ResourceSpec } from '../../../src/domain/resources.js';
import { buildPolicyInput, resourceItems, type PolicyInputArgs } from '../../../src/policy/input.js';
import { parseSpec } from '../../../src/resources/validate.js';

const fixture = readFileSync(new URL('../../fixtures/terraform/plan-update-replace.json', import.meta.url), 'utf8');
const spec = (raw: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...parseSpec('sandbox', raw), ...extra }) as ResourceSpec;
const vm = (name: string) => spec({ type: 'compute_vm', name, machine_type: 'small' });
const database = (name: string) => spec({ type: 'database', name, engine: 'postgres', tier: 'small', storage_gb: 20 });
const bucket = (name: string, extra: Record<string, unknown> = {}) => spec({ type: 'storage_bucket', name, storage_gb: 10 }, extra);
const firewall = (name: string, fields: Record<string, unknown>) => spec({ type: 'firewall_rule', name, direction: 'ingress', protocol: 'tcp', ports: ['22'], source_ranges: ['10.0.0.0/8'], ...fields });

const session = { id: 's-1', project: 'shop', author_id: '42', author_name: 'dan', provider: 'sandbox', production: true };
const cost = { before_monthly_micros: micros(10_000_000), after_monthly_micros: micros(135_500_000), budget_micros: null, threshold_micros: micros(100_000_000) };
const args = (over: Partial<PolicyInputArgs> = {}): PolicyInputArgs => ({
  planJson: fixture, session, cost,
  specs: [database('db'), vm('fresh'), vm('web')],
  deployed: [database('db'), bucket('gone'), vm('web')],
  ...over,
});
const planOf = (changes: Array<[name: string, actions: string[]]>) => JSON.stringify({
  format_version: '1.2', terraform_version: '1.11.4',
  resource_changes: changes.map(([name, actions]) => ({ address: `terraform_data.${name}`, mode: 'managed', type: 'terraform_data', name, change: { actions, before: null, after: null } })),
});
const actions = (a: PolicyInputArgs) => Object.fromEntries(resourceItems(a).map((i) => [i.name, i.action]));

describe('the policy input document', () => {
  it('GIVEN a real plan THEN each resource carries the action Terraform will take on it, and a removed spec is one more item being deleted', () => {
    const input = buildPolicyInput(args());
    expect(input.resources.map((r) => [r.name, r.action, r.addresses])).toEqual([
      ['db', 'replace', ['terraform_data.db']],
      ['fresh', 'create', ['terraform_data.fresh']],
      ['web', 'update', ['terraform_data.web']],
      ['gone', 'delete', ['terraform_data.gone']],
    ]);
    expect(input.resources.find((r) => r.name === 'gone')).toMatchObject({ type: 'storage_bucket', stateful: true, before: { type: 'storage_bucket', name: 'gone' } });
    expect(input.resources.find((r) => r.name === 'fresh')!.before).toBeNull();
  });

  it('GIVEN a spec made of several Terraform resources THEN they decide its action together, and a name that merely starts the same is not one of them', () => {
    const a = (changes: Array<[string, string[]]>) => actions(args({ planJson: planOf(changes), specs: [vm('net'), vm('net-2')], deployed: [] }));
    expect(a([['net', ['create']], ['net_a', ['create']], ['net-2', ['no-op']]])).toEqual({ net: 'create', 'net-2': 'no-op' });
    expect(a([['net', ['no-op']], ['net_a', ['create']]])).toMatchObject({ net: 'update' });
    expect(a([['net', ['no-op']], ['net_a', ['delete']]])).toMatchObject({ net: 'update' });
    expect(a([['net', ['update']], ['net_a', ['create']]])).toMatchObject({ net: 'update' });
    expect(a([['net', ['no-op']], ['net_a', ['delete', 'create']]])).toMatchObject({ net: 'replace' });
    expect(a([['net_a', ['delete']], ['net_b', ['create']]])).toMatchObject({ net: 'replace' });
    expect(a([['net', ['delete']], ['net_a', ['delete']]])).toMatchObject({ net: 'delete' });
    expect(a([])).toEqual({ net: 'no-op', 'net-2': 'no-op' });
  });

  it('GIVEN a spec named like the shared resources of a provider’s configuration (Azure’s resource group main, the default network’s default_<region>) THEN their changes are not its own', () => {
    const plan = (changes: Array<[type: string, name: string, actions: string[]]>) => JSON.stringify({
      format_version: '1.2', terraform_version: '1.11.4',
      resource_changes: changes.map(([type, name, acts]) => ({ address: `${type}.${name}`, mode: 'managed', type, name, change: { actions: acts, before: null, after: null } })),
    });
    const removed = (planJson: string, name: string) => resourceItems({ planJson, specs: [], deployed: [database(name)] }).find((i) => i.name === name)!;
    const aws = plan([['aws_db_instance', 'default', ['delete']], ['aws_security_group', 'default_us-east-1', ['no-op']], ['aws_vpc_security_group_egress_rule', 'default_us-east-1_egress', ['no-op']]]);
    expect(removed(aws, 'default')).toMatchObject({ action: 'delete', addresses: ['aws_db_instance.default'] });
    const azure = plan([['azurerm_postgresql_flexible_server', 'main', ['delete']], ['azurerm_resource_group', 'main', ['no-op']]]);
    expect(removed(azure, 'main')).toMatchObject({ action: 'delete', addresses: ['azurerm_postgresql_flexible_server.main'] });
    // A firewall rule named default keeps its own numbered parts.
    const rule = { ...firewall('default', {}), network: 'default' } as ResourceSpec;
    const items = resourceItems({ planJson: plan([['aws_vpc_security_group_ingress_rule', 'default_0', ['create']], ['aws_security_group', 'default_us-east-1', ['create']]]), specs: [rule], deployed: [] });
    expect(items[0]).toMatchObject({ action: 'create', addresses: ['aws_vpc_security_group_ingress_rule.default_0'] });
  });

  it('GIVEN a spec removed from the session with nothing in the plan for it THEN it is still an item being deleted', () => {
    expect(actions(args({ planJson: planOf([]), specs: [], deployed: [database('old')] }))).toEqual({ old: 'delete' });
  });

  it('GIVEN values Terraform marks sensitive THEN the document holds "(sensitive)" in their place, and in place of their unmarked copies, and no secret anywhere', () => {
    const input = buildPolicyInput(args());
    const change = (address: string) => input.plan.resource_changes.find((c) => c.address === address)!;
    expect(change('terraform_data.db').before).toMatchObject({ triggers_replace: { admin_password: '(sensitive)', engine: 'postgres' } });
    expect(change('terraform_data.db').after).toMatchObject({ triggers_replace: { admin_password: '(sensitive)', engine: 'mysql' } });
    expect(change('terraform_data.web').after).toMatchObject({ input: { token: '(sensitive)', tags: ['a', 'c'], region: 'remote' } });
    // terraform_data copies input to output without the mark: the copy is masked all the same.
    expect(change('terraform_data.web').before).toMatchObject({ input: { token: '(sensitive)' }, output: { token: '(sensitive)', region: 'local' } });
    const text = JSON.stringify(input);
    for (const secret of ['pw-before', 'pw-after', 's3cret']) expect(text).not.toContain(secret);
  });

  it('GIVEN values known only after apply THEN they are null, present under their key', () => {
    const fresh = buildPolicyInput(args()).plan.resource_changes.find((c) => c.address === 'terraform_data.fresh')!;
    expect(fresh.after).toEqual({ id: null, input: { name: 'fresh' }, output: null, triggers_replace: null });
    expect(fresh).toMatchObject({ type: 'terraform_data', name: 'fresh', actions: ['create'], before: null });
  });

  it('GIVEN costs in micro-dollars THEN the document has them in dollars, with the delta, the threshold and a budget of null when there is none', () => {
    const input = buildPolicyInput(args());
    expect(input.cost).toEqual({ before_monthly_usd: 10, after_monthly_usd: 135.5, delta_monthly_usd: 125.5, budget_usd: null, threshold_usd: 100 });
    expect(buildPolicyInput(args({ cost: { ...cost, budget_micros: 250_000_000 as Money } })).cost.budget_usd).toBe(250);
    expect(input.session).toEqual(session);
    expect(input.plan.terraform_version).toBe('1.11.4');
  });

  it('GIVEN specs without labels or public access THEN every item has labels {} and every bucket public_access false; given ones are kept', () => {
    const items = resourceItems(args({ planJson: planOf([]), specs: [vm('va'), bucket('bb'), bucket('bc', { public_access: true, labels: { owner: 'ops' } })], deployed: [] }));
    expect(items.map((i) => i.labels)).toEqual([{}, {}, { owner: 'ops' }]);
    expect(items.map((i) => i.public_access)).toEqual([undefined, false, true]);
  });

  it('GIVEN firewall rules THEN world_open says ingress from anywhere, and port_ranges spells out which ports they cover', () => {
    const items = resourceItems(args({
      planJson: planOf([]), deployed: [],
      specs: [
        firewall('ssh', { ports: ['22', '8000-8080'], source_ranges: ['0.0.0.0/0'] }),
        // The catalog takes IPv4 ranges only today; the document already knows IPv6's anywhere.
        { ...firewall('everything', { protocol: 'all', ports: [] }), source_ranges: ['::/0'] } as ResourceSpec,
        firewall('ping', { protocol: 'icmp', ports: [], source_ranges: ['0.0.0.0/0'] }),
        firewall('inside', { source_ranges: ['10.0.0.0/8'] }),
        firewall('out', { direction: 'egress', source_ranges: ['0.0.0.0/0'] }),
        vm('web'),
      ],
    }));
    expect(items.map((i) => [i.name, i.world_open, i.port_ranges])).toEqual([
      ['ssh', true, [{ from: 22, to: 22 }, { from: 8000, to: 8080 }]],
      ['everything', true, [{ from: 0, to: 65535 }]],
      ['ping', true, []],
      ['inside', false, [{ from: 22, to: 22 }]],
      ['out', false, [{ from: 22, to: 22 }]],
      ['web', false, []],
    ]);
  });

  it('GIVEN ingress from every IPv4 address written another way (a /00 prefix, or halves that together cover it) THEN it is world_open as 0.0.0.0/0 is', () => {
    const items = resourceItems(args({
      planJson: planOf([]), deployed: [],
      specs: [
        firewall('zero-prefix', { source_ranges: ['0.0.0.0/00'] }),
        firewall('halves', { source_ranges: ['128.0.0.0/1', '10.0.0.0/8', '0.0.0.0/1'] }),
        firewall('one-half', { source_ranges: ['0.0.0.0/1'] }),
        firewall('gap', { source_ranges: ['0.0.0.0/1', '128.0.0.0/2', '224.0.0.0/3'] }),
      ],
    }));
    expect(items.map((i) => [i.name, i.world_open])).toEqual([['zero-prefix', true], ['halves', true], ['one-half', false], ['gap', false]]);
  });

  it('GIVEN any plan THEN the document is plain JSON (it crosses to the policy worker unchanged)', () => {
    const input = buildPolicyInput(args());
    expect(JSON.parse(JSON.stringify(input))).toEqual(input);
  });

  it('GIVEN output that is not plan JSON THEN a terraform error, not a crash', () => {
    expect(() => buildPolicyInput(args({ planJson: 'Error: no plan' }))).toThrow(expect.objectContaining({ code: 'terraform' }));
    expect(() => buildPolicyInput(args({ planJson: '{"resource_changes": 3}' }))).toThrow(expect.objectContaining({ code: 'terraform' }));
  });
});
