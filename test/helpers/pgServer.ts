/**
 * A throwaway PostgreSQL server: a fresh cluster in a temporary directory (initdb + pg_ctl, as the
 * postgres user when run as root: PostgreSQL refuses to run as root), listening on a free local port.
 * Used by the test setup and by `npm run bench`.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

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

export interface PostgresServer {
  /** A URL as the postgres superuser, to create databases with. */
  adminUrl: string;
  stop(): void;
}

/** Starts one; throws saying why it could not (no binaries, no postgres user, a port or disk problem). */
export async function startThrowawayPostgres(): Promise<PostgresServer> {
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
    return {
      adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
      stop: () => {
        try {
          run(binary('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(((e as { stderr?: string }).stderr || (e as Error).message).trim().slice(0, 300));
  }
}
