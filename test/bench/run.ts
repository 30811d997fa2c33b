import { cpus, totalmem } from 'node:os';
import type { BenchResult } from './stats.bench.js';

/** One command, one table: every benchmark module's rows, each with its same-run reference. */
const SUITES: Array<[string, string, string]> = [
  ['terraform', './terraform.bench.js', 'benchTerraform'],
  ['cost', './cost.bench.js', 'benchCost'],
  ['stats', './stats.bench.js', 'benchStats'],
  ['discord', './discord.bench.js', 'benchDiscord'],
  ['board', './board.bench.js', 'benchBoard'],
  ['startup', './startup.bench.js', 'benchStartup'],
  ['workers', './workers.bench.js', 'benchWorkers'],
  ['policy', './policy.bench.js', 'benchPolicy'],
  ['approve', './approve.bench.js', 'benchApprove'],
];

const fmt = (v: number | undefined, unit = '') => (v === undefined ? '–' : `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${unit ? ` ${unit}` : ''}`);

const only = process.argv.slice(2);
const rows: Array<BenchResult & { suite: string }> = [];
for (const [suite, path, fn] of SUITES) {
  if (only.length && !only.includes(suite)) continue;
  process.stderr.write(`running ${suite}…\n`);
  try {
    const mod = (await import(path)) as Record<string, () => Promise<BenchResult[]>>;
    if (typeof mod[fn] !== 'function') throw new Error(`${path} has no ${fn}()`);
    for (const r of await mod[fn]()) rows.push({ ...r, suite });
  } catch (e) {
    rows.push({ suite, name: `${suite} benchmark failed: ${(e as Error).message.split('\n')[0]}`, value: NaN, unit: '' });
  }
}

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
console.log('| suite | what | this project | reference (same run) | ratio | note |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.suite} | ${r.name} | ${fmt(r.value, r.unit)} | ${fmt(r.reference, r.reference === undefined ? '' : r.unit)} | ${r.ratio === undefined ? '–' : `${r.ratio.toFixed(2)}×`} | ${r.note ?? ''} |`);
}
