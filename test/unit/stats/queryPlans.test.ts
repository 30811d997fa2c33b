import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_KEYS } from '../../../src/db/cipher.js';
import { sqliteSql, type Db } from '../../../src/db/database.js';
import { auditPage } from '../../../src/db/auditExport.js';
import { getDeploymentStatistics } from '../../../src/db/stats.js';
import { tempDb } from './seed.js';
import { projectKey } from '../../../src/domain/projects.js';

let db: Db;
let close: () => void;
beforeEach(() => ({ db, close } = tempDb()));
afterEach(() => close());

/**
 * Records every statement `fn` runs with its parameters, then asks SQLite how it would execute
 * each. The plans come from the real schema (001 + 002), so a dropped or unusable index shows here.
 */
async function plansOf(fn: (q: ReturnType<typeof sqliteSql>) => Promise<unknown>): Promise<string[]> {
  const calls: Array<{ sql: string; args: unknown[] }> = [];
  const prepare = db.prepare.bind(db);
  const spy = ((sql: string) => {
    const stmt = prepare(sql);
    return new Proxy(stmt, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, target) as unknown;
        // pluck() answers the statement itself: the spy stands in for it so the run that follows is recorded.
        if (key === 'pluck') return (...args: unknown[]) => { (value as (...a: unknown[]) => unknown).apply(target, args); return receiver; };
        if (key !== 'all' && key !== 'get') return typeof value === 'function' ? value.bind(target) : value;
        return (...args: unknown[]) => { calls.push({ sql, args }); return (value as (...a: unknown[]) => unknown).apply(target, args); };
      },
    });
  }) as Db['prepare'];
  db.prepare = spy;
  try { await fn(sqliteSql(db, NO_KEYS)); } finally { db.prepare = prepare; }
  return calls.flatMap(({ sql, args }) => (prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as Array<{ detail: string }>).map((r) => r.detail));
}

const fullScans = (plans: string[]) => plans.filter((p) => /^SCAN (audit_logs|deployments|d|sessions)\b/.test(p) && !p.includes('COVERING INDEX'));

describe('query plans on the real schema', () => {
  it('GIVEN statistics with and without a guild THEN deployments are reached through an index, never scanned', async () => {
    for (const guild of [undefined, '100000000000000001']) {
      const plans = await plansOf((q) => getDeploymentStatistics(q, guild, 30));
      expect(plans.length).toBeGreaterThan(4);
      expect(fullScans(plans)).toEqual([]);
      expect(plans.some((p) => /SEARCH d USING (COVERING )?INDEX idx_deployments_(started|project)/.test(p))).toBe(true);
    }
  });

  it('GIVEN an audit page filtered by guild, project, user or event THEN an index returns rows in id order with no sort', async () => {
    for (const filter of [{ guildId: 'g' }, { projectId: projectKey('g', 'p') }, { userId: 'u' }, { eventType: 'e' }, { guildId: 'g', projectId: projectKey('g', 'p') }]) {
      const plans = await plansOf((q) => auditPage(q, { ...filter, beforeId: 1000, limit: 50 }));
      expect(plans.join(' | '), JSON.stringify(filter)).toMatch(/SEARCH audit_logs USING INDEX idx_audit_\w+_id \(\w+=\? AND id<\?\)/);
      // A server's page merges two pages of at most `limit` rows (its members', and the operator's and system's on its projects): sorting those is fine, sorting the table is not.
      expect(plans.join(' | ').replace(/SCAN (members|others) \| USE TEMP B-TREE FOR ORDER BY/g, '')).not.toContain('TEMP B-TREE');
    }
  });
});
