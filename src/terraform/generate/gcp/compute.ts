/** GCP VMs: google_compute_instance with its boot disk, on the config's VPC subnet or the default network. */
import type { ComputeVmSpec, ResourceSpec } from '../../../domain/resources.js';
import type { Block } from '../hcl.js';
import { attr, block, body, optAttr } from '../hcl.js';
import { labelsOf } from '../labels.js';
import { vmPlacement } from '../topology.js';
import { subnetRef } from './network.js';

/**
 * `<family>-custom` + cpu/memory_gb becomes GCP's custom type name, memory in MiB. N1 is the one
 * family whose custom types carry no family prefix (`custom-2-4096`).
 */
export function machineType(vm: ComputeVmSpec): string {
  const custom = /^([a-z0-9]+)-custom$/.exec(vm.machine_type);
  if (!custom) return vm.machine_type;
  if (vm.cpu === undefined || vm.memory_gb === undefined) throw new Error(`compute_vm ${vm.name}: ${vm.machine_type} needs cpu and memory_gb`);
  const shape = `custom-${vm.cpu}-${Math.round(vm.memory_gb * 1024)}`;
  return custom[1] === 'n1' ? shape : `${custom[1]}-${shape}`;
}

export function instance(vm: ComputeVmSpec, specs: ResourceSpec[]): Block {
  const placement = vmPlacement(specs, vm);
  return block('resource', ['google_compute_instance', vm.name], body(
    attr('name', vm.name),
    attr('machine_type', machineType(vm)),
    attr('zone', vm.zone),
    // Resizing (a machine_type change) needs the VM stopped; without this the apply fails instead.
    attr('allow_stopping_for_update', true),
    optAttr('labels', labelsOf(vm)),
    block('boot_disk', [], [
      block('initialize_params', [], [attr('image', vm.image), attr('size', vm.disk_size_gb), attr('type', vm.disk_type)]),
    ]),
    block('network_interface', [], [
      placement ? attr('subnetwork', subnetRef(placement.vpc.name, placement.subnet.name)) : attr('network', 'default'),
      // An ephemeral public IP, as the console gives by default; firewall rules decide what reaches it.
      block('access_config', [], []),
    ]),
  ));
}
