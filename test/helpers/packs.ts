/** A project pack file with one hard-mandatory rule: no large VM may be created. */
export const NO_LARGE_VMS = [
  'rules:',
  '  - id: no-large-vms',
  '    level: hard-mandatory',
  '    description: No large VMs in this project.',
  '    expression: resource.type == "compute_vm" && resource.machine_type == "large" && resource.action == "create"',
  '',
].join('\n');
