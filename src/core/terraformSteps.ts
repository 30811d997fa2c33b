import type { GeneratedConfig } from '../terraform/generate/index.js';
import { initFingerprint, markInitialised, needsInit } from '../terraform/workspace.js';
import type { CoreDeps } from './deps.js';

/** Runs `terraform init` only when the workspace is new or its provider requirements changed. */
export async function ensureInit(deps: CoreDeps, dir: string, generated: GeneratedConfig, signal?: AbortSignal): Promise<{ ok: boolean; ran: boolean; lines: string[] }> {
  const fingerprint = initFingerprint(generated.providerSources, generated.files['versions.tf'] ?? '');
  if (!needsInit(dir, fingerprint)) return { ok: true, ran: false, lines: [] };
  const res = await deps.runner.run(['init', '-input=false', '-no-color'], { cwd: dir, env: { TF_PLUGIN_CACHE_DIR: deps.pluginCacheDir }, ...(signal ? { signal } : {}) });
  if (res.exitCode === 0) markInitialised(dir, fingerprint);
  return { ok: res.exitCode === 0, ran: true, lines: res.lines };
}
