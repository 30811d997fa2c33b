/**
 * Runs on the queue: 20 sandbox applies approved at once, taken by 1, 2 and 3 `cloud-engine worker`
 * processes (2 runs at a time each), on a throwaway PostgreSQL server. Reports runs per minute (ratio to
 * one worker, same run), queue latency from approval to Terraform's start (p50/p99), and the CPU each run
 * costs (workers and their Terraform children), from which the scaling on a bigger machine can be computed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { approver, dev, REPO_ROOT, sandboxProject, testApp } from '../helpers/app.js';
import { startThrowawayPostgres } from '../helpers/pgServer.js';
import type { BenchResult } from './stats.bench.js';
import { started } from '../helpers/approval.js';

const RUNS = 20;
const PER_WORKER = 2;
const CLK_TCK = 100;

/** CPU seconds a process and its reaped children (Terraform) used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime, stime, cutime, cstime are fields 14-17 of the whole line (11-14 after the command).
  return [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i]), 0) / CLK_TCK;
}

async function createDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'cloud-engine.js'), 'worker', '--concurrency', String(PER_WORKER)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (out.includes('takes plans and applies')) resolve(child); });
    child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${out}`)));
  });
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function round(adminUrl: string, workers: number): Promise<{ perMinute: number; p50: number; p99: number; cpuPerRun: number }> {
  const url = await createDatabase(adminUrl, `ce_bench_${workers}_${Date.now()}`);
  const env = { DATABASE_URL: url, RUN_QUEUE: 'workers' };
  const t = await testApp({ realClock: true, env });
  const procs: ChildProcess[] = [];
  try {
    // Plans run on the workers too (RUN_QUEUE=workers): they start first; only the applies are measured.
    const workerEnv = { DATABASE_URL: url, TERRAFORM_RUNS_DIR: join(t.dir, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'), LOG_LEVEL: 'error' };
    for (let i = 0; i < workers; i++) procs.push(await startWorker(workerEnv));
    const o = t.app.orchestrator;
    const sessions: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      await sandboxProject(t.app, `bench-${i}`);
      const s = await o.startSession(dev, `bench-${i}`);
      for (const n of ['a', 'b', 'c']) await o.addResource(dev, s.id, { type: 'compute_vm', name: `${n}-${i}`, machine_type: 'small' });
      await o.plan(dev, s.id);
      sessions.push(s.id);
    }
    const cpu0 = procs.reduce((n, p) => n + cpuSeconds(p.pid!), 0);
    const t0 = performance.now();
    const results = await Promise.all(sessions.map(async (id) => {
      const { run } = started(await o.approveAndApply(approver, id));
      for await (const _ of run.lines) { /* relayed, as a thread would */ }
      return run.result;
    }));
    const wallMs = performance.now() - t0;
    const cpu = procs.reduce((n, p) => n + cpuSeconds(p.pid!), 0) - cpu0;
    const failed = results.filter((r) => r.status !== 'succeeded');
    if (failed.length) throw new Error(`${failed.length} of ${RUNS} applies did not succeed: ${failed[0]!.error ?? ''}`);
    const latencies = results.map((r) => Date.parse(r.deployment.terraformStartedAt!) - Date.parse(r.deployment.startedAt));
    return { perMinute: (RUNS / wallMs) * 60_000, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpuPerRun: (cpu / RUNS) * 1000 };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((resolve) => (p.exitCode !== null ? resolve(undefined) : p.once('exit', resolve)))));
    t.cleanup();
  }
}

export async function benchWorkers(): Promise<BenchResult[]> {
  const server = await startThrowawayPostgres();
  try {
    const rounds = [];
    for (const workers of [1, 2, 3]) rounds.push({ workers, ...(await round(server.adminUrl, workers)) });
    const base = rounds[0]!.perMinute;
    const rows: BenchResult[] = [];
    for (const r of rounds) {
      rows.push({ name: `${RUNS} concurrent sandbox applies (3 resources each), ${r.workers} worker(s) × ${PER_WORKER}: runs per minute`, value: Math.round(r.perMinute * 10) / 10, unit: 'runs/min', reference: Math.round(base * 10) / 10, ratio: Math.round((r.perMinute / base) * 100) / 100, note: 'reference: 1 worker, same run' });
      rows.push({ name: `  queue latency, approval → Terraform start, ${r.workers} worker(s)`, value: r.p50, unit: 'ms', note: `p50; p99 ${Math.round(r.p99)} ms` });
      rows.push({ name: `  CPU per run (worker + Terraform), ${r.workers} worker(s)`, value: Math.round(r.cpuPerRun), unit: 'ms', note: 'user + system, from /proc' });
    }
    return rows;
  } finally {
    server.stop();
  }
}
