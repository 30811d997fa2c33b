/** Test helper: write generated files to a temp dir and run the real Terraform CLI on them, offline. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, TF_IN_AUTOMATION: '1', TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' };

export function terraform(dir: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.env.TERRAFORM_BIN ?? 'terraform', args, { cwd: dir, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Like terraform() but throws with Terraform's own output when the command fails. */
export function tf(dir: string, ...args: string[]): string {
  const r = terraform(dir, args);
  if (r.code !== 0) throw new Error(`terraform ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

export function writeDir(files: Record<string, string>, dir = mkdtempSync(join(tmpdir(), 'tfgen-'))): string {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export const removeDir = (dir: string) => rmSync(dir, { recursive: true, force: true });

/** Plans into a file and returns `terraform show -json` of it. */
export function planJson(dir: string): PlanJson {
  tf(dir, 'plan', '-input=false', '-no-color', '-out=plan.tfplan');
  return JSON.parse(tf(dir, 'show', '-json', '-no-color', 'plan.tfplan')) as PlanJson;
}

export interface PlanJson {
  resource_changes?: Array<{ address: string; change: { actions: string[]; after: { input?: unknown } | null } }>;
}

/** Planned actions by address, leaving out no-ops. */
export const actions = (plan: PlanJson) =>
  Object.fromEntries(
    (plan.resource_changes ?? []).filter((c) => c.change.actions.join() !== 'no-op').map((c) => [c.address, c.change.actions.join(',')]),
  );
