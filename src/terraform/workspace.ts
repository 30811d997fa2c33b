import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CoreError } from '../domain/errors.js';
import { projectKeyParts, type ProjectKey } from '../domain/projects.js';
import { newestState } from './tfstate.js';

export const STATE_FILE = 'terraform.tfstate';
export const SPEC_FILE = 'cloud-engine.json';

const keyPath = (key: ProjectKey) => {
  const { guildId, name } = projectKeyParts(key);
  return join(guildId, name);
};

/** The project's workspace, `<runs>/<server>/<name>`, guaranteed to be inside the runs dir. */
export function workspaceDir(runsDir: string, key: ProjectKey): string {
  return join(resolve(runsDir), keyPath(key));
}

const atomicWrite = (path: string, content: string | Buffer) => {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
};

/** Writes the generated files and removes .tf files a previous configuration left behind. */
export function writeConfiguration(dir: string, files: Record<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  for (const name of Object.keys(files)) {
    if (!/^[a-z0-9][a-z0-9_.-]*\.(tf|tf\.json|json)$/.test(name)) throw new Error(`generator produced an unsafe file name: ${name}`);
  }
  for (const old of readdirSync(dir)) {
    if ((old.endsWith('.tf') || old.endsWith('.tf.json')) && !(old in files)) rmSync(join(dir, old));
  }
  for (const [name, content] of Object.entries(files)) atomicWrite(join(dir, name), content);
  return Object.keys(files).sort();
}

const RUNS = '.runs';
const RUN_ID = /^[0-9a-f][0-9a-f-]{7,63}$/;
export const PLAN_FILE = 'plan.tfplan';
export const LOCK_FILE = '.terraform.lock.hcl';
/** Terraform's exit code, written by the run the moment Terraform exits. */
export const EXIT_FILE = 'terraform-exit-code';
/** Where Terraform leaves its state when it cannot write terraform.tfstate, and where we keep one it printed instead. */
export const ERRORED_STATE_FILE = 'errored.tfstate';
export const PRINTED_STATE_FILE = 'printed.tfstate';

/**
 * A run's own directory, `<runs>/.runs/<server>/<name>/<run id>`: no run ever works in another's, and the
 * project's git working tree (`<runs>/<server>/<name>`) is left to the lease holder's commits.
 */
export function runDirFor(runsDir: string, key: ProjectKey, runId: string): string {
  if (!RUN_ID.test(runId)) throw new Error(`unsafe run id: ${runId.slice(0, 70)}`);
  return join(resolve(runsDir), RUNS, keyPath(key), runId);
}

/** Everything a run needs, from the store only: configuration, the state to start from, and for apply the plan and lock file. */
export interface RunMaterial {
  files: Record<string, string>;
  state?: string;
  planBytes?: Buffer;
  lockFile?: string | null;
}

/** Builds the run directory afresh (whatever a crashed run left there is discarded). */
export function materialiseRun(dir: string, m: RunMaterial): void {
  rmSync(dir, { recursive: true, force: true });
  // Only this process's user may read a run directory: it holds the state (and Terraform's raw output) in clear.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeConfiguration(dir, m.files);
  if (m.state !== undefined) writeFileSync(join(dir, STATE_FILE), m.state, { mode: 0o600 });
  if (m.planBytes) writeFileSync(join(dir, PLAN_FILE), m.planBytes);
  if (m.lockFile) writeFileSync(join(dir, LOCK_FILE), m.lockFile);
}

export function removeRunDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A file a run left, or undefined when there is none; anything but a regular file there is refused, naming it. */
export function readRunFile(dir: string, name: string): Buffer | undefined {
  const path = join(dir, name);
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) return undefined;
  if (!stat.isFile()) {
    const what = stat.isDirectory() ? 'a directory' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
    throw new CoreError('storage', `${path} is ${what}, where Terraform writes a file; move it out of the way and try again`);
  }
  return readFileSync(path);
}

/**
 * The newest state a run left: terraform.tfstate, or errored.tfstate / a printed state when Terraform could
 * not write the first. The highest serial wins; when none parses, terraform.tfstate as it is (for the refusal).
 */
export function readStateFile(dir: string): string | undefined {
  return newestState([STATE_FILE, ERRORED_STATE_FILE, PRINTED_STATE_FILE].map((f) => readRunFile(dir, f)?.toString('utf8')));
}

