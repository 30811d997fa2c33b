#!/usr/bin/env node
// `npm run bench [suite…]`: runs test/bench/*.bench.ts and prints one table.
import { register } from 'tsx/esm/api';

register();
await import('../test/bench/run.ts');
