import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { CoreError } from '../core/errors.js';
import { sha256 } from './tfstate.js';

export const PROJECT_ID_PATTERN = /^[a-z][a-z0-9-]{2,39}$/;
export const STATE_FILE = 'terraform.tfstate';
export const SPEC_FILE = 'cloud-engine.json';
const INIT_MARKER = join('.terraform', 'cloud-engine-init.json');
const PLAN_DIR = '.plans';

/** The project's workspace, guaranteed to be a direct child of the runs dir. */
export function workspaceDir(runsDir: string, projectId: string): string {
  if (!PROJECT_ID_PATTERN.test(projectId)) throw new CoreError('validation', `project id '${projectId.slice(0, 40)}' must be 3-40 characters: lowercase letters, digits and hyphens, starting with a letter`);
  const root = resolve(runsDir);
  const dir = resolve(root, projectId);
  if (!dir.startsWith(root + sep)) throw new CoreError('validation', `project id '${projectId}' does not name a folder inside the workspace`);
  return dir;
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

/** init is needed when the workspace was never initialised or its provider requirements changed. */
export function initFingerprint(providerSources: string[], versionsTf: string): string {
  return sha256(JSON.stringify({ providerSources: [...providerSources].sort(), versionsTf }));
}

export function needsInit(dir: string, fingerprint: string): boolean {
  const marker = join(dir, INIT_MARKER);
  return !existsSync(marker) || readFileSync(marker, 'utf8') !== fingerprint;
}

export function markInitialised(dir: string, fingerprint: string): void {
  mkdirSync(join(dir, '.terraform'), { recursive: true });
  atomicWrite(join(dir, INIT_MARKER), fingerprint);
}

export function readWorkspaceState(dir: string): string | undefined {
  const path = join(dir, STATE_FILE);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function writeWorkspaceState(dir: string, json: string): void {
  mkdirSync(dir, { recursive: true });
  atomicWrite(join(dir, STATE_FILE), json);
}

export function planFilePath(dir: string, planId: string): string {
  mkdirSync(join(dir, PLAN_DIR), { recursive: true });
  return join(dir, PLAN_DIR, `${planId}.tfplan`);
}

export const fileHash = (path: string) => sha256(readFileSync(path));
