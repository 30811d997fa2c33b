import { PROVIDER_LABELS, type Provider } from '../../domain/resources.js';
import { buildTemplate } from '../../sheets/index.js';
import { respond } from '../respond.js';
import { command, providerOption } from './options.js';
import type { SlashCommand } from './types.js';

export const templateCommand: SlashCommand = {
  data: command('cloud-template', 'Download a spreadsheet template for bulk resources', [
    providerOption('Provider the template is for (default: GCP)'),
  ]),
  async run(_ctx, i) {
    await i.deferReply({ flags: 'Ephemeral' });
    const provider = (i.options.getString('provider') ?? 'gcp') as Provider;
    const data = await buildTemplate(provider);
    await respond(i, {
      content: `📄 The ${PROVIDER_LABELS[provider]} template: one sheet per resource type, drop-downs for the choices, an example row in each. Fill it, then \`/cloud-import\` it.`,
      files: [{ name: `cloud-engine-${provider}-template.xlsx`, data }],
    });
  },
};
