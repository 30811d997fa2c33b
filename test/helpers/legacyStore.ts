import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/db/database.js';
import { MIGRATIONS_DIR, migrate, migrationNames } from '../../src/db/migrate.js';

/** A repository as an older version kept it, at `<runs>/<name>`, with one commit. */
export function legacyRepo(runsDir: string, name: string, message = `Deploy 1 resources via session s-old (u)`): string {
  const repo = join(runsDir, name);
  mkdirSync(repo, { recursive: true });
  execFileSync('git', ['-C', repo, 'init', '-q', '--initial-branch=main']);
  execFileSync('git', ['-C', repo, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-q', '--allow-empty', '-m', message]);
  return repo;
}

/**
 * A data directory as version 004 left it, before projects belonged to their server: `cloud-engine.db`
 * keyed by bare names and repositories at `runs/<name>`. Project `shop` of `guild` has a member `adminId`,
 * a planned session holding the lock, state serial 3 and an audit row; `extra` adds projects (name →
 * server id, stored as given), each with a repository too.
 */
export function writeLegacyStore(dir: string, guild: string, adminId: string, extra: Record<string, string> = {}): void {
  const old = join(dir, 'migrations-004');
  mkdirSync(old, { recursive: true });
  for (const f of migrationNames().filter((n) => n < '005')) copyFileSync(join(MIGRATIONS_DIR, f), join(old, f));
  const db = openDatabase(join(dir, 'cloud-engine.db'));
  try {
    migrate(db, old);
    const at = '2026-11-01T00:00:00.000Z';
    const project = db.prepare("INSERT INTO projects (id, guild_id, default_provider, budget_limit_micros, settings, created_by, created_at) VALUES (?, ?, 'sandbox', 1000000000, '{}', 'u', ?)");
    project.run('shop', guild, at);
    for (const [name, server] of Object.entries(extra)) project.run(name, server, at);
    db.prepare("INSERT INTO project_members (project_id, user_id, role, granted_by, granted_at) VALUES ('shop', ?, 'admin', 'u', ?)").run(adminId, at);
    db.prepare("INSERT INTO sessions (id, project_id, guild_id, user_id, user_name, provider, state, created_at, updated_at, expires_at) VALUES ('s-old', 'shop', ?, 'u', 'u', 'sandbox', 'PLANNED', ?, ?, ?)").run(guild, at, at, '2099-01-01T00:00:00.000Z');
    const state = JSON.stringify({ version: 4, serial: 3, lineage: 'lin-1', resources: [] });
    db.prepare("INSERT INTO terraform_states (project_id, session_id, serial, lineage, checksum, state_json, created_at) VALUES ('shop', 's-old', 3, 'lin-1', ?, ?, ?)")
      .run(createHash('sha256').update(state).digest('hex'), state, at);
    db.prepare("INSERT INTO locks (project_id, session_id, user_id, acquired_at, fence, expires_at) VALUES ('shop', 's-old', 'u', ?, 7, '2099-01-01T00:00:00.000Z')").run(at);
    db.prepare("INSERT INTO audit_logs (timestamp, event_type, guild_id, project_id, action, status) VALUES (?, 'project_created', ?, 'shop', 'create_project', 'success')").run(at, guild);
  } finally {
    db.close();
  }
  for (const name of ['shop', ...Object.keys(extra)]) legacyRepo(join(dir, 'runs'), name);
}
