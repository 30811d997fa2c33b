/** AWS VMs: aws_instance, with its AMI looked up by alias (data "aws_ami") or given as an id. */
import type { ComputeVmSpec, ResourceSpec } from '../../../domain/resources.js';
import type { Block, Value } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import type { RuleGroup } from '../topology.js';
import { vmPlacement, vmRuleGroup } from '../topology.js';
import { withLabels } from '../labels.js';
import { groupId, subnetId, subnetZone } from './network.js';

type Arch = 'x86_64' | 'arm64';

/** Publisher account and AMI name pattern per image alias: the official images, newest first. */
const IMAGES: Record<string, { owner: string; name: (arch: Arch) => string }> = {
  'ubuntu-22.04': { owner: '099720109477', name: (a) => `ubuntu/images/hvm-ssd*/ubuntu-jammy-22.04-${a === 'arm64' ? 'arm64' : 'amd64'}-server-*` },
  'ubuntu-24.04': { owner: '099720109477', name: (a) => `ubuntu/images/hvm-ssd*/ubuntu-noble-24.04-${a === 'arm64' ? 'arm64' : 'amd64'}-server-*` },
  'debian-12': { owner: '136693071363', name: (a) => `debian-12-${a === 'arm64' ? 'arm64' : 'amd64'}-*` },
  'amazon-linux-2023': { owner: 'amazon', name: (a) => `al2023-ami-2023.*-${a}` },
};

/** Graviton families (t4g, m7g, c6gn…) have a `g` right after the generation digit. */
const arch = (vm: ComputeVmSpec): Arch => (/^[a-z]+\d+g/.test(vm.machine_type) ? 'arm64' : 'x86_64');

const amiLabel = (vm: ComputeVmSpec) => `${vm.image.replace(/\./g, '-')}_${arch(vm)}_${vm.region}`;

/** One lookup per (image, architecture, region) the VMs need, in first-use order. */
export function amiLookups(vms: ComputeVmSpec[]): Block[] {
  const seen = new Map<string, Block>();
  for (const vm of vms) {
    const image = IMAGES[vm.image];
    if (!image || seen.has(amiLabel(vm))) continue;
    seen.set(amiLabel(vm), block('data', ['aws_ami', amiLabel(vm)], [
      attr('region', vm.region),
      attr('most_recent', true),
      attr('owners', [image.owner]),
      block('filter', [], [attr('name', 'name'), attr('values', [image.name(arch(vm))])]),
      block('filter', [], [attr('name', 'architecture'), attr('values', [arch(vm)])]),
      block('filter', [], [attr('name', 'virtualization-type'), attr('values', ['hvm'])]),
    ]));
  }
  return [...seen.values()];
}

/**
 * In a VPC the instance takes the subnet in its zone (else the first); its zone is the subnet's.
 * On the default VPC it keeps the spec's zone. Either way it joins its network's security group.
 */
export function instance(vm: ComputeVmSpec, specs: ResourceSpec[], groups: RuleGroup[]): Block {
  const placement = vmPlacement(specs, vm);
  const subnet = placement && (placement.vpc.subnets.find((s) => subnetZone(placement.vpc, s) === vm.zone) ?? placement.subnet);
  const group = vmRuleGroup(groups, vm, placement);
  const lookup = IMAGES[vm.image] !== undefined;
  const ami: Value = lookup ? ref('data', 'aws_ami', amiLabel(vm), 'id') : vm.image;
  return block('resource', ['aws_instance', vm.name], body(
    attr('region', vm.region),
    attr('ami', ami),
    attr('instance_type', vm.machine_type),
    placement && subnet ? attr('subnet_id', subnetId(placement.vpc, subnet)) : attr('availability_zone', vm.zone),
    optAttr('vpc_security_group_ids', group ? [groupId(group)] : undefined),
    attr('tags', withLabels({ Name: vm.name }, vm)),
    block('root_block_device', [], [attr('volume_size', vm.disk_size_gb), attr('volume_type', vm.disk_type), attr('encrypted', true)]),
    // IMDSv2 only: instance credentials are not readable by a plain GET from a compromised app.
    block('metadata_options', [], [attr('http_tokens', 'required')]),
    // "most_recent" moves with every image release; without this each new AMI would replace the VM.
    lookup ? block('lifecycle', [], [attr('ignore_changes', [ref('ami')])]) : undefined,
  ));
}
