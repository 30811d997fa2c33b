import { resolve } from 'node:path';
import { CostEstimator, loadPriceBook, type DeploymentEstimate, type ResourceEstimate } from '../../cost/index.js';
import { formatUsd, hourlyOf, HOURS_PER_MONTH, sumMoney } from '../../domain/money.js';
import { withDollars } from '../dollars.js';
import { parseFlags } from '../args.js';
import { renderCliError } from '../errors.js';
import { parseResources, readResourcesJson } from '../resourcesFile.js';
import type { CliCommand } from '../types.js';

const usage = 'cloud-engine estimate <file.json> [--json] [--pricing-dir <dir>]   (file: [{provider, type, name, region?, …fields}])';

const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
const notes = (r: ResourceEstimate) => (r.price_unknown ? `price unknown: ${r.price_unknown}` : r.warnings[0] ?? '');

/** Plain-text table: one row per resource, the total, then every recommendation with its saving. */
export function renderEstimateTable(d: DeploymentEstimate): string {
  const rows = [`${pad('NAME', 24)} ${pad('TYPE', 15)} ${pad('REGION', 14)} ${'HOURLY'.padStart(10)} ${'MONTHLY'.padStart(12)}  NOTES`];
  for (const r of d.resources) {
    rows.push(`${pad(r.name, 24)} ${pad(r.type, 15)} ${pad(r.region, 14)} ${formatUsd(r.hourly).padStart(10)} ${formatUsd(r.monthly).padStart(12)}  ${notes(r)}`);
  }
  rows.push(`${pad('TOTAL', 55)} ${formatUsd(d.total_hourly).padStart(10)} ${formatUsd(d.total_monthly).padStart(12)}  ${d.complete ? '' : 'incomplete: some prices are unknown'}`);
  const recs = d.resources.flatMap((r) => r.recommendations.map((x) => `  ${r.name}: ${x.message}`));
  if (recs.length) rows.push('', 'Recommendations:', ...recs);
  rows.push('', `Prices are public on-demand list prices x ${HOURS_PER_MONTH} h/month; see pricing/*.json for sources and dates.`);
  return rows.join('\n');
}

function combine(resources: ResourceEstimate[]): DeploymentEstimate {
  const monthly = sumMoney(resources.map((r) => r.monthly));
  return { resources, total_hourly: hourlyOf(monthly), total_monthly: monthly, complete: resources.every((r) => !r.price_unknown) };
}

export const estimateCommand: CliCommand = {
  name: 'estimate',
  summary: 'Estimate the monthly cost of a JSON file of resources, with recommendations',
  usage,
  async run(argv, ctx) {
    try {
      const { values, positionals } = parseFlags(argv, { json: { type: 'boolean' }, 'pricing-dir': { type: 'string' } }, usage);
      if (values.help) return ctx.io.out(usage), 0;
      if (positionals.length !== 1) return ctx.io.err(`error: give exactly one resources file.\nUsage: ${usage}`), 1;
      const items = parseResources(readResourcesJson(resolve(positionals[0]!)));
      const estimator = new CostEstimator(loadPriceBook(resolve(values['pricing-dir'] ?? ctx.config.PRICING_DIR)));
      const deployment = combine(items.map(({ provider, spec }) => estimator.estimateResource(provider, spec)));
      ctx.io.out(values.json ? JSON.stringify(withDollars(deployment), null, 2) : renderEstimateTable(deployment));
      return 0;
    } catch (e) {
      return renderCliError(e, ctx.io);
    }
  },
};
