#!/usr/bin/env node
import { importBuilt } from './built.js';

const { main } = await importBuilt('discord/main.js');
process.exit(await main());
