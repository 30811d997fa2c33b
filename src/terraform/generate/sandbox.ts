/**
 * The sandbox cloud: every spec becomes Terraform's built-in `terraform_data`, so init, plan,
 * apply and state run for real, offline. The spec's fields are the resource's `input`, so
 * changing a field is an in-place update and removing a spec is a destroy.
 */
import { createHash } from 'node:crypto';
import type { ResourceSpec } from '../../domain/resources.js';
import type { Attribute, Block, Value } from './hcl.js';
import { assemble, idsOutput } from './files.js';
import { attr, block, body, ref, sensitive } from './hcl.js';
import { labelsOf } from './labels.js';

/** Any JSON-like spec value as an HCL value; keys sorted so field order never changes the bytes. */
function toValue(v: unknown, path: string): Value {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x, i) => toValue(x, `${path}[${i}]`));
  if (typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, toValue(x, `${path}.${k}`)]));
  }
  throw new Error(`sandbox: cannot write ${typeof v} at ${path}`);
}

/** `boot_seconds` simulates a slow create; it is interpolated into a shell command, so only a positive integer passes. */
function bootSleep(spec: ResourceSpec): Block | undefined {
  // Read loosely: the field is optional in the catalog and may arrive as anything from a file.
  const seconds: unknown = spec.type === 'compute_vm' ? (spec as { boot_seconds?: unknown }).boot_seconds : undefined;
  if (seconds === undefined || seconds === 0) return undefined;
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 0) {
    throw new Error(`sandbox: boot_seconds must be a non-negative integer, got ${String(seconds)}`);
  }
  return block('provisioner', ['local-exec'], [attr('command', `sleep ${seconds}`)]);
}

/**
 * No real cloud changes a database's engine in place, and a new server comes with new administrator
 * credentials: a sandbox database is replaced when its engine changes, and carries a stand-in password
 * (fictional, derived from its name and engine) marked sensitive, so plans show how secrets are hidden.
 * It sits in triggers_replace, not input: Terraform copies input to output without the sensitive mark.
 */
function databaseTriggers(spec: ResourceSpec): Attribute | undefined {
  if (spec.type !== 'database') return undefined;
  const password = `sandbox-${createHash('sha256').update(`${spec.name}:${spec.engine}`).digest('hex').slice(0, 16)}`;
  return attr('triggers_replace', { engine: spec.engine, admin_password: sensitive(password) });
}

/** The spec as it is, but no labels are no field at all (`{}` from a hand-made spec included), as before labels existed. */
const input = (spec: ResourceSpec): Value => toValue({ ...spec, labels: labelsOf(spec) }, spec.name);

const resource = (spec: ResourceSpec): Block =>
  block('resource', ['terraform_data', spec.name], body(attr('input', input(spec)), databaseTriggers(spec), bootSleep(spec)));

export function generateSandbox(specs: ResourceSpec[]): Record<string, string> {
  return assemble({
    pins: [],
    providers: [],
    main: specs.map(resource),
    variables: [],
    outputs: [idsOutput(specs.map((s) => [s.name, ref('terraform_data', s.name, 'id')]), 'Sandbox resource ids by spec name.')],
  });
}

/** The sandbox cloud's world as a drift run sees it: a state file beside the configuration (see sandboxWorld.ts). */
export const WORLD_FILE = 'world.tfstate';
export const OBSERVED_OUTPUT = 'sandbox_observed';

/**
 * Only for a drift run, never in a plan's configuration: `terraform_data` never drifts (its read returns the
 * prior state), so what the sandbox cloud holds is read at refresh from the world file, by a data source. A
 * conditional with `{}` would turn numbers into strings; `try()` keeps the decoded types.
 */
export function generateSandboxDriftProbe(): Record<string, string> {
  return {
    'drift.tf': `data "terraform_remote_state" "world" {
  count   = fileexists("\${path.module}/${WORLD_FILE}") ? 1 : 0
  backend = "local"
  config = {
    path = "\${path.module}/${WORLD_FILE}"
  }
}

output "${OBSERVED_OUTPUT}" {
  description = "What the sandbox cloud holds now, by spec name."
  value       = try(jsondecode(data.terraform_remote_state.world[0].outputs.resources_json), {})
}
`,
  };
}
