/**
 * Azure networking: VNets and subnets, plus one NSG per guarded network holding its firewall
 * rules and attached to the network's subnets. Azure has no default network, so VMs and
 * "default" rules in a region without a VPC share an implicit `default_<region>` VNet.
 */
import type { ComputeVmSpec, FirewallRuleSpec, ResourceSpec, VpcNetworkSpec } from '../../../domain/resources.js';
import type { Block, Ref } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import { labelsOf } from '../labels.js';
import { pairLabel } from '../naming.js';
import type { RuleGroup } from '../topology.js';
import { ofType, vmPlacement } from '../topology.js';
import { RG, placed } from './common.js';

const defaultLabel = (region: string) => `default_${region}`;

/** The subnet a VM attaches to: its placement in a VPC, else its region's implicit default subnet. */
export function vmSubnetRef(specs: ResourceSpec[], vm: ComputeVmSpec): Ref {
  const p = vmPlacement(specs, vm);
  return ref('azurerm_subnet', p ? pairLabel(p.vpc.name, p.subnet.name) : defaultLabel(vm.region), 'id');
}

function subnet(label: string, name: string, vnet: string, cidr: string): Block {
  return block('resource', ['azurerm_subnet', label], [
    attr('name', name),
    attr('resource_group_name', ref('azurerm_resource_group', RG, 'name')),
    attr('virtual_network_name', ref('azurerm_virtual_network', vnet, 'name')),
    attr('address_prefixes', [cidr]),
  ]);
}

/** Azure-provided DNS is always on, so `dns_enabled` has nothing to switch. */
export function network(vpc: VpcNetworkSpec): Block[] {
  return [
    block('resource', ['azurerm_virtual_network', vpc.name], body(...placed(vpc.name, vpc.region), attr('address_space', [vpc.cidr]), optAttr('tags', labelsOf(vpc)))),
    ...vpc.subnets.map((s) => subnet(pairLabel(vpc.name, s.name), s.name, vpc.name, s.cidr)),
  ];
}

/** Regions whose VMs or "default" firewall rules need the implicit network, in first-use order. */
export function defaultNetworks(specs: ResourceSpec[], groups: RuleGroup[]): Block[] {
  const regions = new Set<string>();
  for (const vm of ofType(specs, 'compute_vm')) if (!vmPlacement(specs, vm)) regions.add(vm.region);
  for (const g of groups) if (!g.vpc) regions.add(g.region);
  return [...regions].flatMap((region) => [
    block('resource', ['azurerm_virtual_network', defaultLabel(region)], [...placed(`vnet-default-${region}`, region), attr('address_space', ['10.0.0.0/16'])]),
    subnet(defaultLabel(region), 'default', defaultLabel(region), '10.0.0.0/24'),
  ]);
}

const groupLabel = (g: RuleGroup) => (g.vpc ? g.vpc.name : defaultLabel(g.region));
export const nsgId = (g: RuleGroup) => ref('azurerm_network_security_group', groupLabel(g), 'id');

const PROTOCOL = { tcp: 'Tcp', udp: 'Udp', icmp: 'Icmp', all: '*' } as const;

/** Spec priorities (100-4096) are Azure's own range; rules only allow. */
function rule(r: FirewallRuleSpec, g: RuleGroup): Block {
  const ingress = r.direction === 'ingress';
  return block('resource', ['azurerm_network_security_rule', r.name], [
    attr('name', r.name),
    attr('resource_group_name', ref('azurerm_resource_group', RG, 'name')),
    attr('network_security_group_name', ref('azurerm_network_security_group', groupLabel(g), 'name')),
    attr('priority', r.priority),
    attr('direction', ingress ? 'Inbound' : 'Outbound'),
    attr('access', 'Allow'),
    attr('protocol', PROTOCOL[r.protocol]),
    attr('source_port_range', '*'),
    r.ports.length ? attr('destination_port_ranges', r.ports) : attr('destination_port_range', '*'),
    ingress ? attr('source_address_prefixes', r.source_ranges) : attr('source_address_prefix', '*'),
    ingress ? attr('destination_address_prefix', '*') : attr('destination_address_prefixes', r.source_ranges),
  ]);
}

export function securityGroup(g: RuleGroup): Block[] {
  const label = groupLabel(g);
  const subnets = g.vpc ? g.vpc.subnets.map((s) => pairLabel(g.vpc!.name, s.name)) : [defaultLabel(g.region)];
  return [
    block('resource', ['azurerm_network_security_group', label], placed(g.vpc ? `${g.vpc.name}-nsg` : `default-${g.region}-nsg`, g.region)),
    ...subnets.map((s) =>
      block('resource', ['azurerm_subnet_network_security_group_association', s], [
        attr('subnet_id', ref('azurerm_subnet', s, 'id')),
        attr('network_security_group_id', nsgId(g)),
      ]),
    ),
    ...g.rules.map((r) => rule(r, g)),
  ];
}
