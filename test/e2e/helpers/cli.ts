import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latestState } from '../../../src/db/states.js';
import { REPO_ROOT, SHARED_PLUGIN_CACHE } from '../../helpers/app.js';
import type { DbReader } from './db.js';
import { createdIn, type TfState } from './until.js';

const BIN = join(REPO_ROOT, 'bin', 'cloud-engine.js');

/** `cloud-engine …` as an operator runs it, in its own process group (so a test can stop it with its Terraform). */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  mkdirSync(SHARED_PLUGIN_CACHE, { recursive: true });
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE, ...env },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawnCli(args, env);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** A data directory shared by every process of a test: database, workspaces, resources files. */
export function cliDirs(extra: Record<string, string> = {}): { dir: string; env: Record<string, string>; file(name: string, resources: object[]): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ce-procs-'));
  const env = { DATABASE_PATH: join(dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(dir, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'), LOG_LEVEL: 'warn', ...extra };
  return {
    dir, env,
    file: (name, resources) => {
      const path = join(dir, `${name}.json`);
      writeFileSync(path, JSON.stringify(resources));
      return path;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Sandbox projects created through the CLI, as an operator would. */
export async function createProjects(env: Record<string, string>, projects: string[]): Promise<void> {
  for (const project of projects) {
    const r = await runCli(['project', 'create', project, '--provider', 'sandbox', '--budget', '100000'], env);
    if (r.code !== 0) throw new Error(`project create ${project} failed: ${r.stderr}`);
  }
}

/** Spec names of a resources list, sorted, to compare with what the store holds. */
export const specNames = (resources: object[]) => resources.map((r) => String((r as { name: string }).name)).sort();

/** Resources Terraform reported created in a run's streamed output. */
export const createdInOutput = (out: string) => [...out.matchAll(/^terraform_data\.([\w-]+): Creation complete/gm)].map((m) => m[1]!).sort();

/** What a project holds in the store: the resources of its latest saved state, and its deployed configuration. */
export function projectView(db: DbReader) {
  return {
    saved: async (project: string) => {
      const state = (await latestState(db.sql, db.key(project)));
      return state ? createdIn(JSON.parse(state.stateJson) as TfState).sort() : [];
    },
    deployed: (project: string) => db.rows<{ name: string }>('SELECT name FROM deployed_resources WHERE project_id = ? ORDER BY name', db.key(project)).map((r) => r.name),
  };
}
