/**
 * Rules evaluated in the policy worker: findings per resource or per plan, and every way a rule can fail
 * to say yes or no — a loop past its time, a memory bomb, a missing field, a non-boolean, bad syntax —
 * as one rule error naming the rule, while the other rules still run.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { PolicyRule } from '../../../src/domain/policy.js';
import { evaluatePolicies } from '../../../src/policy/evaluate.js';
import type { PolicyInput, ResourceItem } from '../../../src/policy/input.js';
import { REPO_ROOT } from '../../helpers/app.js';

const item = (name: string, type: string, extra: Record<string, unknown> = {}) =>
  ({ type, name, labels: {}, action: 'create', addresses: [`terraform_data.${name}`], stateful: false, world_open: false, port_ranges: [], before: null, ...extra }) as ResourceItem;
const input = (resources: ResourceItem[], delta = 10): PolicyInput => ({
  session: { id: 's', project: 'shop', author_id: '1', author_name: 'dan', provider: 'sandbox', production: false },
  cost: { before_monthly_usd: 0, after_monthly_usd: delta, delta_monthly_usd: delta, budget_usd: null, threshold_usd: 100 },
  resources,
  plan: { terraform_version: '1.11.4', resource_changes: [] },
});
const rule = (id: string, expression: string, extra: Partial<PolicyRule> = {}): PolicyRule =>
  ({ id, level: 'advisory', scope: 'resource', description: `${id} fired`, expression, source: 'policies/test.yaml', ...extra });

const doc = input([item('web', 'compute_vm'), item('db', 'database', { backups_enabled: false }), item('logs', 'storage_bucket', { public_access: true })]);
/** A list of n integers as CEL, and comprehensions nested `depth` deep over it: n^depth steps. */
const list = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(', ')}]`;
const nested = (n: number, depth: number, leaf: string) => {
  const vars = Array.from({ length: depth }, (_, i) => `v${i}`);
  return vars.reduceRight((inner, v) => `${list(n)}.map(${v}, ${inner})`, leaf.replace('VARS', vars.join(' + ')));
};
const LOOP = `${nested(30, 6, 'VARS')}.size() > 0`;
const MEMORY_BOMB = `${nested(100, 3, `${list(100)} + ${list(100)}`)}.size() > 0`;

describe('policy evaluation', () => {
  it('GIVEN resource and plan rules THEN a finding per resource a rule fires on (its spec name) and one per firing plan rule, with level and description', async () => {
    const r = await evaluatePolicies([
      rule('open-bucket', 'resource.type == "storage_bucket" && resource.public_access', { level: 'hard-mandatory' }),
      rule('all-new', 'resource.action == "create"'),
      rule('cheap', 'input.cost.delta_monthly_usd < input.cost.threshold_usd', { scope: 'plan', level: 'soft-mandatory' }),
      rule('never', 'resource.name == "nothing"'),
    ], doc);
    expect(r.ruleErrors).toEqual([]);
    expect(r.findings).toEqual([
      { ruleId: 'open-bucket', level: 'hard-mandatory', resource: 'logs', message: 'open-bucket fired' },
      { ruleId: 'all-new', level: 'advisory', resource: 'web', message: 'all-new fired' },
      { ruleId: 'all-new', level: 'advisory', resource: 'db', message: 'all-new fired' },
      { ruleId: 'all-new', level: 'advisory', resource: 'logs', message: 'all-new fired' },
      { ruleId: 'cheap', level: 'soft-mandatory', resource: null, message: 'cheap fired' },
    ]);
  });

  it('GIVEN a rule reading a field some resources lack THEN an evaluation error naming the rule, the field and each resource it failed on, at its level, and its findings on the others', async () => {
    // An error on one resource must not hide what the rule says of the rest: an override is bound to both.
    const r = await evaluatePolicies([rule('backups', '!resource.backups_enabled', { level: 'soft-mandatory' }), rule('fine', 'resource.name == "db"')], doc);
    const error = (resource: string) => ({ ruleId: 'backups', level: 'soft-mandatory', reason: 'evaluation', detail: 'field not found: backups_enabled', resource });
    expect(r.ruleErrors).toEqual([error('web'), error('logs')]);
    expect(r.findings).toEqual([expect.objectContaining({ ruleId: 'backups', resource: 'db' }), expect.objectContaining({ ruleId: 'fine', resource: 'db' })]);
  });

  it('GIVEN rules that return no boolean or are not CEL THEN not_boolean and syntax errors naming them', async () => {
    const r = await evaluatePolicies([rule('one', '1', { scope: 'plan' }), rule('names', 'resource.name'), rule('broken', 'resource.type == ', { level: 'hard-mandatory' })], doc);
    expect(r.ruleErrors).toEqual([
      { ruleId: 'one', level: 'advisory', reason: 'not_boolean', detail: 'returned int "1", not true or false', resource: null },
      ...['web', 'db', 'logs'].map((name) => ({ ruleId: 'names', level: 'advisory', reason: 'not_boolean', detail: `returned string "${name}", not true or false`, resource: name })),
      { ruleId: 'broken', level: 'hard-mandatory', reason: 'syntax', detail: expect.stringMatching(/^<input>:1:\d+: /), resource: null },
    ]);
  });

  it('GIVEN a rule whose comprehensions loop past its time THEN a timeout error naming it, and the rules after it still run in a fresh worker', async () => {
    const r = await evaluatePolicies([rule('before', 'resource.name == "web"'), rule('loops', LOOP, { scope: 'plan' }), rule('after', 'resource.name == "db"')], doc, { ruleTimeoutMs: 1500 });
    expect(r.ruleErrors).toEqual([{ ruleId: 'loops', level: 'advisory', reason: 'timeout', detail: 'did not finish within 1.5 s', resource: null }]);
    expect(r.findings.map((f) => [f.ruleId, f.resource])).toEqual([['before', 'web'], ['after', 'db']]);
    // The worker that replaced the ended one serves the next evaluation.
    expect((await evaluatePolicies([rule('again', 'resource.name == "logs"')], doc)).findings).toHaveLength(1);
  });

  it('GIVEN a rule that fills memory THEN its worker dies of its heap limit, a memory error names the rule, and this process carries on', async () => {
    const r = await evaluatePolicies([rule('bomb', MEMORY_BOMB, { scope: 'plan', level: 'hard-mandatory' }), rule('after', 'resource.name == "db"')], doc, { ruleTimeoutMs: 60_000 });
    expect(r.ruleErrors).toEqual([{ ruleId: 'bomb', level: 'hard-mandatory', reason: 'memory', detail: expect.stringContaining('memory'), resource: null }]);
    expect(r.findings.map((f) => f.ruleId)).toEqual(['after']);
  });

  it('GIVEN a pack whose rules keep looping THEN once the evaluation budget is spent the rest are timeout errors, not evaluated', async () => {
    const loops = ['a', 'b', 'c', 'd'].map((id) => rule(`loop-${id}`, LOOP, { scope: 'plan' }));
    const r = await evaluatePolicies(loops, doc, { ruleTimeoutMs: 400, budgetMs: 1000 });
    expect(r.ruleErrors.map((e) => [e.ruleId, e.reason])).toEqual([['loop-a', 'timeout'], ['loop-b', 'timeout'], ['loop-c', 'timeout'], ['loop-d', 'timeout']]);
    expect(r.ruleErrors[3]!.detail).toMatch(/^not evaluated: /);
  });

  it('GIVEN evaluations asked at the same time, one with a runaway rule THEN each gets the findings of its own input', async () => {
    const other = input([item('solo', 'database')], 500);
    const rules = [rule('loops', LOOP, { scope: 'plan' }), rule('costly', 'input.cost.delta_monthly_usd > input.cost.threshold_usd', { scope: 'plan' }), rule('named', 'resource.name != ""')];
    const [a, b, c] = await Promise.all([evaluatePolicies(rules, doc, { ruleTimeoutMs: 1500 }), evaluatePolicies(rules.slice(1), other), evaluatePolicies(rules.slice(2), doc)]);
    expect(a.findings.map((f) => f.resource)).toEqual(['web', 'db', 'logs']);
    expect(a.ruleErrors.map((e) => e.ruleId)).toEqual(['loops']);
    expect(b.findings.map((f) => [f.ruleId, f.resource])).toEqual([['costly', null], ['named', 'solo']]);
    expect(c.findings.map((f) => f.resource)).toEqual(['web', 'db', 'logs']);
  });

  it('GIVEN policy tests of a runaway pack queued (anyone who sees a project may run one) THEN a plan’s evaluation waits for the one running, not for every test queued', async () => {
    const runaway = [rule('loops', LOOP, { scope: 'plan' })];
    const done: string[] = [];
    const test = (n: number) => evaluatePolicies(runaway, doc, { ruleTimeoutMs: 800, lane: 'test' }).then(() => done.push(`test-${n}`));
    const tests = [1, 2, 3].map(test);
    const plan = evaluatePolicies([rule('named', 'resource.name == "db"')], doc).then((r) => done.push(`plan-${r.findings.length}`));
    await Promise.all([...tests, plan]);
    expect(done).toEqual(['test-1', 'plan-1', 'test-2', 'test-3']);
  });

  it('GIVEN the compiled build (what bin/ runs) THEN its worker loads, evaluates, and the idle worker does not keep the process alive', async () => {
    const script = `import { evaluatePolicies } from './dist/policy/evaluate.js';
      const input = ${JSON.stringify(doc)};
      const r = await evaluatePolicies([{ id: 'db', level: 'advisory', scope: 'resource', description: 'd', expression: 'resource.type == "database"', source: 'default' }], input);
      console.log(JSON.stringify(r.findings));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO_ROOT, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual([{ ruleId: 'db', level: 'advisory', resource: 'db', message: 'd' }]);
  });
});
