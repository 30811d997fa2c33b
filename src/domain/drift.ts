import type { ResourceSpec } from './resources.js';

/** The sandbox cloud's view of a sandbox project: each resource's fields as its "cloud API" holds them, by spec name. */
export interface SandboxWorld {
  resources: Record<string, Record<string, unknown>>;
  updatedAt: string;
}

/** The world a sandbox cloud has after an apply: exactly the specs deployed. */
export const worldOf = (specs: ResourceSpec[]): SandboxWorld['resources'] =>
  Object.fromEntries(specs.map((s) => [s.name, { ...s } as Record<string, unknown>]));

/** One attribute that differs: what was deployed, what the cloud holds now (undefined where either has none). */
export interface DriftedAttribute {
  attribute: string;
  deployed: unknown;
  observed: unknown;
}

export interface DriftedResource {
  name: string;
  type: string;
  /** `missing`: deleted out of band; `changed`: it exists with other values. */
  kind: 'missing' | 'changed';
  attributes: DriftedAttribute[];
}

export interface DriftReport {
  projectId: string;
  provider: string;
  checkedAt: string;
  /** Resources deployed when the check ran. */
  resources: number;
  drifted: DriftedResource[];
}
