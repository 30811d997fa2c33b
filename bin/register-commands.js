#!/usr/bin/env node
// Registers Cloud Engine's slash commands (guild-scoped when DISCORD_GUILD_ID is set).
import { importBuilt } from './built.js';

const { registerMain } = await importBuilt('discord/registerMain.js');
process.exit(await registerMain());
