import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCanvas, GlobalFonts, loadImage } from '@napi-rs/canvas';
import { describe, expect, it } from 'vitest';
import type { DeploymentStatistics } from '../../../src/domain/stats.js';
import { renderDeploymentsChart } from '../../../src/stats/chart.js';
import { FONT, OUTCOME_COLORS } from '../../../src/stats/chartPanels.js';

interface Pixels { width: number; height: number; data: Uint8ClampedArray }

/** Decodes the PNG as a viewer would. */
async function decode(png: Buffer): Promise<Pixels> {
  const image = await loadImage(png);
  const ctx = createCanvas(image.width, image.height).getContext('2d');
  ctx.drawImage(image, 0, 0);
  return { width: image.width, height: image.height, data: ctx.getImageData(0, 0, image.width, image.height).data };
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** Pixels of exactly this colour (bars and legend swatches are solid fills), within rows [top, bottom) when given. */
function count(p: Pixels, hex: string, top = 0, bottom = p.height): number {
  const [r, g, b] = rgb(hex);
  let n = 0;
  for (let i = top * p.width * 4; i < bottom * p.width * 4; i += 4) if (p.data[i] === r && p.data[i + 1] === g && p.data[i + 2] === b) n++;
  return n;
}

/** Pixels at least as dark as text ink, within rows [top, bottom). */
function dark(p: Pixels, top: number, bottom: number): number {
  let n = 0;
  for (let i = top * p.width * 4; i < bottom * p.width * 4; i += 4) if (p.data[i]! < 90 && p.data[i + 1]! < 90 && p.data[i + 2]! < 90) n++;
  return n;
}

const date = (i: number, n: number) => new Date(Date.UTC(2025, 5, 30 - n + 1 + i)).toISOString().slice(0, 10);

function stats(perDay: (i: number) => { succeeded: number; failed: number; interrupted: number }, days = 30, running = 0): DeploymentStatistics {
  const per_day = Array.from({ length: days }, (_, i) => ({ date: date(i, days), ...perDay(i) }));
  const sum = (k: 'succeeded' | 'failed' | 'interrupted') => per_day.reduce((n, d) => n + d[k], 0);
  const finished = sum('succeeded') + sum('failed') + sum('interrupted');
  return {
    days, total: finished + running, successful: sum('succeeded'), failed: sum('failed'), interrupted: sum('interrupted'), running,
    success_rate: finished ? Math.round((sum('succeeded') / finished) * 1000) / 10 : null,
    top_users: finished ? [{ user_id: '1', user_name: 'ann-platform', count: 41 }, { user_id: '2', user_name: 'bob', count: 27 }, { user_id: '3', user_name: 'Жанна Петрова', count: 19 }, { user_id: '4', user_name: 'carol.with.a.very.long.name.indeed', count: 8 }, { user_id: '5', user_name: 'dan', count: 3 }] : [],
    top_resource_types: finished ? [{ type: 'compute_vm', count: 64 }, { type: 'database', count: 31 }, { type: 'storage_bucket', count: 22 }, { type: 'vpc_network', count: 12 }, { type: 'firewall_rule', count: 9 }] : [],
    active_sessions: 3, avg_apply_duration_ms: 83_000, drift: { checks: 0, detected: 0, open: 0 }, per_day,
  };
}

const NONE = () => ({ succeeded: 0, failed: 0, interrupted: 0 });
const HEADER = [0, 190] as const;
const AUTHOR_BLUE = '#3b5bdb';

describe('deployments chart', () => {
  it('GIVEN a month of deployments THEN a PNG with title, window, rates, bars per day and both rankings, written for a person to look at', async () => {
    const month = stats((i) => ({ succeeded: (i * 7) % 9, failed: i % 4 === 0 ? 2 : 0, interrupted: i % 9 === 3 ? 1 : 0 }), 30, 2);
    const started = performance.now();
    const png = await renderDeploymentsChart(month, 'Acme Platform');
    const ms = performance.now() - started;
    writeFileSync(join(tmpdir(), 'cloud-engine-chart.png'), png);
    expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const p = await decode(png);
    expect({ width: p.width, height: p.height }).toEqual({ width: 1760, height: 1200 });
    // Text is written in the bundled font, regular and bold: a host without fonts would leave it blank.
    expect(GlobalFonts.families.find((f) => f.family === FONT)?.styles.map((st) => st.weight).sort()).toEqual([400, 700]);
    expect(dark(p, ...HEADER)).toBeGreaterThan(5000);
    for (const color of Object.values(OUTCOME_COLORS)) expect(count(p, color)).toBeGreaterThan(2000);
    expect(count(p, AUTHOR_BLUE)).toBeGreaterThan(10_000);
    expect(ms).toBeLessThan(5000);
  });

  it('GIVEN only interrupted deployments THEN they are drawn as interrupted (amber), never as failed (red)', async () => {
    const empty = await decode(await renderDeploymentsChart(stats(NONE), 'x'));
    const interrupted = await decode(await renderDeploymentsChart(stats((i) => ({ succeeded: 0, failed: 0, interrupted: i % 2 ? 3 : 0 })), 'x'));
    // The legend's swatches are in both; only the bars differ.
    expect(count(interrupted, OUTCOME_COLORS.interrupted)).toBeGreaterThan(count(empty, OUTCOME_COLORS.interrupted) + 20_000);
    expect(count(interrupted, OUTCOME_COLORS.failed)).toBe(count(empty, OUTCOME_COLORS.failed));
    expect(count(interrupted, OUTCOME_COLORS.succeeded)).toBe(count(empty, OUTCOME_COLORS.succeeded));
  });

  it('GIVEN equal successes and failures every day THEN their stacked segments cover the same area', async () => {
    const p = await decode(await renderDeploymentsChart(stats(() => ({ succeeded: 4, failed: 4, interrupted: 0 })), 'x'));
    const [ok, failed] = [count(p, OUTCOME_COLORS.succeeded), count(p, OUTCOME_COLORS.failed)];
    expect(failed).toBeGreaterThan(20_000);
    expect(Math.abs(ok - failed) / ok).toBeLessThan(0.05);
  });

  it('GIVEN no deployments THEN still a chart, with empty rankings saying so instead of bars', async () => {
    const p = await decode(await renderDeploymentsChart(stats(NONE, 7), 'x'));
    expect(p.width).toBe(1760);
    expect(count(p, AUTHOR_BLUE)).toBe(0);
    expect(dark(p, ...HEADER)).toBeGreaterThan(3000);
  });

  it('GIVEN a whole year THEN weekly bars on a canvas of the same size', async () => {
    const year = await decode(await renderDeploymentsChart(stats((i) => ({ succeeded: i % 7, failed: i % 2, interrupted: 0 }), 366), 'all guilds'));
    expect({ width: year.width, height: year.height }).toEqual({ width: 1760, height: 1200 });
    expect(count(year, OUTCOME_COLORS.succeeded)).toBeGreaterThan(20_000);
  });
});
