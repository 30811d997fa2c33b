/** hashicorp/aws: credentials come from the environment (AWS_PROFILE, AWS_ACCESS_KEY_ID…), never the files. */
import { CATALOGS } from '../../../resources/catalogs/index.js';
import type { Labels, ResourceSpec } from '../../../domain/resources.js';
import type { ProviderPin } from '../files.js';
import { assemble, idsOutput } from '../files.js';
import type { Block, Ref } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import type { RuleGroup } from '../topology.js';
import { ofType, primaryRegion, ruleGroups } from '../topology.js';
import { amiLookups, instance } from './compute.js';
import { bucket, dbInstance } from './data.js';
import { groupId, network, securityGroup } from './network.js';

/** Major 6 added the per-resource `region` argument used on every resource here. */
export const AWS: ProviderPin = { local: 'aws', source: 'hashicorp/aws', version: '~> 6.0' };

function resources(spec: ResourceSpec, specs: ResourceSpec[], groups: RuleGroup[], project: string): Block[] {
  switch (spec.type) {
    case 'vpc_network': return network(spec);
    // A network's security group is written once, where its first rule appears.
    case 'firewall_rule': {
      const group = groups.find((g) => g.rules[0] === spec);
      return group ? securityGroup(group, project) : [];
    }
    case 'compute_vm': return [instance(spec, specs, groups)];
    case 'database': return dbInstance(spec, specs, project);
    case 'storage_bucket': return bucket(spec);
  }
}

function idOf(spec: ResourceSpec, groups: RuleGroup[]): Ref {
  switch (spec.type) {
    case 'vpc_network': return ref('aws_vpc', spec.name, 'id');
    case 'firewall_rule': return groupId(groups.find((g) => g.rules.includes(spec))!);
    case 'compute_vm': return ref('aws_instance', spec.name, 'id');
    case 'database': return ref('aws_db_instance', spec.name, 'id');
    case 'storage_bucket': return ref('aws_s3_bucket', spec.name, 'id');
  }
}

/**
 * Every resource names its region, so the provider's default region (the first spec's) never
 * decides where anything lives and can change without moving resources.
 */
export function generateAws(specs: ResourceSpec[], project: string, labels: Labels | undefined, identity?: { role_arn: string; externalId?: string; sessionId?: string }): Record<string, string> {
  const groups = ruleGroups(specs);
  const provider = block('provider', ['aws'], [
    attr('region', primaryRegion(specs, CATALOGS.aws.defaultRegion)),
    // The project's own role, assumed from the bot's base credentials; the session name ties CloudTrail to the session.
    ...(identity ? [block('assume_role', [], body(
      attr('role_arn', identity.role_arn),
      attr('session_name', `cloud-engine-${identity.sessionId ?? project}`.slice(0, 64)),
      optAttr('external_id', identity.externalId),
    ))] : []),
    // A resource's own tag wins over a default one of the same key, as a spec's label wins over the project's.
    block('default_tags', [], [attr('tags', { ManagedBy: 'cloud-engine', CloudEngineProject: project, ...labels })]),
  ]);
  return assemble({
    pins: [AWS],
    providers: [provider],
    main: [...amiLookups(ofType(specs, 'compute_vm')), ...specs.flatMap((s) => resources(s, specs, groups, project))],
    variables: [],
    outputs: [idsOutput(specs.map((s) => [s.name, idOf(s, groups)]), 'AWS resource ids by spec name.')],
  });
}
