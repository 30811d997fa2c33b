// The entry points run the JavaScript that `npm run build` emits into dist/ (npm ci builds it through
// `prepare`): no TypeScript compiler in the running process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Imports dist/<path>; without a build, one line saying how to make one instead of a module-not-found trace. */
export async function importBuilt(path) {
  const url = new URL(`../dist/${path}`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    process.stderr.write(`cloud-engine: dist/${path} is missing; run npm run build (npm ci runs it on install).\n`);
    process.exit(1);
  }
  return import(url.href);
}
