import { createHash } from 'node:crypto';
import { z } from 'zod';

const stateHeader = z.object({ version: z.number(), serial: z.number().int().nonnegative(), lineage: z.string().min(1) });

export interface ParsedState {
  serial: number;
  lineage: string;
  checksum: string;
  json: string;
  resourceCount: number;
}

export const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Parses a tfstate file's header; undefined when the text is not a usable state (corrupted, truncated). */
export function parseState(json: string): ParsedState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  const head = stateHeader.safeParse(raw);
  if (!head.success) return undefined;
  const resources = (raw as { resources?: unknown[] }).resources;
  return { serial: head.data.serial, lineage: head.data.lineage, checksum: sha256(json), json, resourceCount: Array.isArray(resources) ? resources.length : 0 };
}

/** The highest-serial state among `texts`; when none parses, the first text as it is (so its refusal can say why). */
export function newestState(texts: Array<string | undefined>): string | undefined {
  const valid = texts.flatMap((t) => {
    const parsed = t === undefined ? undefined : parseState(t);
    return parsed ? [parsed] : [];
  });
  if (!valid.length) return texts.find((t) => t !== undefined);
  return valid.reduce((a, b) => (b.serial > a.serial ? b : a)).json;
}

const stateResources = z.object({
  resources: z.array(z.object({
    mode: z.string(), type: z.string().default(''), name: z.string(), module: z.string().optional(), instances: z.array(z.object({ status: z.string().optional() }).passthrough()),
  })).default([]),
});

/** The managed resources a state holds with at least one instance; undefined when the text is not a state. */
function managedResources(json: string): z.infer<typeof stateResources>['resources'] | undefined {
  try {
    return stateResources.parse(JSON.parse(json)).resources.filter((r) => r.mode === 'managed' && r.instances.length > 0);
  } catch {
    return undefined;
  }
}

/**
 * The managed resources a state holds by Terraform address (`terraform_data.web`, `module.m.aws_s3_bucket.b`):
 * whether each is tainted (a create or replace that failed or was cut off; the next apply replaces it).
 */
export function stateAddresses(json: string): Map<string, { tainted: boolean }> | undefined {
  const resources = managedResources(json);
  return resources && new Map(resources.map((r) => [`${r.module ? `${r.module}.` : ''}${r.type}.${r.name}`, { tainted: r.instances.some((i) => i.status === 'tainted') }]));
}

/** Labels of the managed resources a state holds with at least one instance (tainted ones too: they exist). */
export function stateResourceNames(json: string): Set<string> | undefined {
  const resources = managedResources(json);
  return resources && new Set(resources.map((r) => r.name));
}
