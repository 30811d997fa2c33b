#!/usr/bin/env node
// The bot is TypeScript run through tsx, so a fresh `npm ci` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/discord/main.ts');
process.exit(await main());
