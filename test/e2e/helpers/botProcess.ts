import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Emulator } from '../../emulator/index.js';
import { descendants, isAlive } from './processes.js';

export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PLUGIN_CACHE = join(tmpdir(), 'cloud-engine-test-plugin-cache');

/** The bot as operators run it: `node bin/bot.js`, configured only through its environment. */
export interface BotProcess {
  readonly child: ChildProcess;
  /** stdout + stderr so far (pino JSON lines and any start-up error). */
  output(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** A machine crash: SIGKILL to the bot and every process it started (Terraform included). */
  crash(): Promise<number | null>;
}

export interface BotDirs {
  dir: string;
  env: Record<string, string>;
  cleanup(): void;
}

/** A data directory (database, Terraform workspaces) that survives bot restarts within a test file. */
export function botDirs(emulator: Emulator, guildId: string, extra: Record<string, string> = {}): BotDirs {
  const dir = mkdtempSync(join(tmpdir(), 'ce-bot-e2e-'));
  mkdirSync(PLUGIN_CACHE, { recursive: true });
  const env = {
    DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl, DISCORD_GUILD_ID: guildId,
    DATABASE_PATH: join(dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(dir, 'runs'), TERRAFORM_PLUGIN_CACHE_DIR: PLUGIN_CACHE,
    PRICING_DIR: join(REPO_ROOT, 'pricing'), LOG_LEVEL: 'info', ...extra,
  };
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function startBot(env: Record<string, string>): BotProcess {
  // Its own process group, so a test can crash it together with its Terraform children (crash()).
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/bot.js')], {
    cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    output: () => output,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    crash: async () => {
      if (child.exitCode === null) {
        // Terraform runs in process groups of its own: a machine crash takes those too.
        const all = descendants(child.pid!);
        process.kill(-child.pid!, 'SIGKILL');
        for (const p of all) if (isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');
      }
      return exited;
    },
  };
}

/** Starts the bot and waits until it has registered its commands with the emulator (it is then ready). */
export async function startReadyBot(emulator: Emulator, env: Record<string, string>, timeoutMs = 30_000): Promise<BotProcess> {
  const mark = emulator.calls.length;
  const bot = startBot(env);
  const ready = emulator.waitFor((c) => c.method === 'PUT' && c.path.endsWith('/commands') && emulator.calls.indexOf(c) >= mark, timeoutMs);
  const died = bot.exited.then((code) => new Error(`bot exited with ${code} before it was ready:\n${bot.output()}`));
  const failure = await Promise.race([ready.then(() => undefined), died]);
  if (failure) throw failure;
  return bot;
}
