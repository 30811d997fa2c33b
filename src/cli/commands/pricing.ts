import { resolve } from 'node:path';
import { CoreError } from '../../core/errors.js';
import { updatePricing, type UpdatableProvider } from '../../cost/updaters/index.js';
import { parseFlags, requireFlag } from '../args.js';
import { renderCliError } from '../errors.js';
import type { CliCommand } from '../types.js';

const usage = 'cloud-engine pricing update --provider <aws|azure|gcp> [--from <file-or-dir>] [--pricing-dir <dir>]';
const UPDATABLE = ['aws', 'azure', 'gcp'];

export const pricingCommand: CliCommand = {
  name: 'pricing',
  summary: "Refresh pricing/<provider>.json from the cloud's official price list (online, or offline with --from)",
  usage,
  async run(argv, ctx) {
    try {
      const { values, positionals } = parseFlags(argv, { provider: { type: 'string' }, from: { type: 'string' }, 'pricing-dir': { type: 'string' } }, usage);
      if (values.help) return ctx.io.out(usage), 0;
      if (positionals[0] !== 'update') throw new CoreError('validation', `unknown pricing subcommand '${positionals[0] ?? ''}'.\nUsage: ${usage}`);
      const provider = requireFlag(values.provider, 'provider', usage);
      if (!UPDATABLE.includes(provider)) throw new CoreError('validation', `--provider must be one of ${UPDATABLE.join(', ')} (sandbox prices are fictional and edited by hand), got '${provider}'`);
      const res = await updatePricing({
        provider: provider as UpdatableProvider,
        pricingDir: resolve(values['pricing-dir'] ?? ctx.config.PRICING_DIR),
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
