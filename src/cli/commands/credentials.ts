import { CoreError } from '../../domain/errors.js';
import { parseIdentity, type IdentityUse } from '../../core/identity.js';
import { parseFlags, requireFlag } from '../args.js';
import { projectScope } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const usage = `cloud-engine credentials --project <id>                       (show what its runs deploy as)
       cloud-engine credentials --project <id> --aws-role-arn <arn>
       cloud-engine credentials --project <id> --gcp-service-account <email>
       cloud-engine credentials --project <id> --azure-client-id <guid> --azure-tenant-id <guid> --azure-subscription-id <guid>
       cloud-engine credentials --project <id> --clear`;

const OPTIONS = {
  project: { type: 'string' }, guild: { type: 'string' }, clear: { type: 'boolean' }, json: { type: 'boolean' },
  'aws-role-arn': { type: 'string' }, 'gcp-service-account': { type: 'string' },
  'azure-client-id': { type: 'string' }, 'azure-tenant-id': { type: 'string' }, 'azure-subscription-id': { type: 'string' },
} as const;

function describe(use: IdentityUse): string {
  switch (use.kind) {
    case 'none': return 'no cloud account (sandbox)';
    case 'default': return "the bot's own credentials (CLOUD_DEFAULT_CREDENTIALS=allow)";
    case 'missing': return 'no identity: plans are refused until one is set';
    case 'identity': {
      const [i, b] = [use.identity, use.binding];
      if (i.provider === 'aws') return `AWS role ${i.role_arn}, presenting external id ${b.external_id} (require it in the role's trust policy); session named after each Cloud Engine session`;
      if (i.provider === 'gcp') return `GCP service account ${i.service_account}, impersonated once the operator binds it with ${b.binding_env}`;
      return `Azure app ${i.client_id} (tenant ${i.tenant_id}, subscription ${i.subscription_id}), its secret from the bot's ${b.secret_env}`;
    }
  }
}

/** Which cloud identity a project deploys as: a reference, set by a project admin; the secret never passes here. */
export const credentialsCommand: CliCommand = {
  name: 'credentials',
  summary: "Show or set the cloud identity a project deploys as (a role, service account or app — never a secret)",
  usage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, OPTIONS, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const projectId = requireFlag(values.project, 'project', usage);
    const raw = values['aws-role-arn'] !== undefined
      ? { provider: 'aws', role_arn: values['aws-role-arn'] }
      : values['gcp-service-account'] !== undefined ? { provider: 'gcp', service_account: values['gcp-service-account'] }
        : values['azure-client-id'] !== undefined ? {
          provider: 'azure', client_id: values['azure-client-id'], tenant_id: values['azure-tenant-id'], subscription_id: values['azure-subscription-id'],
        } : undefined;
    if (raw && values.clear) throw new CoreError('validation', `give an identity or --clear, not both.\nUsage: ${usage}`);
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: !raw && !values.clear }, async (app) => {
      const { actor, name } = await projectScope(app, projectId, values.guild);
      if (raw || values.clear) await app.orchestrator.setIdentity(actor, name, raw ? parseIdentity(raw) : null);
      const { use } = await app.orchestrator.identityOf(actor, name);
      ctx.io.out(values.json ? JSON.stringify(use, null, 2) : `${name} deploys as: ${describe(use)}`);
      return 0;
    });
  },
};
