import type { GeneratedConfig } from '../terraform/generate/index.js';
import type { CoreDeps } from './deps.js';

/**
 * `terraform init` in a fresh run directory (providers come from the shared plugin cache). Apply passes
 * `readonlyLock`: it must use exactly the provider versions its plan was made with. A configuration
 * that needs no provider (the sandbox: only the built-in terraform_data) has nothing to initialise.
 */
export async function initRun(deps: CoreDeps, dir: string, generated: Pick<GeneratedConfig, 'providerSources'>, opts: { readonlyLock?: boolean; signal?: AbortSignal } = {}): Promise<{ ok: boolean; lines: string[]; timedOut: boolean }> {
  if (!generated.providerSources.length) return { ok: true, lines: [], timedOut: false };
  const args = ['init', '-input=false', '-no-color', ...(opts.readonlyLock ? ['-lockfile=readonly'] : [])];
  const res = await deps.runner.run(args, { cwd: dir, env: { TF_PLUGIN_CACHE_DIR: deps.pluginCacheDir }, ...(opts.signal ? { signal: opts.signal } : {}) });
  return { ok: res.exitCode === 0, lines: res.lines, timedOut: res.timedOut };
}
