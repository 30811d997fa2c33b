/**
 * A store this process cannot write: the data directory (database and workspaces) bind-mounted read-only,
 * as a backup, a read-only volume or an auditor's copy is. Root bypasses file permissions, so only a
 * read-only mount makes this real here (CI runs as root). Reading commands must work and change nothing;
 * every command that changes the store must say in one line that the database cannot be written — no
 * "internal error", no stack trace.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/botProcess.js';
import { runCli } from './helpers/cli.js';

const outside = mkdtempSync(join(tmpdir(), 'ce-readonly-'));
const data = join(outside, 'data');
const env = { DATABASE_PATH: join(data, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(data, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'), LOG_LEVEL: 'warn' };
const resources = join(outside, 'resources.json');
let before = '';

/** Every file under the data directory with a hash of its bytes. */
function snapshot(dir = data): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
    .map((p) => `${p} ${createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16)}`)
    .join('\n');
}

beforeAll(async () => {
  mkdirSync(data);
  writeFileSync(resources, JSON.stringify([{ type: 'compute_vm', name: 'web-1' }, { type: 'storage_bucket', name: 'assets-1' }]));
  for (const args of [['project', 'create', 'books', '--provider', 'sandbox', '--budget', '100'], ['apply', '--project', 'books', '--resources', resources, '--yes', '--accept-risk']]) {
    const r = await runCli(args, env);
    expect(r.code, r.stderr).toBe(0);
  }
  before = snapshot();
  execFileSync('mount', ['--bind', data, data]);
  execFileSync('mount', ['-o', 'remount,ro,bind', data]);
}, 120_000);

afterAll(() => {
  try { execFileSync('umount', [data]); } catch { /* not mounted */ }
  rmSync(outside, { recursive: true, force: true });
});

describe('a read-only store', () => {
  it('GIVEN the data directory mounted read-only THEN project list, state, audit, git log, git diff, stats and export still answer from it', async () => {
    const reads: Array<[string[], RegExp]> = [
      [['project', 'list'], /^books\s+sandbox\s+budget \$100\.00\/month/m],
      [['state', '--project', 'books'], /^Latest state: serial \d+/m],
      [['audit', '--project', 'books', '--limit', '5'], /deployment_completed\s+success\s+local\/books/],
      [['git', 'log', '--project', 'books'], /Deploy 2 resources via session/],
      [['git', 'diff', '--project', 'books', 'HEAD~1', 'HEAD'], /cloud-engine\.json/],
      [['stats'], /total 1: 1 succeeded/],
      [['export', '--project', 'books', '--out', join(outside, 'books.csv')], /Wrote 2 deployed resource\(s\) of books/],
    ];
    for (const [args, says] of reads) {
      const r = await runCli(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(says);
    }
    expect(readFileSync(join(outside, 'books.csv'), 'utf8')).toMatch(/web-1/);
  });

  it('GIVEN the data directory mounted read-only THEN every command that changes the store says the database cannot be written (exit 74), in one line, and nothing changes', async () => {
    const writes = [
      ['plan', '--project', 'books', '--resources', resources],
      ['apply', '--project', 'books', '--resources', resources, '--yes', '--accept-risk'],
      ['project', 'create', 'more', '--provider', 'sandbox', '--budget', '5'],
      ['unlock', '--project', 'books', '--reason', 'maintenance window'],
      ['git', 'tag', '--project', 'books', 'v1'],
      ['git', 'rollback', '--project', 'books', 'HEAD~1'],
    ];
    for (const args of writes) {
      const r = await runCli(args, env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(74);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(/^error: The database at \S+cloud-engine\.db cannot be written: the file system is read-only/);
    }
    // A database still to be created in a directory still to be created, on the read-only mount.
    const elsewhere = { ...env, DATABASE_PATH: join(data, 'new', 'cloud-engine.db') };
    for (const [args, says] of [[['project', 'list'], /There is no database at \S+ yet, and it cannot be created there/], [['plan', '--project', 'books', '--resources', resources], /cannot be written: the file system is read-only/]] as const) {
      const r = await runCli([...args], elsewhere);
      expect(r.code, r.stderr).toBe(74);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(says);
    }
    execFileSync('umount', [data]);
    expect(snapshot()).toBe(before);
  });
});
