import { ApplicationCommandOptionType } from 'discord.js';
import { parseIdentity } from '../../core/identity.js';
import { respond } from '../respond.js';
import { identityText } from '../views/lobby.js';
import { command, projectOption, stringOption } from './options.js';
import type { SlashCommand } from './types.js';

/**
 * The cloud identity a project deploys as (project admins). Only references are typed here — a role ARN,
 * a service account, an app id — never a secret; the reply says what the operator's side must hold.
 */
export const credentialsCommand: SlashCommand = {
  data: command('cloud-credentials', 'Show or set the cloud identity a project deploys as (admins)', [
    projectOption(),
    stringOption('aws_role_arn', 'AWS: IAM role to assume, arn:aws:iam::<account>:role/<name>', false, 600),
    stringOption('gcp_service_account', 'GCP: service account to impersonate (…@….iam.gserviceaccount.com)', false, 200),
    stringOption('azure_client_id', 'Azure: application (client) id', false, 36),
    stringOption('azure_tenant_id', 'Azure: directory (tenant) id', false, 36),
    stringOption('azure_subscription_id', 'Azure: subscription id', false, 36),
    { type: ApplicationCommandOptionType.Boolean, name: 'clear', description: 'Remove the identity', required: false },
  ]),
  async run(ctx, i, actor) {
    const project = i.options.getString('project', true);
    const get = (name: string) => i.options.getString(name) ?? undefined;
    const raw = get('aws_role_arn') !== undefined ? { provider: 'aws', role_arn: get('aws_role_arn') }
      : get('gcp_service_account') !== undefined ? { provider: 'gcp', service_account: get('gcp_service_account') }
        : get('azure_client_id') !== undefined ? { provider: 'azure', client_id: get('azure_client_id'), tenant_id: get('azure_tenant_id'), subscription_id: get('azure_subscription_id') }
          : undefined;
    const clear = i.options.getBoolean('clear') ?? false;
    if (raw || clear) await ctx.orchestrator.setIdentity(actor, project, raw ? parseIdentity(raw) : null);
    const { use } = await ctx.orchestrator.identityOf(actor, project);
    await respond(i, { ephemeral: true, content: `🔑 **${project}** deploys as: ${identityText(use)}` });
  },
};
