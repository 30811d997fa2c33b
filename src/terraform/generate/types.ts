import type { CloudIdentity } from '../../resources/identity.js';
import type { Labels, ResourceSpec, ResourceType } from '../../domain/resources.js';

export interface GenerateOptions {
  /** The name the project's cloud resources carry (Project.cloudName), ^[a-z][a-z0-9-]{2,39}$. */
  project: string;
  /** The identity the provider deploys as (only when it is this provider's); none: the process's own credentials. */
  identity?: CloudIdentity;
  /** The Cloud Engine session the run belongs to: the AWS role session's name, so CloudTrail shows it. */
  sessionId?: string;
  /** The external id an AWS run presents when it assumes the project's role (derived by Cloud Engine per project). */
  awsExternalId?: string;
  /** The project's labels (ProjectSettings.labels): every resource carries them, a spec's own value winning for its key. */
  labels?: Labels;
}

export interface GeneratedConfig {
  /** File name → content, every file `terraform fmt`-clean. */
  files: Record<string, string>;
  /** Providers the configuration requires (e.g. hashicorp/google); the runner re-inits when they change. */
  providerSources: string[];
}

/**
 * Resources are written networks first (others refer to them), then by input order within a
 * type, so the same specs always give the same bytes.
 */
export const TYPE_ORDER: readonly ResourceType[] = ['vpc_network', 'firewall_rule', 'compute_vm', 'database', 'storage_bucket'];

export function orderSpecs(specs: ResourceSpec[]): ResourceSpec[] {
  return TYPE_ORDER.flatMap((t) => specs.filter((s) => s.type === t));
}
