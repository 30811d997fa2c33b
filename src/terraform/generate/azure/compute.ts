/** Azure VMs: azurerm_linux_virtual_machine with its NIC; SSH keys only, no password, no public IP. */
import type { ComputeVmSpec, ResourceSpec } from '../../../domain/resources.js';
import type { Block } from '../hcl.js';
import { attr, block, body, optAttr, ref } from '../hcl.js';
import { labelsOf } from '../labels.js';
import { hasZones, placed } from './common.js';
import { vmSubnetRef } from './network.js';

const ADMIN = 'azureuser';
export const SSH_KEY_VARIABLE = 'admin_ssh_public_key';

/** Marketplace images per alias; anything else is a managed image id (the catalog's pattern). */
const IMAGES: Record<string, { publisher: string; offer: string; sku: string }> = {
  'ubuntu-22.04': { publisher: 'Canonical', offer: '0001-com-ubuntu-server-jammy', sku: '22_04-lts-gen2' },
  'ubuntu-24.04': { publisher: 'Canonical', offer: 'ubuntu-24_04-lts', sku: 'server' },
  'debian-12': { publisher: 'Debian', offer: 'debian-12', sku: '12-gen2' },
};

export function sshKeyVariable(): Block {
  return block('variable', [SSH_KEY_VARIABLE], [
    attr('description', 'SSH public key (ssh-rsa or ssh-ed25519) for the azureuser account on every VM; supply it as TF_VAR_admin_ssh_public_key.'),
    attr('type', ref('string')),
  ]);
}

export function virtualMachine(vm: ComputeVmSpec, specs: ResourceSpec[]): Block[] {
  const image = IMAGES[vm.image];
  const tags = optAttr('tags', labelsOf(vm));
  const nic = block('resource', ['azurerm_network_interface', vm.name], body(
    ...placed(`${vm.name}-nic`, vm.region),
    tags,
    block('ip_configuration', [], [
      attr('name', 'internal'),
      attr('subnet_id', vmSubnetRef(specs, vm)),
      attr('private_ip_address_allocation', 'Dynamic'),
    ]),
  ));
  const machine = block('resource', ['azurerm_linux_virtual_machine', vm.name], body(
    ...placed(vm.name, vm.region),
    attr('size', vm.machine_type),
    ...(hasZones(vm.region) ? [attr('zone', vm.zone)] : []),
    attr('admin_username', ADMIN),
    attr('disable_password_authentication', true),
    attr('network_interface_ids', [ref('azurerm_network_interface', vm.name, 'id')]),
    ...(image ? [] : [attr('source_image_id', vm.image)]),
    tags,
    block('admin_ssh_key', [], [attr('username', ADMIN), attr('public_key', ref('var', SSH_KEY_VARIABLE))]),
    block('os_disk', [], [attr('caching', 'ReadWrite'), attr('storage_account_type', vm.disk_type), attr('disk_size_gb', vm.disk_size_gb)]),
    ...(image
      ? [block('source_image_reference', [], [attr('publisher', image.publisher), attr('offer', image.offer), attr('sku', image.sku), attr('version', 'latest')])]
      : []),
  ));
  return [nic, machine];
}
