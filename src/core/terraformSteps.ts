import type { CoreDeps } from './deps.js';

/**
 * `terraform init` in a fresh run directory (providers come from the shared plugin cache). Apply passes
 * `readonlyLock`: it must use exactly the provider versions its plan was made with.
 */
export async function initRun(deps: CoreDeps, dir: string, opts: { readonlyLock?: boolean; signal?: AbortSignal } = {}): Promise<{ ok: boolean; lines: string[] }> {
  const args = ['init', '-input=false', '-no-color', ...(opts.readonlyLock ? ['-lockfile=readonly'] : [])];
  const res = await deps.runner.run(args, { cwd: dir, env: { TF_PLUGIN_CACHE_DIR: deps.pluginCacheDir }, ...(opts.signal ? { signal: opts.signal } : {}) });
  return { ok: res.exitCode === 0, lines: res.lines };
}
