import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, type ChartConfiguration, type Plugin } from 'chart.js';
import type { Bucket } from './chartData.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend);

/** The family every panel writes in: chart.ts registers it from the bundled font files. */
export const FONT = 'Inter';
export const INK = '#1f2933';
export const MUTED = '#616e7c';
const GRID = '#e4e7eb';

export const OUTCOME_COLORS = { succeeded: '#2f9e44', failed: '#e03131', interrupted: '#f59f00' } as const;
const AUTHOR_COLOR = '#3b5bdb';
const TYPE_COLOR = '#1098ad';

/** Device pixels per canvas pixel: the PNG is drawn at twice its layout size, crisp when Discord zooms it. */
export const PIXEL_RATIO = 2;

/** Settings every panel shares: a still image of exactly its canvas's size (no animation, events or resizing) in our font. */
const still = { animation: false, responsive: false, maintainAspectRatio: false, events: [] as never[], devicePixelRatio: PIXEL_RATIO } as const;

/** Room at the top of a panel for the heading chart.ts writes there (the time panel's legend shares its row). */
export const HEADING_ROOM = 34;
const TEXT = 14;
const legendLabels = { boxWidth: 13, boxHeight: 13, padding: 12, color: INK, font: { family: FONT, size: TEXT } } as const;

/** Stacked bars over time: succeeded, failed and interrupted each their own colour, and a legend entry with the window's total. */
export function timeConfig(buckets: Bucket[], totals: Record<keyof typeof OUTCOME_COLORS, number>): ChartConfiguration<'bar'> {
  const series = (key: keyof typeof OUTCOME_COLORS, label: string) => ({
    label: `${label}  ${totals[key].toLocaleString('en-US')}`, data: buckets.map((b) => b[key]), backgroundColor: OUTCOME_COLORS[key], stack: 'outcome', borderRadius: 2, maxBarThickness: 28, categoryPercentage: 0.8, barPercentage: 0.9,
  });
  return {
    type: 'bar',
    data: { labels: buckets.map((b) => b.label), datasets: [series('succeeded', 'Succeeded'), series('failed', 'Failed'), series('interrupted', 'Interrupted')] },
    options: {
      ...still,
      layout: { padding: { right: 4 } },
      plugins: { legend: { position: 'top', align: 'end', labels: legendLabels } },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { color: MUTED, font: { family: FONT, size: TEXT }, maxRotation: 0, autoSkipPadding: 16 } },
        y: { stacked: true, beginAtZero: true, suggestedMax: 4, grid: { color: GRID }, border: { display: false }, ticks: { precision: 0, color: MUTED, font: { family: FONT, size: TEXT }, maxTicksLimit: 6 } },
      },
    },
  };
}

/** Writes each bar's value just past its end, so a ranking needs no axis to be read. */
const barValues: Plugin<'bar'> = {
  id: 'barValues',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `bold ${TEXT}px ${FONT}`;
    ctx.fillStyle = INK;
    ctx.textBaseline = 'middle';
    chart.getDatasetMeta(0).data.forEach((bar, i) => ctx.fillText(Number(chart.data.datasets[0]!.data[i]).toLocaleString('en-US'), bar.x + 6, bar.y));
    ctx.restore();
  },
};

/** A horizontal ranking (top authors, top resource types): the longest bar leaves room for its value. */
export function rankingConfig(rows: Array<{ label: string; count: number }>, color: 'author' | 'type'): ChartConfiguration<'bar'> {
  const max = Math.max(1, ...rows.map((r) => r.count));
  return {
    type: 'bar',
    data: { labels: rows.map((r) => r.label), datasets: [{ data: rows.map((r) => r.count), backgroundColor: color === 'author' ? AUTHOR_COLOR : TYPE_COLOR, borderRadius: 3, maxBarThickness: 22 }] },
    options: {
      ...still,
      indexAxis: 'y',
      layout: { padding: { top: HEADING_ROOM } },
      plugins: { legend: { display: false } },
      scales: {
        x: { display: false, beginAtZero: true, max: max * 1.2 },
        y: { grid: { display: false }, border: { display: false }, ticks: { color: INK, font: { family: FONT, size: TEXT } } },
      },
    },
    plugins: [barValues],
  };
}
