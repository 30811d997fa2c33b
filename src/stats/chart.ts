import { Raster, type Rgb } from './raster.js';
import type { DayCount } from '../domain/stats.js';

const WHITE: Rgb = [255, 255, 255];
const AXIS: Rgb = [60, 60, 60];
const GRID: Rgb = [225, 225, 225];
const TEXT: Rgb = [40, 40, 40];
export const SUCCEEDED_COLOR: Rgb = [46, 158, 68];
export const FAILED_COLOR: Rgb = [214, 69, 69];

const LEFT = 48;
const RIGHT = 16;
const TOP = 36;
const PLOT_HEIGHT = 180;
const BOTTOM = 40;
const MAX_PLOT_WIDTH = 720;

/** A round step (1, 2 or 5 × 10^k) so that about four gridlines cover `max`. */
function tickStep(max: number): number {
  const rough = Math.max(1, max / 4);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  return Math.max(1, Math.round(step));
}

interface Layout { slot: number; bar: number; width: number; height: number; top: number; step: number; baseline: number }

function layout(perDay: DayCount[]): Layout {
  const slot = Math.max(2, Math.min(40, Math.floor(MAX_PLOT_WIDTH / Math.max(1, perDay.length))));
  const max = Math.max(1, ...perDay.map((d) => d.succeeded + d.failed));
  const step = tickStep(max);
  const width = Math.max(320, LEFT + slot * perDay.length + RIGHT);
  return { slot, bar: Math.max(1, slot - Math.max(1, Math.floor(slot / 4))), width, height: TOP + PLOT_HEIGHT + BOTTOM, top: Math.ceil(max / step) * step, step, baseline: TOP + PLOT_HEIGHT };
}

function drawAxes(r: Raster, l: Layout, days: number): void {
  for (let v = 0; v <= l.top; v += l.step) {
    const y = l.baseline - (v / l.top) * PLOT_HEIGHT;
    r.rect(LEFT, y, l.slot * days, 1, v === 0 ? AXIS : GRID);
    const label = String(v);
    r.text(LEFT - 6 - Raster.textWidth(label), y - Raster.textHeight() / 2, label, TEXT);
  }
  r.rect(LEFT - 1, TOP - 4, 1, PLOT_HEIGHT + 4, AXIS);
}

function drawBars(r: Raster, l: Layout, perDay: DayCount[]): void {
  const labelEvery = Math.ceil((Raster.textWidth('00-00') + 8) / l.slot);
  perDay.forEach((d, i) => {
    const x = LEFT + i * l.slot + Math.floor((l.slot - l.bar) / 2);
    const ok = (d.succeeded / l.top) * PLOT_HEIGHT;
    const bad = (d.failed / l.top) * PLOT_HEIGHT;
    r.rect(x, l.baseline - ok, l.bar, ok, SUCCEEDED_COLOR);
    r.rect(x, l.baseline - ok - bad, l.bar, bad, FAILED_COLOR);
    const fromEnd = perDay.length - 1 - i;
    r.rect(x + Math.floor(l.bar / 2), l.baseline + 1, 1, fromEnd % labelEvery === 0 ? 6 : 3, AXIS);
    // Label from the newest day backwards so today always has its date.
    if (fromEnd % labelEvery === 0) {
      const label = d.date.slice(5);
      r.text(Math.min(l.width - Raster.textWidth(label) - 2, Math.max(2, x + l.bar / 2 - Raster.textWidth(label) / 2)), l.baseline + 10, label, TEXT);
    }
  });
}

function drawLegend(r: Raster): void {
  let x = LEFT;
  for (const [label, color] of [['succeeded', SUCCEEDED_COLOR], ['failed', FAILED_COLOR]] as const) {
    r.rect(x, 12, 10, 10, color);
    r.text(x + 16, 12, label, TEXT);
    x += 16 + Raster.textWidth(label) + 20;
  }
}

/** Stacked daily bars (succeeded green, failed red) with a count axis, date labels and a legend, as a PNG. */
export function renderDeploymentsChart(perDay: DayCount[]): Buffer {
  const l = layout(perDay);
  const r = new Raster(l.width, l.height, WHITE);
  drawAxes(r, l, perDay.length);
  drawBars(r, l, perDay);
  drawLegend(r);
  return r.toPng();
}
