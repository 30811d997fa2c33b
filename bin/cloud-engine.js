#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a fresh `npm ci` needs no build step.
import { register } from 'tsx/esm/api';

// `cloud-engine … | head`: the reader leaving is the end of the output, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
