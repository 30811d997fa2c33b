import { crc32 as zlibCrc32, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FAILED_COLOR, renderDeploymentsChart, SUCCEEDED_COLOR } from '../../../src/stats/chart.js';
import { crc32, encodePng } from '../../../src/stats/png.js';
import type { DayCount } from '../../../src/domain/stats.js';

interface Png { width: number; height: number; colorType: number; chunks: string[]; pixels: Buffer }

/** Reads a PNG the way a viewer would, checking every CRC with zlib's own implementation. */
function decodePng(png: Buffer): Png {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let ihdr = Buffer.alloc(0);
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(zlibCrc32(png.subarray(at + 4, at + 8 + length)));
    chunks.push(type);
    if (type === 'IHDR') ihdr = Buffer.from(data);
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  return { width: ihdr.readUInt32BE(0), height: ihdr.readUInt32BE(4), colorType: ihdr[9]!, chunks, pixels: inflateSync(Buffer.concat(idat)) };
}

/** How many pixels have exactly this colour (scanlines are 1 filter byte + 3 bytes per pixel). */
function countColor(p: Png, [r, g, b]: readonly number[]): number {
  let n = 0;
  for (let y = 0; y < p.height; y++) {
    const row = y * (p.width * 3 + 1) + 1;
    for (let x = 0; x < p.width; x++) if (p.pixels[row + x * 3] === r && p.pixels[row + x * 3 + 1] === g && p.pixels[row + x * 3 + 2] === b) n++;
  }
  return n;
}

const days = (counts: Array<[number, number]>): DayCount[] =>
  counts.map(([succeeded, failed], i) => ({ date: `2025-06-${String(i + 1).padStart(2, '0')}`, succeeded, failed }));
const LEGEND_SWATCH = 10 * 10;

describe('PNG encoder', () => {
  it('GIVEN bytes THEN its CRC-32 matches zlib', () => {
    const bytes = Buffer.from('IHDR and some data \u00ff', 'latin1');
    expect(crc32(bytes)).toBe(zlibCrc32(bytes));
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('GIVEN a 2×1 image THEN writes IHDR, IDAT, IEND with filter-0 scanlines of RGB pixels', () => {
    const p = decodePng(encodePng(2, 1, Uint8Array.from([255, 0, 0, 0, 0, 255])));
    expect(p).toMatchObject({ width: 2, height: 1, colorType: 2, chunks: ['IHDR', 'IDAT', 'IEND'] });
    expect([...p.pixels]).toEqual([0, 255, 0, 0, 0, 0, 255]);
  });

  it('GIVEN the wrong number of bytes THEN refuses to encode', () => {
    expect(() => encodePng(2, 2, new Uint8Array(3))).toThrow(/expected 12 bytes/);
  });
});

describe('deployments chart', () => {
  it('GIVEN 30 days THEN is a valid PNG whose pixel data is exactly width × height', () => {
    const p = decodePng(renderDeploymentsChart(days(Array.from({ length: 30 }, (_, i) => [i % 5, i % 3] as [number, number]))));
    expect(p.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(p.width).toBeGreaterThan(30);
    expect(p.pixels.length).toBe(p.height * (p.width * 3 + 1));
  });

  it('GIVEN only successes THEN green bars appear and red only in the legend', () => {
    const p = decodePng(renderDeploymentsChart(days([[3, 0], [5, 0]])));
    expect(countColor(p, SUCCEEDED_COLOR)).toBeGreaterThan(LEGEND_SWATCH);
    expect(countColor(p, FAILED_COLOR)).toBe(LEGEND_SWATCH);
  });

  it('GIVEN equal successes and failures THEN the stacked segments are the same size', () => {
    const p = decodePng(renderDeploymentsChart(days([[4, 4], [2, 2]])));
    expect(countColor(p, SUCCEEDED_COLOR) - LEGEND_SWATCH).toBe(countColor(p, FAILED_COLOR) - LEGEND_SWATCH);
    expect(countColor(p, FAILED_COLOR)).toBeGreaterThan(LEGEND_SWATCH);
  });

  it('GIVEN no deployments, or a whole year THEN still renders a chart', () => {
    expect(decodePng(renderDeploymentsChart(days([[0, 0]]))).width).toBeGreaterThan(0);
    const year = Array.from({ length: 366 }, (_, i) => ({ date: new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10), succeeded: i % 7, failed: i % 2 }));
    expect(decodePng(renderDeploymentsChart(year)).width).toBeLessThanOrEqual(800);
  });
});
