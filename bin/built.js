// The entry points run the JavaScript that `npm run build` emits into dist/ (npm ci builds it through
// `prepare`): no TypeScript compiler in the running process.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The first source changed since its build (a `git pull` without `npm run build`), if any. */
function staleSource(dir = join(ROOT, 'src')) {
  if (!existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const stale = staleSource(path);
      if (stale) return stale;
    } else if (entry.name.endsWith('.ts')) {
      const built = join(ROOT, 'dist', relative(join(ROOT, 'src'), path)).replace(/\.ts$/, '.js');
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs) return relative(ROOT, path);
    }
  }
  return undefined;
}

/** Imports dist/<path>; without a current build, one line saying how to make one instead of running old code or a trace. */
export async function importBuilt(path) {
  const url = new URL(`../dist/${path}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    process.stderr.write(`cloud-engine: dist/${path} is missing; run npm run build (npm ci runs it on install).\n`);
    process.exit(1);
  }
  const stale = staleSource();
  if (stale) {
    process.stderr.write(`cloud-engine: ${stale} changed after dist/ was built; run npm run build.\n`);
    process.exit(1);
  }
  try {
    return await import(url.href);
  } catch (e) {
    // A file the code reads as it loads (the package's price data) missing or unreadable: a broken install, said in one line.
    if (e && typeof e.code === 'string' && typeof e.path === 'string') {
      process.stderr.write(`cloud-engine: cannot read ${relative(ROOT, e.path) || e.path} (${e.code}); the installation is incomplete: reinstall with npm ci.\n`);
      process.exit(1);
    }
    throw e;
  }
}
