import { resolve } from 'node:path';
import { CoreError } from '../../domain/errors.js';
import { coverage } from '../../cost/coverage.js';
import { CostEstimator, loadPriceBook } from '../../cost/index.js';
import { updatePricing, type UpdatableProvider } from '../../cost/updaters/index.js';
import type { Provider } from '../../domain/resources.js';
import { parseFlags, requireFlag } from '../args.js';
import { renderCliError } from '../errors.js';
import type { CliCommand } from '../types.js';

const usage = [
  'cloud-engine pricing update --provider <aws|azure|gcp> [--from <file-or-dir>] [--pricing-dir <dir>]',
  'cloud-engine pricing coverage [--provider <aws|azure|gcp>] [--pricing-dir <dir>] [--json]',
].join('\n       ');
const UPDATABLE = ['aws', 'azure', 'gcp'];

function checkProvider(provider: string): UpdatableProvider {
  if (!UPDATABLE.includes(provider)) throw new CoreError('validation', `--provider must be one of ${UPDATABLE.join(', ')} (sandbox prices are fictional and edited by hand), got '${provider}'`);
  return provider as UpdatableProvider;
}

/** What the lobby offers per provider and region, priced or not; the unknown ones are the list `pricing update` should shrink. */
function printCoverage(ctx: Parameters<CliCommand['run']>[1], pricingDir: string, providers: Provider[], json: boolean | undefined): number {
  const book = loadPriceBook(pricingDir);
  const estimator = new CostEstimator(book);
  const reports = providers.map((p) => coverage(estimator, p, book[p]));
  if (json) {
    const providers = reports.map((r) => ({ provider: r.provider, combinations: r.combinations, priced: r.combinations - r.gaps.length, unknown: r.gaps.length, regions: r.regions, gaps: r.gaps }));
    return ctx.io.out(JSON.stringify({ providers }, null, 2)), 0;
  }
  for (const r of reports) {
    ctx.io.out(`${r.provider}: ${r.combinations - r.gaps.length} of ${r.combinations} offerings fully priced${r.gaps.length ? `; ${r.gaps.length} price unknown:` : ''}`);
    for (const g of r.gaps) ctx.io.out(`  ${g.region.padEnd(14)} ${g.offering.padEnd(44)} ${g.reason}`);
  }
  return 0;
}

export const pricingCommand: CliCommand = {
  name: 'pricing',
  summary: "Refresh pricing/<provider>.json from the cloud's official price list (online, or offline with --from); list what it cannot price",
  usage,
  async run(argv, ctx) {
    try {
      const { values, positionals } = parseFlags(argv, { provider: { type: 'string' }, from: { type: 'string' }, 'pricing-dir': { type: 'string' }, json: { type: 'boolean' } }, usage);
      if (values.help) return ctx.io.out(usage), 0;
      const pricingDir = resolve(values['pricing-dir'] ?? ctx.config.PRICING_DIR);
      if (positionals[0] === 'coverage') return printCoverage(ctx, pricingDir, values.provider ? [checkProvider(values.provider)] : (UPDATABLE as Provider[]), values.json);
      if (positionals[0] !== 'update') throw new CoreError('validation', `unknown pricing subcommand '${positionals[0] ?? ''}'.\nUsage: ${usage}`);
      const provider = checkProvider(requireFlag(values.provider, 'provider', usage));
      const res = await updatePricing({
        provider,
        pricingDir,
        ...(values.from ? { from: resolve(values.from) } : {}),
        env: ctx.config.cloudEnv,
      });
      ctx.io.out(`Updated ${res.file}: ${res.applied} of ${res.records} prices read apply to our catalog.`);
      return 0;
    } catch (e) {
      return renderCliError(e, ctx.io);
    }
  },
};
