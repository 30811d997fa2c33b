/** GCP networking: custom-mode VPCs with one subnetwork per spec subnet, and VPC firewall rules. */
import type { FirewallRuleSpec, ResourceSpec, VpcNetworkSpec } from '../../../domain/resources.js';
import type { Block } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import { fitName, pairLabel } from '../naming.js';
import { ruleNetwork } from '../topology.js';

export const subnetRef = (vpc: string, subnet: string) => ref('google_compute_subnetwork', pairLabel(vpc, subnet), 'id');

/** GCP VPCs are global and have no CIDR of their own: `cidr` only bounds the subnets, and internal DNS is always on. */
export function network(vpc: VpcNetworkSpec): Block[] {
  const net = block('resource', ['google_compute_network', vpc.name], [attr('name', vpc.name), attr('auto_create_subnetworks', false)]);
  const subnets = vpc.subnets.map((s) =>
    block('resource', ['google_compute_subnetwork', pairLabel(vpc.name, s.name)], [
      // Subnetwork names are unique per project and region, so they carry the VPC's name.
      attr('name', fitName(`${vpc.name}-${s.name}`, 63)),
      attr('region', vpc.region),
      attr('network', ref('google_compute_network', vpc.name, 'id')),
      attr('ip_cidr_range', s.cidr),
      attr('private_ip_google_access', true),
    ]),
  );
  return [net, ...subnets];
}

/** Specs only allow traffic: each rule is one `allow`; for egress the spec's ranges are destinations. */
export function firewall(rule: FirewallRuleSpec, specs: ResourceSpec[]): Block {
  const vpc = ruleNetwork(specs, rule);
  const ingress = rule.direction === 'ingress';
  return block('resource', ['google_compute_firewall', rule.name], body(
    attr('name', rule.name),
    attr('network', vpc ? ref('google_compute_network', vpc.name, 'id') : 'default'),
    attr('direction', ingress ? 'INGRESS' : 'EGRESS'),
    attr('priority', rule.priority),
    attr(ingress ? 'source_ranges' : 'destination_ranges', rule.source_ranges),
    block('allow', [], body(attr('protocol', rule.protocol), optAttr('ports', rule.ports.length ? rule.ports : undefined))),
  ));
}
