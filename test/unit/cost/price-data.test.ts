import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRICING_DIR } from './helpers.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every (path, value) leaf of a JSON document. */
function* leaves(v: Json, path: string[] = []): Generator<[string[], Json]> {
  if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) yield* leaves(x, [...path, k]);
  else yield [path, v];
}

const files = readdirSync(PRICING_DIR).filter((f) => f.endsWith('.json'));
const PRICE_KEYS = new Set(['hour', 'gb_month', 'month', 'single', 'ha', 'vcpu_hour', 'gib_ram_hour', 'one_year_hourly', 'three_year_hourly', 'database_backup_gb_month']);

describe.each(files)('shipped price data %s', (file) => {
  const doc = JSON.parse(readFileSync(join(PRICING_DIR, file), 'utf8')) as { fictional: boolean; sources: Array<{ id: string }>; regions: Json };
  const ids = new Set(doc.sources.map((s) => s.id));

  it('GIVEN any price THEN it is not zero (dumps write 0 for a missing row; a missing row must stay unknown)', () => {
    const zeros = [...leaves(doc.regions)].filter(([p, v]) => PRICE_KEYS.has(p[p.length - 1]!) && typeof v === 'string' && Number(v) === 0).map(([p]) => p.join('.'));
    expect(zeros).toEqual([]);
  });

  it('GIVEN any per-entry source reference THEN it names a listed source', () => {
    const dangling = [...leaves(doc.regions)]
      .filter(([p]) => p[p.length - 1] === 'source')
      .flatMap(([p, v]) => String(v).split('; ').filter((id) => !ids.has(id)).map((id) => `${p.join('.')}: ${id}`));
    expect(dangling).toEqual([]);
  });
});
