/**
 * AWS networking: VPCs with one subnet per spec subnet, and one security group per guarded
 * network holding every firewall_rule aimed at it (aws_vpc_security_group_*_rule resources, the
 * provider's current idiom). Security groups only allow and have no order, so `priority` is unused.
 */
import { CATALOGS } from '../../../resources/catalogs/index.js';
import type { FirewallRuleSpec, Subnet, VpcNetworkSpec } from '../../../domain/resources.js';
import type { Block, Item } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import { pairLabel } from '../naming.js';
import { labelsOf, withLabels } from '../labels.js';
import type { RuleGroup } from '../topology.js';

/** Subnets are spread over the region's zones in order, so a database subnet group spans at least two. */
export function subnetZone(vpc: VpcNetworkSpec, subnet: Subnet): string {
  const zones = CATALOGS.aws.regions[vpc.region] ?? [];
  const i = vpc.subnets.indexOf(subnet);
  return zones.length ? zones[i % zones.length]! : `${vpc.region}a`;
}

export const subnetId = (vpc: VpcNetworkSpec, subnet: Subnet) => ref('aws_subnet', pairLabel(vpc.name, subnet.name), 'id');

export function network(vpc: VpcNetworkSpec): Block[] {
  const main = block('resource', ['aws_vpc', vpc.name], [
    attr('region', vpc.region),
    attr('cidr_block', vpc.cidr),
    attr('enable_dns_support', vpc.dns_enabled),
    attr('enable_dns_hostnames', vpc.dns_enabled),
    attr('tags', withLabels({ Name: vpc.name }, vpc)),
  ]);
  const subnets = vpc.subnets.map((s) =>
    block('resource', ['aws_subnet', pairLabel(vpc.name, s.name)], [
      attr('region', vpc.region),
      attr('vpc_id', ref('aws_vpc', vpc.name, 'id')),
      attr('cidr_block', s.cidr),
      attr('availability_zone', subnetZone(vpc, s)),
      attr('tags', withLabels({ Name: `${vpc.name}-${s.name}` }, vpc)),
    ]),
  );
  return [main, ...subnets];
}

/** The group's label: its VPC's name, or `default_<region>` (spec names have no `_`, so no clash). */
export const groupLabel = (g: RuleGroup) => (g.vpc ? g.vpc.name : `default_${g.region}`);
export const groupId = (g: RuleGroup) => ref('aws_security_group', groupLabel(g), 'id');

function ruleBlocks(rule: FirewallRuleSpec, g: RuleGroup): Block[] {
  const type = rule.direction === 'ingress' ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
  const ports: Array<Item[]> =
    rule.protocol === 'all' ? [[attr('ip_protocol', '-1')]]
    : rule.protocol === 'icmp' ? [[attr('ip_protocol', 'icmp'), attr('from_port', -1), attr('to_port', -1)]]
    : rule.ports.map((p) => {
        const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(p);
        if (!m) throw new Error(`firewall_rule ${rule.name}: port ${JSON.stringify(p)} is not a port or range`);
        return [attr('ip_protocol', rule.protocol), attr('from_port', Number(m[1])), attr('to_port', Number(m[2] ?? m[1]))];
      });
  // One AWS rule per (range, port); labels are positional, so editing a list re-creates its rules.
  return rule.source_ranges.flatMap((cidr) => ports.map((p) => ({ cidr, p }))).map(({ cidr, p }, i) =>
    block('resource', [type, `${rule.name}_${i}`], body(
      attr('region', g.region),
      attr('security_group_id', groupId(g)),
      attr('description', rule.name),
      attr('cidr_ipv4', cidr),
      ...p,
      optAttr('tags', labelsOf(rule)),
    )),
  );
}

export function securityGroup(g: RuleGroup, project: string): Block[] {
  const label = groupLabel(g);
  const sg = block('resource', ['aws_security_group', label], body(
    attr('region', g.region),
    // Names are unique per VPC; the default VPC is shared by every project in the account.
    attr('name', g.vpc ? `${g.vpc.name}-firewall` : `${project}-default-firewall`),
    attr('description', 'Cloud Engine firewall rules'),
    optAttr('vpc_id', g.vpc ? ref('aws_vpc', g.vpc.name, 'id') : undefined),
    attr('tags', { Name: g.vpc ? `${g.vpc.name}-firewall` : `${project}-default-firewall` }),
  ));
  // Terraform strips the default allow-all egress from a new group; restore it, as GCP and Azure allow outbound by default.
  const egress = block('resource', ['aws_vpc_security_group_egress_rule', `${label}_egress`], [
    attr('region', g.region),
    attr('security_group_id', groupId(g)),
    attr('description', 'all outbound traffic'),
    attr('cidr_ipv4', '0.0.0.0/0'),
    attr('ip_protocol', '-1'),
  ]);
  return [sg, egress, ...g.rules.flatMap((r) => ruleBlocks(r, g))];
}
