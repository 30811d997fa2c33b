import { OBSERVED_OUTPUT } from './generate/sandbox.js';

type Resources = Record<string, Record<string, unknown>>;

/** The sandbox world as a Terraform state with one string output, which the drift probe reads through `terraform_remote_state`. */
export function worldStateFile(resources: Resources, updatedAt: string): string {
  return `${JSON.stringify({
    version: 4, terraform_version: '1.5.0', serial: 1, lineage: `cloud-engine-sandbox-world-${updatedAt}`,
    outputs: { resources_json: { value: JSON.stringify(resources), type: 'string' } }, resources: [],
  }, null, 2)}\n`;
}

interface ShownPlan {
  planned_values?: { outputs?: Record<string, { value?: unknown }> };
  output_changes?: Record<string, { after?: unknown }>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What the refresh-only plan observed in the sandbox cloud (`show -json` of it); undefined when the plan has no such output. */
export function observedResources(showJson: string): Resources | undefined {
  const plan = JSON.parse(showJson) as ShownPlan;
  const value = plan.planned_values?.outputs?.[OBSERVED_OUTPUT]?.value ?? plan.output_changes?.[OBSERVED_OUTPUT]?.after;
  if (!isRecord(value)) return undefined;
  return Object.fromEntries(Object.entries(value).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1])));
}
