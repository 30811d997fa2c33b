/**
 * Upgrading a data directory from before projects belonged to their server, with two processes starting
 * at the same moment (the bot restarting while an operator runs a command): the store is migrated once,
 * and every repository ends up under its server with its history — including a project named like a
 * server, whose old folder is where that server's folder goes.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeLegacyStore } from '../helpers/legacyStore.js';
import { cliDirs, runCli } from './helpers/cli.js';

const GUILD = '111111111111111111';
/** `local` is both a project of GUILD and the server of the CLI's own projects. */
const EXTRA = { local: GUILD, web: 'local', api: 'local', dbx: 'local' };
const TRIES = 6;

describe('two processes starting on an old data directory', () => {
  it(`GIVEN ${TRIES} tries of two CLIs started together on an old store THEN both answer, and every repository is under its server with its history`, async () => {
    for (let i = 1; i <= TRIES; i++) {
      const dirs = cliDirs();
      try {
        writeLegacyStore(dirs.dir, GUILD, 'u', EXTRA);
        const [a, b] = await Promise.all([runCli(['project', 'list'], dirs.env), runCli(['project', 'list'], dirs.env)]);
        expect([a.code, b.code], `try ${i}: ${a.stderr}${b.stderr}`).toEqual([0, 0]);
        expect(a.stdout.split('\n').filter(Boolean)).toHaveLength(5);
        const runs = join(dirs.dir, 'runs');
        for (const key of [`${GUILD}/shop`, `${GUILD}/local`, 'local/web', 'local/api', 'local/dbx']) {
          const log = execFileSync('git', ['-C', join(runs, key), 'log', '--format=%s'], { encoding: 'utf8' }).trim();
          expect(log, `try ${i}: ${key}`).toBe('Deploy 1 resources via session s-old (u)');
        }
        expect(readdirSync(runs).sort(), `try ${i}`).toEqual([GUILD, 'local']);
        expect(existsSync(join(runs, 'local', '.git')), `try ${i}`).toBe(false);
      } finally {
        dirs.cleanup();
      }
    }
  }, 120_000);
});
