/**
 * Policy evaluation of the default pack on a 200-resource plan: a real sandbox plan (Terraform's own
 * `show -json`), made once here — 200 mixed resources applied, then a session that updates, replaces,
 * destroys and adds some of them, with public buckets, world-open firewall rules and unlabelled
 * resources among them, so every rule has work. Measured: the evaluation as the bot runs it (in the
 * policy worker) against the same rules evaluated in this thread (no worker, no time limit); and
 * building the input document against parsing the plan JSON alone.
 */
import { micros } from '../../src/domain/money.js';
import type { ResourceSpec } from '../../src/domain/resources.js';
import { evaluateRule } from '../../src/policy/cel.js';
import { DEFAULT_RULES } from '../../src/policy/defaultPack.js';
import { evaluatePolicies } from '../../src/policy/evaluate.js';
import { buildPolicyInput, type PolicyInputArgs } from '../../src/policy/input.js';
import { parseSpec } from '../../src/resources/validate.js';
import { generateConfiguration } from '../../src/terraform/generate/index.js';
import { removeDir, tf, writeDir } from '../unit/terraform-generate/terraform.js';
import { median, type BenchResult } from './stats.bench.js';

const N = 200;
const RUNS = 31;

function specAt(i: number, changed: boolean): ResourceSpec {
  const name = `r-${i}`;
  const labels = i % 3 === 0 ? {} : { labels: { owner: 'ops', environment: 'prod' } };
  const raw = [
    { type: 'compute_vm', name, machine_type: changed ? 'medium' : 'small' },
    { type: 'database', name, engine: changed ? 'mysql' : 'postgres', tier: 'small', storage_gb: 20, backups_enabled: i % 4 !== 0 },
    { type: 'storage_bucket', name, storage_gb: 10 },
    { type: 'firewall_rule', name, ports: i % 2 ? ['22', '8000-8080'] : ['5432'], source_ranges: i % 4 === 3 ? ['0.0.0.0/0'] : ['10.0.0.0/8'] },
    { type: 'vpc_network', name, dns_enabled: !changed },
  ][i % 5]!;
  return { ...parseSpec('sandbox', raw), ...labels, ...(raw.type === 'storage_bucket' ? { public_access: i % 10 === 2 } : {}) } as ResourceSpec;
}

/** 200 deployed; the session changes one in five (a database's engine change replaces it), drops one in twenty, adds 10. */
const DEPLOYED = Array.from({ length: N }, (_, i) => specAt(i, false));
const SESSION = [
  ...DEPLOYED.map((s, i) => (i % 10 === 1 || i % 10 === 6 ? specAt(i, true) : s)).filter((_, i) => i % 20 !== 7),
  ...Array.from({ length: 10 }, (_, k) => specAt(N + k, false)),
];

function realPlanJson(): string {
  const dir = writeDir({});
  const write = (specs: ResourceSpec[]) => writeDir(generateConfiguration('sandbox', specs, { project: 'bench' }).files, dir);
  try {
    write(DEPLOYED);
    tf(dir, 'init', '-input=false', '-no-color');
    tf(dir, 'apply', '-input=false', '-no-color', '-auto-approve', '-parallelism=50');
    write(SESSION);
    tf(dir, 'plan', '-input=false', '-no-color', '-out=plan.tfplan');
    return tf(dir, 'show', '-json', '-no-color', 'plan.tfplan');
  } finally {
    removeDir(dir);
  }
}

export async function benchPolicy(): Promise<BenchResult[]> {
  const planJson = realPlanJson();
  const args: PolicyInputArgs = {
    planJson, specs: SESSION, deployed: DEPLOYED,
    session: { id: 'bench', project: 'bench', author_id: '1', author_name: 'bench', provider: 'sandbox', production: true },
    cost: { before_monthly_micros: micros(900_000_000), after_monthly_micros: micros(1_050_000_000), budget_micros: null, threshold_micros: micros(100_000_000) },
  };
  const input = buildPolicyInput(args);
  const sample = await evaluatePolicies(DEFAULT_RULES, input);
  if (sample.ruleErrors.length) throw new Error(`the default pack errs on the bench plan: ${JSON.stringify(sample.ruleErrors[0])}`);
  const inWorker = await median(() => evaluatePolicies(DEFAULT_RULES, input), RUNS);
  const inThread = await median(() => DEFAULT_RULES.map((r) => evaluateRule(r, input)), RUNS);
  const build = await median(() => buildPolicyInput(args), RUNS);
  const parse = await median(() => JSON.parse(planJson), RUNS);
  const kb = Math.round(planJson.length / 1024);
  return [
    {
      name: `default pack (${DEFAULT_RULES.length} rules) on a real ${N}-resource sandbox plan, in the policy worker (vs the same rules in this thread)`,
      value: inWorker, unit: 'ms', reference: inThread, ratio: inWorker / inThread,
      note: `median of ${RUNS}; ${input.resources.length} items, ${sample.findings.length} findings; target < 50 ms`,
    },
    {
      name: `  building the policy input from that plan (vs JSON.parse of its ${kb} KB)`,
      value: build, unit: 'ms', reference: parse, ratio: build / parse,
      note: `median of ${RUNS}; masking, item actions, schema check`,
    },
  ];
}
