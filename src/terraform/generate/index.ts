/** Terraform configuration generation: specs in, `terraform fmt`-clean files out. Pure. */
import type { Provider, ResourceSpec } from '../../domain/resources.js';
import { withProjectLabels } from '../../resources/labels.js';
import { AWS, generateAws } from './aws/index.js';
import { AZURERM, generateAzure } from './azure/index.js';
import { GOOGLE, generateGcp } from './gcp/index.js';
import { generateSandbox } from './sandbox.js';
import type { GenerateOptions, GeneratedConfig } from './types.js';
import { TYPE_ORDER, orderSpecs } from './types.js';

export type { GenerateOptions, GeneratedConfig } from './types.js';

const PROJECT = /^[a-z][a-z0-9-]{2,39}$/;

export function generateConfiguration(provider: Provider, specs: ResourceSpec[], opts: GenerateOptions): GeneratedConfig {
  if (!PROJECT.test(opts.project)) throw new Error(`invalid project id ${JSON.stringify(opts.project)}`);
  const unknown = specs.find((s) => !TYPE_ORDER.includes(s.type));
  if (unknown) throw new Error(`unknown resource type ${JSON.stringify(unknown.type)}`);
  const ordered = orderSpecs(specs);
  switch (provider) {
    case 'sandbox':
      return { files: generateSandbox(ordered.map((s) => withProjectLabels(s, opts.labels))), providerSources: [] };
    case 'gcp':
      return { files: generateGcp(ordered, opts.project, opts.labels, opts.identity?.provider === 'gcp' ? opts.identity : undefined), providerSources: [GOOGLE.source] };
    case 'aws':
      return { files: generateAws(ordered, opts.project, opts.labels, opts.identity?.provider === 'aws' ? { role_arn: opts.identity.role_arn, sessionId: opts.sessionId, externalId: opts.awsExternalId } : undefined), providerSources: [AWS.source] };
    case 'azure':
      return { files: generateAzure(ordered, opts.project, opts.labels, opts.identity?.provider === 'azure' ? opts.identity : undefined), providerSources: [AZURERM.source] };
  }
}
