import type { ResourceSpec } from '../domain/resources.js';
import { formatUsd, type Money } from '../domain/money.js';
import type { Quota } from '../domain/projects.js';

/** Every way a configuration breaks the project's quota, each a sentence a user can act on. */
export function quotaProblems(quota: Quota | undefined, specs: ResourceSpec[], monthlyMicros: Money | null): string[] {
  if (!quota) return [];
  const problems: string[] = [];
  if (quota.maxResources !== null && specs.length > quota.maxResources) {
    problems.push(`The project allows at most ${quota.maxResources} resources; this configuration has ${specs.length}.`);
  }
  if (quota.maxMonthlyCostMicros !== null && monthlyMicros !== null && monthlyMicros > quota.maxMonthlyCostMicros) {
    problems.push(`The project's cost quota is ${formatUsd(quota.maxMonthlyCostMicros)}/month; this configuration is estimated at ${formatUsd(monthlyMicros)}/month.`);
  }
  for (const s of specs) {
    if (quota.allowedRegions && !quota.allowedRegions.includes(s.region)) {
      problems.push(`${s.name}: region ${s.region} is not allowed in this project; allowed: ${quota.allowedRegions.join(', ')}.`);
    }
    if (s.type === 'compute_vm' && quota.allowedMachineTypes && !quota.allowedMachineTypes.includes(s.machine_type)) {
      problems.push(`${s.name}: machine type ${s.machine_type} is not allowed in this project; allowed: ${quota.allowedMachineTypes.join(', ')}.`);
    }
  }
  return problems;
}
