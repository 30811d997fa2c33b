/**
 * What the shipped entry points cost before they do any work: the bot's memory once it is ready and
 * idle (against a minimal discord.js client on the same emulator), and the wall time of one CLI command
 * from `node bin/cloud-engine.js` to exit (against a bare `node -e 0`). Both sides run in this process's run.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { botDirs, REPO_ROOT, startReadyBot } from '../e2e/helpers/botProcess.js';
import { round, rssMb, startPingBot } from './discord.bench.js';
import type { BenchResult } from './stats.bench.js';

/** Long enough for start-up garbage to be collected and the gateway to settle into heartbeats. */
const IDLE_MS = 5_000;
const RUNS = 15;

async function rssWhenIdle(start: (emulator: Emulator) => Promise<{ pid: number; stop(): Promise<unknown> }>): Promise<number> {
  const emulator = await startEmulator();
  const running = await start(emulator);
  try {
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return rssMb(running.pid);
  } finally {
    await running.stop();
    await emulator.close();
  }
}

const stopChild = (child: ChildProcess) => new Promise((resolve) => (child.exitCode === null ? (child.once('exit', resolve), child.kill('SIGTERM')) : resolve(undefined)));

async function botIdleRss(): Promise<{ bot: number; client: number }> {
  const bot = await rssWhenIdle(async (emulator) => {
    const dirs = botDirs(emulator, emulator.state.guildByName('Emulated Guild').id, { LOG_LEVEL: 'warn' });
    const p = await startReadyBot(emulator, dirs.env, 60_000);
    return { pid: p.child.pid!, stop: async () => (await p.stop(), dirs.cleanup()) };
  });
  const client = await rssWhenIdle(async (emulator) => {
    const child = await startPingBot(emulator);
    return { pid: child.pid!, stop: () => stopChild(child) };
  });
  return { bot, client };
}

/** Median wall time in milliseconds of `node <args>` run to exit, after one warm-up run (page cache, migrations). */
function medianRun(args: string[], env: Record<string, string> = {}): number {
  const once = () => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return performance.now() - t;
  };
  once();
  const times = Array.from({ length: RUNS }, once).sort((a, b) => a - b);
  return round(times[Math.floor(RUNS / 2)]!);
}

function cliStartup(): { bare: number; help: number; list: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ce-bench-cli-'));
  try {
    const bin = join(REPO_ROOT, 'bin', 'cloud-engine.js');
    const env = { DATABASE_PATH: join(dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(dir, 'runs') };
    return { bare: medianRun(['-e', '0']), help: medianRun([bin, '--help']), list: medianRun([bin, 'project', 'list'], env) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchStartup(): Promise<BenchResult[]> {
  const rss = await botIdleRss();
  const cli = cliStartup();
  const vsBare = (name: string, value: number, note: string): BenchResult => ({ name, value, unit: 'ms', reference: cli.bare, ratio: round(value / cli.bare, 2), note });
  return [
    { name: `bot RSS idle (${IDLE_MS / 1000} s after ready)`, value: round(rss.bot), unit: 'MB', reference: round(rss.client), ratio: round(rss.bot / rss.client, 2), note: 'reference = a minimal discord.js client (Guilds intent) on the same emulator, also idle' },
    vsBare('cloud-engine --help (wall, to exit)', cli.help, `median of ${RUNS}; reference = bare \`node -e 0\``),
    vsBare('cloud-engine project list (wall, to exit)', cli.list, `median of ${RUNS}; opens the database and checks its migrations`),
  ];
}
