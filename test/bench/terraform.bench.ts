import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec } from '../../src/resources/validate.js';
import { generateConfiguration } from '../../src/terraform/generate/index.js';
import { materialiseRun } from '../../src/terraform/workspace.js';
import { admin, approver, dev, sandboxProject, testApp } from '../helpers/app.js';
import type { BenchResult } from './stats.bench.js';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' };
const tf = (dir: string, ...args: string[]) => execFileSync('terraform', args, { cwd: dir, env, stdio: 'pipe' });

const specsFor = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'compute_vm', name: `vm-${i}`, machine_type: 'small' }));

/** Bare Terraform on the very files a session generates: init, plan -out, show -json, apply. */
function bare(n: number): { full: number; replan: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ce-bench-bare-'));
  try {
    const specs = specsFor(n).map((s) => parseSpec('sandbox', s));
    for (const [name, content] of Object.entries(generateConfiguration('sandbox', specs, { project: 'bench' }).files)) writeFileSync(join(dir, name), content);
    const t0 = process.hrtime.bigint();
    tf(dir, 'init', '-input=false', '-no-color');
    tf(dir, 'plan', '-input=false', '-no-color', '-out=p.tfplan');
    tf(dir, 'show', '-json', 'p.tfplan');
    tf(dir, 'apply', '-input=false', '-no-color', 'p.tfplan');
    const full = ms(t0);
    const t1 = process.hrtime.bigint();
    tf(dir, 'plan', '-input=false', '-no-color', '-out=q.tfplan');
    tf(dir, 'show', '-json', 'q.tfplan');
    return { full, replan: ms(t1) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same work through the orchestrator: session, plan, approve, apply, state version, git commit, audit. */
async function ours(n: number): Promise<{ full: number; replan: number; init: number }> {
  const t = await testApp({ realClock: true });
  try {
    await sandboxProject(t.app, 'bench', 1_000_000);
    const o = t.app.orchestrator;
    const t0 = process.hrtime.bigint();
    const s = await o.startSession(dev, 'bench');
    for (const spec of specsFor(n)) await o.addResource(dev, s.id, spec);
    await o.plan(dev, s.id);
    await o.approve(approver, s.id);
    const run = await o.apply(s.id, approver.userName);
    for await (const _ of run.lines) { /* streamed to nobody */ }
    if ((await run.result).status !== 'succeeded') throw new Error('bench apply failed');
    const full = ms(t0);
    const s2 = await o.startSession(admin, 'bench');
    const t1 = process.hrtime.bigint();
    await o.plan(admin, s2.id);
    const replan = ms(t1);
    await o.cancel(admin, s2.id);
    return { full, replan, init: runDirectoryCost(t.dir, n) };
  } finally {
    t.cleanup();
  }
}

/**
 * What a run directory costs each run: building it from the store (configuration and state written)
 * plus `terraform init` in it, median of 5, measured in a directory of the bench's own data dir.
 */
function runDirectoryCost(base: string, n: number): number {
  const specs = specsFor(n).map((s) => parseSpec('sandbox', s));
  const files = generateConfiguration('sandbox', specs, { project: 'bench' }).files;
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const dir = join(base, `run-cost-${i}`);
    const t0 = process.hrtime.bigint();
    materialiseRun(dir, { files, state: '{"version":4,"serial":1,"lineage":"bench","resources":[]}' });
    // What a configuration with providers pays; the sandbox's own runs skip init (nothing to initialise).
    tf(dir, 'init', '-input=false', '-no-color');
    times.push(ms(t0));
    rmSync(dir, { recursive: true, force: true });
  }
  return times.sort((a, b) => a - b)[2]!;
}

export async function benchTerraform(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const n of [20, 200]) {
    const b = bare(n);
    const o = await ours(n);
    out.push({ name: `session ${n} sandbox resources: add → plan → approve → apply (vs bare terraform init/plan/show/apply)`, value: o.full, unit: 'ms', reference: b.full, ratio: o.full / b.full });
    if (n === 20) {
      out.push({ name: 're-plan of an unchanged project, in a fresh run directory (vs bare terraform plan + show in a warm one)', value: o.replan, unit: 'ms', reference: b.replan, ratio: o.replan / b.replan, note: 'includes building the run directory (the sandbox needs no init)' });
    }
    out.push({ name: `  run directory for ${n} resources: build from the store + terraform init, per run`, value: o.init, unit: 'ms', note: 'median of 5; what every plan and apply pays with providers (init links them from the plugin cache); sandbox skips init' });
  }
  return out;
}
