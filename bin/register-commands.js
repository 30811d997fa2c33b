#!/usr/bin/env node
// Registers Cloud Engine's slash commands (guild-scoped when DISCORD_GUILD_ID is set).
import { register } from 'tsx/esm/api';

register();
const { registerMain } = await import('../src/discord/registerMain.ts');
process.exit(await registerMain());
