import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { StoreCipher } from '../../src/db/cipher.js';
import { PgStore } from '../../src/db/postgres.js';
import { inject } from 'vitest';

/** The test server's admin URL, or '' when the PostgreSQL suites skip (test/postgres.globalSetup.ts says why). */
export const PG_ADMIN_URL = inject('pgAdminUrl');
export const PG_UNAVAILABLE = inject('pgUnavailable');

/** A new, empty database on the test server, for one test or file; its URL. */
export async function freshDatabase(): Promise<string> {
  const name = `ce_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs one statement on a database (what another tool, or an attacker with access, would do). */
export async function onDatabase<T extends pg.QueryResultRow = Record<string, unknown>>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The store at `url` as another process reads it, through the store port, for the length of `fn`. */
export async function withPgStore<T>(url: string, fn: (store: PgStore) => Promise<T>, key?: Buffer): Promise<T> {
  const store = await PgStore.open(url, new StoreCipher({ ...(key ? { current: key } : {}), previous: [] }));
  try {
    return await fn(store);
  } finally {
    await store.end();
  }
}
