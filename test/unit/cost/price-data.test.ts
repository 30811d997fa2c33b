import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPriceBook } from '../../../src/cost/index.js';
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

describe('shipped price data is internally consistent (a bad merge or a wrong column shows up here)', () => {
  const book = loadPriceBook(PRICING_DIR);
  const regions = (p: 'aws' | 'azure' | 'gcp') => Object.entries(book[p]!.regions);
  const n = (s: string) => Number(s);

  it('GIVEN any reserved-instance entry THEN 3-year < 1-year < on-demand for that machine in that region', () => {
    const wrong = regions('aws').flatMap(([r, reg]) =>
      Object.entries(reg.commitments ?? {}).filter(([t, c]) => !(n(c.three_year_hourly!) < n(c.one_year_hourly!) && n(c.one_year_hourly!) < n(reg.machines![t]!.hour))).map(([t]) => `${r} ${t}`));
    expect(wrong).toEqual([]);
  });

  it('GIVEN Azure managed-disk tiers THEN a bigger tier of the same type never costs less', () => {
    const wrong = regions('azure').flatMap(([r, reg]) => Object.entries(reg.disk_tiers ?? {}).flatMap(([type, tiers]) => {
      const bySize = Object.entries(tiers).sort(([, a], [, b]) => a.max_gb - b.max_gb);
      return bySize.slice(1).filter(([, t], i) => n(t.month) < n(bySize[i]![1].month)).map(([tier]) => `${r} ${type} ${tier}`);
    }));
    expect(wrong).toEqual([]);
  });

  it('GIVEN any tiered storage price THEN later volume tiers never cost more per GB', () => {
    const wrong = (['aws', 'azure', 'gcp'] as const).flatMap((p) => regions(p).flatMap(([r, reg]) =>
      Object.entries(reg.storage ?? {}).filter(([, s]) => s.tiers.some((t, i) => i > 0 && n(t.gb_month) > n(s.tiers[i - 1]!.gb_month))).map(([k]) => `${p} ${r} ${k}`)));
    expect(wrong).toEqual([]);
  });

  it.each(['aws', 'azure', 'gcp'] as const)('GIVEN %s THEN it offers at least 14 regions, each with its zones and geography, and every invariant below runs over all of them', (p) => {
    expect(regions(p).length).toBeGreaterThanOrEqual(14);
    expect(regions(p).filter(([, reg]) => !reg.geography).map(([r]) => r)).toEqual([]);
    // Azure's westus has no availability zones (its VMs get no zone); every other region lists its zones.
    expect(regions(p).filter(([, reg]) => !reg.zones?.length).map(([r]) => r)).toEqual(p === 'azure' ? ['westus'] : []);
  });

  it('GIVEN HA rates per vCPU and GiB (Cloud SQL) or HA storage THEN they cost more than single-zone', () => {
    const wrong = (['aws', 'azure', 'gcp'] as const).flatMap((p) => regions(p).flatMap(([r, reg]) => [
      ...Object.entries(reg.database_families ?? {}).filter(([, f]) => f.ha && !(n(f.ha.vcpu_hour) > n(f.single.vcpu_hour) && n(f.ha.gib_ram_hour) > n(f.single.gib_ram_hour))).map(([fam]) => `${p} ${r} ${fam}`),
      ...Object.entries(reg.database_storage ?? {}).filter(([, x]) => x.single !== undefined && x.ha !== undefined && !(n(x.ha) > n(x.single))).map(([e]) => `${p} ${r} storage ${e}`),
    ]));
    expect(wrong).toEqual([]);
  });

  it('GIVEN a GCP committed-use discount THEN 3 years saves more than 1 year, and both less than 100%', () => {
    const wrong = regions('gcp').flatMap(([r, reg]) => Object.entries(reg.commitments ?? {})
      .filter(([, c]) => !(n(c.one_year_pct!) > 0 && n(c.three_year_pct!) > n(c.one_year_pct!) && n(c.three_year_pct!) < 100)).map(([f]) => `${r} ${f}`));
    expect(wrong).toEqual([]);
  });

  it('GIVEN a database tier with both prices THEN high availability costs more than a single instance', () => {
    const wrong = (['aws', 'gcp'] as const).flatMap((p) => regions(p).flatMap(([r, reg]) =>
      Object.entries(reg.databases ?? {}).flatMap(([engine, tiers]) =>
        Object.entries(tiers).filter(([, x]) => x.single !== undefined && x.ha !== undefined && !(n(x.ha) > n(x.single))).map(([t]) => `${p} ${r} ${engine} ${t}`))));
    expect(wrong).toEqual([]);
  });
});
