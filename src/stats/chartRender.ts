import { createRequire } from 'node:module';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { Chart, type ChartConfiguration, type ChartItem } from 'chart.js';
import { resourceTypeLabel } from '../domain/resources.js';
import type { DeploymentStatistics } from '../domain/stats.js';
import { shorten, timeBuckets, windowLabel } from './chartData.js';
import { FONT, HEADING_ROOM, INK, MUTED, PIXEL_RATIO, rankingConfig, timeConfig } from './chartPanels.js';

// Sized for Discord, which shows an embed's image about 520 px wide until it is opened: text stays legible there.
const WIDTH = 880;
const HEIGHT = 600;
const MARGIN = 22;
const GAP = 14;
const HEADER = 78;
const TIME_HEIGHT = 264;
const CARD_PADDING = 14;
const CARD_BORDER = '#e4e7eb';
const PAGE = '#f5f7fa';
const LABEL_CHARS = 24;
const PNG_FILTER_NONE = 0x08;

/**
 * Inter, from the package that ships its TTF files: the picture must not depend on the fonts a host
 * happens to have (a container may have none, and canvas then draws no text at all).
 */
function registerFont(): void {
  if (GlobalFonts.has(FONT)) return;
  const require = createRequire(import.meta.url);
  for (const [file, weight] of [['400Regular/Inter_400Regular.ttf', 400], ['700Bold/Inter_700Bold.ttf', 700]] as const) {
    const path = require.resolve(`@expo-google-fonts/inter/${file}`);
    // Each face with its weight: without it the newest face would answer for every weight.
    if (!GlobalFonts.registerFromPath(path, FONT, { weight })) throw new Error(`the chart font ${path} could not be loaded; reinstall with npm ci`);
  }
}

interface Box { x: number; y: number; w: number; h: number }

/** Draws one Chart.js chart on a canvas of its own and copies it into `box` of the page. */
function drawPanel(page: SKRSContext2D, box: Box, config: ChartConfiguration<'bar'>): void {
  const canvas = createCanvas(box.w, box.h);
  canvas.getContext('2d').lang = 'en';
  // Chart.js takes anything with getContext('2d'); @napi-rs/canvas's canvas is one, under another type.
  const chart = new Chart(canvas as unknown as ChartItem, config);
  page.drawImage(canvas, box.x, box.y, box.w, box.h);
  chart.destroy();
}

/** A white card with its heading; returns the area inside it, heading row included (panels leave HEADING_ROOM free). */
function card(page: SKRSContext2D, box: Box, heading: string): Box {
  page.save();
  page.fillStyle = '#ffffff';
  page.strokeStyle = CARD_BORDER;
  page.beginPath();
  page.roundRect(box.x + 0.5, box.y + 0.5, box.w - 1, box.h - 1, 10);
  page.fill();
  page.stroke();
  page.fillStyle = INK;
  page.font = `bold 17px ${FONT}`;
  page.fillText(heading, box.x + CARD_PADDING, box.y + CARD_PADDING + 17);
  page.restore();
  return { x: box.x + CARD_PADDING, y: box.y + CARD_PADDING, w: box.w - 2 * CARD_PADDING, h: box.h - 2 * CARD_PADDING };
}

/** An empty ranking says so in words, not as an empty axis. */
function emptyPanel(page: SKRSContext2D, box: Box): void {
  page.save();
  page.fillStyle = MUTED;
  page.font = `15px ${FONT}`;
  page.textAlign = 'center';
  page.fillText('No deployments in this window', box.x + box.w / 2, box.y + (box.h + HEADING_ROOM) / 2);
  page.restore();
}

/** Title and window on the left; the number of deployments and the success rate on the right. */
function drawHeader(page: SKRSContext2D, s: DeploymentStatistics, scope: string): void {
  page.save();
  page.fillStyle = INK;
  page.font = `bold 28px ${FONT}`;
  page.fillText(`Deployments · last ${s.days === 1 ? 'day' : `${s.days} days`}`, MARGIN, MARGIN + 26);
  page.fillStyle = MUTED;
  page.font = `16px ${FONT}`;
  page.fillText(`${windowLabel(s.per_day)} (UTC) · ${shorten(scope, 40)}`, MARGIN, MARGIN + 52);
  const kpis: Array<[string, string]> = [
    [s.success_rate === null ? 'n/a' : `${s.success_rate}%`, 'success rate'],
    [s.total.toLocaleString('en-US'), s.running ? `deployments, ${s.running} running` : s.total === 1 ? 'deployment' : 'deployments'],
  ];
  let right = WIDTH - MARGIN;
  page.textAlign = 'right';
  for (const [value, label] of kpis) {
    page.fillStyle = INK;
    page.font = `bold 28px ${FONT}`;
    page.fillText(value, right, MARGIN + 26);
    const width = page.measureText(value).width;
    page.fillStyle = MUTED;
    page.font = `14px ${FONT}`;
    page.fillText(label, right, MARGIN + 50);
    right -= Math.max(page.measureText(label).width, width) + 32;
  }
  page.restore();
}

/**
 * The /cloud-stats picture: a header (title, window, deployments, success rate), deployments over time
 * stacked by outcome (succeeded, failed, interrupted), the top authors and the top resource types.
 * `scope` names what was counted ("all guilds", a server's name). Chart.js draws each panel on
 * @napi-rs/canvas, at twice the layout size; the PNG is encoded off the event loop.
 */
export async function drawDeploymentsChart(s: DeploymentStatistics, scope: string): Promise<Buffer> {
  registerFont();
  const page = createCanvas(WIDTH * PIXEL_RATIO, HEIGHT * PIXEL_RATIO);
  const ctx = page.getContext('2d');
  ctx.lang = 'en';
  ctx.scale(PIXEL_RATIO, PIXEL_RATIO);
  ctx.fillStyle = PAGE;
  ctx.fillRect(0, 0, WIDTH, HEIGHT);
  drawHeader(ctx, s, scope);

  const inner = WIDTH - 2 * MARGIN;
  const { unit, buckets } = timeBuckets(s.per_day);
  const totals = { succeeded: s.successful, failed: s.failed, interrupted: s.interrupted };
  drawPanel(ctx, card(ctx, { x: MARGIN, y: MARGIN + HEADER, w: inner, h: TIME_HEIGHT }, `Deployments per ${unit}`), timeConfig(buckets, totals));

  const top = MARGIN + HEADER + TIME_HEIGHT + GAP;
  const column = (inner - GAP) / 2;
  const rankings: Array<[string, Array<{ label: string; count: number }>, 'author' | 'type']> = [
    ['Top authors', s.top_users.map((u) => ({ label: shorten(u.user_name, LABEL_CHARS), count: u.count })), 'author'],
    ['Top resource types', s.top_resource_types.map((t) => ({ label: shorten(resourceTypeLabel(t.type), LABEL_CHARS), count: t.count })), 'type'],
  ];
  rankings.forEach(([heading, rows, kind], i) => {
    const box = card(ctx, { x: MARGIN + i * (column + GAP), y: top, w: column, h: HEIGHT - top - MARGIN }, heading);
    if (rows.length) drawPanel(ctx, box, rankingConfig(rows, kind));
    else emptyPanel(ctx, box);
  });
  // No row filter: flat colours compress as well without one (smaller, even), in under half the time.
  return page.encode('png', { filters: PNG_FILTER_NONE });
}
