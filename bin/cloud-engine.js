#!/usr/bin/env node
import { importBuilt } from './built.js';

// `cloud-engine … | head`: the reader leaving is the end of the output, not a crash.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

const { main } = await importBuilt('cli/main.js');
process.exitCode = await main(process.argv.slice(2));
