import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import type { Db } from './database.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations', import.meta.url));

const migrationFiles = (dir: string) => readdirSync(dir).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();

/** Every migration this version knows. */
export const migrationNames = (dir = MIGRATIONS_DIR) => migrationFiles(dir);

/** Migrates a database file that no connection holds yet (a restored store), then closes it. */
export function migrateFile(path: string): void {
  const db = new Database(path);
  try {
    migrate(db);
  } finally {
    db.close();
  }
}

/** Migrations this database lacks, without changing it (a database opened read-only cannot be migrated). */
export function pendingMigrations(db: Db, dir = MIGRATIONS_DIR): string[] {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const done = new Set(table ? (db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]) : []);
  return migrationFiles(dir).filter((f) => !done.has(f));
}

/** Applies every `NNN_name.sql` not yet recorded, in order, each in its own transaction. */
export function migrate(db: Db, dir = MIGRATIONS_DIR): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set(db.prepare('SELECT name FROM schema_migrations').pluck().all() as string[]);
  const files = migrationFiles(dir);
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    // Checked again under the write lock: another process starting at the same moment may have applied it.
    const ran = db.transaction(() => {
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE name = ?').get(file)) return false;
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)').run(file, new Date().toISOString());
      return true;
    }).immediate();
    if (ran) applied.push(file);
  }
  return applied;
}
