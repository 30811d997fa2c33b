/**
 * What policies see of a Terraform plan: each managed resource's change with every value Terraform
 * marks sensitive replaced by a stand-in, so no rule (and no finding quoting one) can read a secret.
 */
import type { PlanJson } from '../terraform/planJson.js';

/** A JSON value as CEL reads it: numbers are doubles, objects are maps with string keys. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const SENSITIVE = '(sensitive)';
/** Deeper than any configuration we generate; a value nested below is cut rather than walked without bound. */
const MAX_DEPTH = 48;
const CUT = '(too deep)';

export interface PlanChange {
  address: string;
  type: string;
  name: string;
  actions: string[];
  before: JsonValue;
  after: JsonValue;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The part of a sensitivity or unknown mark (true, or an object or list mirroring the value) under one key. */
function markAt(mark: unknown, key: string | number): unknown {
  if (mark === true) return true;
  if (Array.isArray(mark)) return typeof key === 'number' ? mark[key] : undefined;
  return isObject(mark) ? mark[String(key)] : undefined;
}

/** The strings under a sensitivity mark's `true`s: the secrets of one change. */
function secretsIn(value: unknown, mark: unknown, out: Set<string>, depth = 0): void {
  if (depth >= MAX_DEPTH || mark === undefined || mark === false || value === null || value === undefined) return;
  if (typeof value === 'string' && mark === true && value) out.add(value);
  else if (Array.isArray(value)) value.forEach((v, i) => secretsIn(v, markAt(mark, i), out, depth + 1));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) secretsIn(v, markAt(mark, k), out, depth + 1);
}

/**
 * The value with sensitive parts masked and parts unknown until apply as null (Terraform leaves them out
 * of `after`, and lists them in `after_unknown`); masking wins where both apply. A copy of a secret
 * Terraform did not mark (terraform_data copies `input` to `output` without the mark) is masked too.
 */
function masked(value: unknown, sensitive: unknown, unknown: unknown, secrets: Set<string>, depth: number): JsonValue {
  if (sensitive === true) return SENSITIVE;
  if (unknown === true) return null;
  if (depth >= MAX_DEPTH) return CUT;
  if (Array.isArray(value)) return value.map((v, i) => masked(v, markAt(sensitive, i), markAt(unknown, i), secrets, depth + 1));
  if (isObject(value) || isObject(unknown)) {
    const v = isObject(value) ? value : {};
    const keys = new Set([...Object.keys(v), ...(isObject(unknown) ? Object.keys(unknown).filter((k) => unknown[k] === true) : [])]);
    return Object.fromEntries([...keys].map((k) => [k, masked(v[k], markAt(sensitive, k), markAt(unknown, k), secrets, depth + 1)]));
  }
  if (value === undefined) return null;
  if (typeof value === 'string' && secrets.has(value)) return SENSITIVE;
  return value as JsonValue;
}

/** Managed resources only: a data source's read changes nothing a policy guards. */
export function policyChanges(plan: PlanJson): PlanChange[] {
  return plan.resource_changes.filter((rc) => rc.mode !== 'data').map(({ address, type, name, change }) => {
    const secrets = new Set<string>();
    secretsIn(change.before, change.before_sensitive, secrets);
    secretsIn(change.after, change.after_sensitive, secrets);
    return {
      address,
      type,
      name,
      actions: change.actions,
      before: change.before == null ? null : masked(change.before, change.before_sensitive, undefined, secrets, 0),
      after: change.after == null && change.after_unknown !== true ? null : masked(change.after, change.after_sensitive, change.after_unknown, secrets, 0),
    };
  });
}
