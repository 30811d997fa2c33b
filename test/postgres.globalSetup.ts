/**
 * A throwaway PostgreSQL server for the suites that test the PostgreSQL store: a fresh cluster in a
 * temporary directory (initdb + pg_ctl, as the postgres user when run as root: PostgreSQL refuses to
 * run as root), listening on a free local port, stopped and removed when the run ends. Each test file
 * creates its own database on it (test/helpers/postgres.ts).
 *
 * CE_TEST_DATABASE_URL names a server to use instead (a URL whose user may CREATE DATABASE). Without
 * either, the PostgreSQL suites skip and say why — except under CI, where no server is a failure.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of the test PostgreSQL server, or '' with `pgUnavailable` saying why. */
    pgAdminUrl: string;
    pgUnavailable: string;
  }
}

const BIN_DIRS = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];

function binary(name: string): string {
  for (const dir of BIN_DIRS) if (existsSync(join(dir, name))) return join(dir, name);
  return name;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function postgresUid(): { uid: number; gid: number } | undefined {
  try {
    const [uid, gid] = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim().split('\n').concat(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid: Number(uid), gid: Number(gid) };
  } catch {
    return undefined;
  }
}

export default async function startPostgres(project: TestProject): Promise<() => void> {
  const given = process.env.CE_TEST_DATABASE_URL;
  if (given) {
    project.provide('pgAdminUrl', given);
    project.provide('pgUnavailable', '');
    return () => undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ce-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  // As root, the cluster belongs to the postgres user; as anyone else, to whoever runs the tests.
  const run = (cmd: string, args: string[]) => (asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe', encoding: 'utf8' }) : execFileSync(cmd, args, { stdio: 'pipe', encoding: 'utf8' }));
  try {
    if (asRoot) {
      const owner = postgresUid();
      if (!owner) throw new Error('running as root, and there is no postgres user to run the server as');
      chmodSync(dir, 0o755);
      chownSync(dir, owner.uid, owner.gid);
    }
    const port = await freePort();
    run(binary('initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    run(binary('pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`, 'start']);
    project.provide('pgAdminUrl', `postgres://postgres@127.0.0.1:${port}/postgres`);
    project.provide('pgUnavailable', '');
  } catch (e) {
    const why = `a throwaway PostgreSQL server could not be started (${((e as { stderr?: string }).stderr || (e as Error).message).trim().slice(0, 300)})`;
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CI) throw new Error(`${why}; under CI the PostgreSQL suites must run`);
    console.warn(`PostgreSQL suites skip: ${why}. Set CE_TEST_DATABASE_URL to run them against a server of your own.`);
    project.provide('pgAdminUrl', '');
    project.provide('pgUnavailable', why);
    return () => undefined;
  }
  return () => {
    try {
      run(binary('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
