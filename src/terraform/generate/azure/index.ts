/**
 * hashicorp/azurerm: one resource group per project; the subscription and credentials come from
 * the environment (ARM_SUBSCRIPTION_ID, ARM_CLIENT_ID… or the az CLI), never the files.
 */
import type { Labels, ResourceSpec } from '../../../domain/resources.js';
import { withProjectLabels } from '../../../resources/labels.js';
import { CATALOGS } from '../../../resources/catalogs/index.js';
import type { ProviderPin } from '../files.js';
import { assemble, idsOutput } from '../files.js';
import type { Block, Ref } from '../hcl.js';
import { attr, block, ref } from '../hcl.js';
import type { RuleGroup } from '../topology.js';
import { ofType, primaryRegion, ruleGroups } from '../topology.js';
import { RG } from './common.js';
import { sshKeyVariable, virtualMachine } from './compute.js';
import { database, mysqlPasswordVariable, storage } from './data.js';
import { defaultNetworks, network, nsgId, securityGroup } from './network.js';

/** Major 5 is current (5.0 moved storage containers to `storage_account_id`, used here). */
export const AZURERM: ProviderPin = { local: 'azurerm', source: 'hashicorp/azurerm', version: '~> 5.0' };

function resourceGroup(project: string, location: string, labels: Labels | undefined): Block {
  return block('resource', ['azurerm_resource_group', RG], [
    attr('name', `rg-${project}`),
    attr('location', location),
    attr('tags', { ManagedBy: 'cloud-engine', CloudEngineProject: project, ...labels }),
    // The group's location only says where its metadata lives; a later first spec elsewhere must not replace the group and all it holds.
    block('lifecycle', [], [attr('ignore_changes', [ref('location')])]),
  ]);
}

function resources(spec: ResourceSpec, specs: ResourceSpec[], groups: RuleGroup[], project: string): Block[] {
  switch (spec.type) {
    case 'vpc_network': return network(spec);
    case 'firewall_rule': {
      const group = groups.find((g) => g.rules[0] === spec);
      return group ? securityGroup(group) : [];
    }
    case 'compute_vm': return virtualMachine(spec, specs);
    case 'database': return [database(spec)];
    case 'storage_bucket': return storage(spec, project);
  }
}

function idOf(spec: ResourceSpec, groups: RuleGroup[]): Ref {
  switch (spec.type) {
    case 'vpc_network': return ref('azurerm_virtual_network', spec.name, 'id');
    case 'firewall_rule': return nsgId(groups.find((g) => g.rules.includes(spec))!);
    case 'compute_vm': return ref('azurerm_linux_virtual_machine', spec.name, 'id');
    case 'database': return ref(spec.engine === 'postgres' ? 'azurerm_postgresql_flexible_server' : 'azurerm_mysql_flexible_server', spec.name, 'id');
    case 'storage_bucket': return ref('azurerm_storage_account', spec.name, 'id');
  }
}

/**
 * azurerm has no provider-wide default tags: the project's labels join each resource's own tags (the spec's
 * value winning for its key), and the resource group's.
 */
export function generateAzure(given: ResourceSpec[], project: string, labels: Labels | undefined, identity?: { client_id: string; tenant_id: string; subscription_id: string }): Record<string, string> {
  const specs = given.map((s) => withProjectLabels(s, labels));
  const groups = ruleGroups(specs);
  const dbs = ofType(specs, 'database');
  const hasMysql = dbs.some((d) => d.engine === 'mysql');
  const shared = [
    resourceGroup(project, primaryRegion(specs, CATALOGS.azure.defaultRegion), labels),
    // Entra authentication on PostgreSQL needs the deploying identity's tenant.
    ...(dbs.some((d) => d.engine === 'postgres') ? [block('data', ['azurerm_client_config', 'current'], [])] : []),
    ...defaultNetworks(specs, groups),
  ];
  return assemble({
    pins: [AZURERM],
    // Write-only arguments (the MySQL password) need Terraform 1.11.
    terraformVersion: hasMysql ? '>= 1.11' : undefined,
    // The project's own app registration; its secret reaches Terraform as ARM_CLIENT_SECRET, never a file.
    providers: [block('provider', ['azurerm'], [
      block('features', [], []),
      ...(identity ? [attr('client_id', identity.client_id), attr('tenant_id', identity.tenant_id), attr('subscription_id', identity.subscription_id)] : []),
    ])],
    main: [...shared, ...specs.flatMap((s) => resources(s, specs, groups, project))],
    variables: [
      ...(ofType(specs, 'compute_vm').length ? [sshKeyVariable()] : []),
      ...(hasMysql ? [mysqlPasswordVariable()] : []),
    ],
    outputs: [idsOutput(specs.map((s) => [s.name, idOf(s, groups)]), 'Azure resource ids by spec name.')],
  });
}
