/** hashicorp/google: one file set per configuration, credentials and project id from the environment. */
import type { Labels, ResourceSpec } from '../../../domain/resources.js';
import { withProjectLabels } from '../../../resources/labels.js';
import { CATALOGS } from '../../../resources/catalogs/index.js';
import type { ProviderPin } from '../files.js';
import { assemble, idsOutput } from '../files.js';
import type { Block, Ref } from '../hcl.js';
import { attr, block, ref } from '../hcl.js';
import { primaryRegion } from '../topology.js';
import { instance } from './compute.js';
import { bucket, sqlInstance } from './data.js';
import { firewall, network } from './network.js';

/** Major 8 is current; the resources below were checked against the 7.45 docs and the 8.0 upgrade guide. */
export const GOOGLE: ProviderPin = { local: 'google', source: 'hashicorp/google', version: '~> 8.0' };

function resources(spec: ResourceSpec, specs: ResourceSpec[], labels: Labels | undefined): Block[] {
  switch (spec.type) {
    case 'vpc_network': return network(spec);
    case 'firewall_rule': return [firewall(spec, specs)];
    case 'compute_vm': return [instance(spec, specs)];
    // The provider's default labels never reach Cloud SQL's user_labels (hashicorp/terraform-provider-google#16375): the project's go there.
    case 'database': return [sqlInstance(withProjectLabels(spec, labels))];
    case 'storage_bucket': return bucket(spec);
  }
}

const TYPES = { vpc_network: 'google_compute_network', firewall_rule: 'google_compute_firewall', compute_vm: 'google_compute_instance', database: 'google_sql_database_instance', storage_bucket: 'google_storage_bucket' } as const;
const idOf = (spec: ResourceSpec): Ref => ref(TYPES[spec.type], spec.name, 'id');

/**
 * The provider block names no project and no credentials: GOOGLE_PROJECT and Application Default
 * Credentials (or GOOGLE_CREDENTIALS) come from the Terraform process's environment.
 */
export function generateGcp(specs: ResourceSpec[], project: string, labels: Labels | undefined, identity?: { service_account: string }): Record<string, string> {
  const provider = block('provider', ['google'], [
    attr('region', primaryRegion(specs, CATALOGS.gcp.defaultRegion)),
    // The project's own service account, impersonated with the bot's base credentials.
    ...(identity ? [attr('impersonate_service_account', identity.service_account)] : []),
    // A resource's own label wins over a default one of the same key, as a spec's wins over the project's.
    attr('default_labels', { managed_by: 'cloud-engine', cloud_engine_project: project, ...labels }),
  ]);
  return assemble({
    pins: [GOOGLE],
    providers: [provider],
    main: specs.flatMap((s) => resources(s, specs, labels)),
    variables: [],
    outputs: [idsOutput(specs.map((s) => [s.name, idOf(s)]), 'Google resource ids by spec name.')],
  });
}
