/** hashicorp/google: one file set per configuration, credentials and project id from the environment. */
import type { ResourceSpec } from '../../../domain/resources.js';
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

function resources(spec: ResourceSpec, specs: ResourceSpec[]): Block[] {
  switch (spec.type) {
    case 'vpc_network': return network(spec);
    case 'firewall_rule': return [firewall(spec, specs)];
    case 'compute_vm': return [instance(spec, specs)];
    case 'database': return [sqlInstance(spec)];
    case 'storage_bucket': return bucket(spec);
  }
}

const TYPES = { vpc_network: 'google_compute_network', firewall_rule: 'google_compute_firewall', compute_vm: 'google_compute_instance', database: 'google_sql_database_instance', storage_bucket: 'google_storage_bucket' } as const;
const idOf = (spec: ResourceSpec): Ref => ref(TYPES[spec.type], spec.name, 'id');

/**
 * The provider block names no project and no credentials: GOOGLE_PROJECT and Application Default
 * Credentials (or GOOGLE_CREDENTIALS) come from the Terraform process's environment.
 */
export function generateGcp(specs: ResourceSpec[], project: string, identity?: { service_account: string }): Record<string, string> {
  const provider = block('provider', ['google'], [
    attr('region', primaryRegion(specs, CATALOGS.gcp.defaultRegion)),
    // The project's own service account, impersonated with the bot's base credentials.
    ...(identity ? [attr('impersonate_service_account', identity.service_account)] : []),
    attr('default_labels', { managed_by: 'cloud-engine', cloud_engine_project: project }),
  ]);
  return assemble({
    pins: [GOOGLE],
    providers: [provider],
    main: specs.flatMap((s) => resources(s, specs)),
    variables: [],
    outputs: [idsOutput(specs.map((s) => [s.name, idOf(s)]), 'Google resource ids by spec name.')],
  });
}
