import { z } from 'zod';
import { CoreError } from '../domain/errors.js';
import type { ResourceChange } from '../domain/plans.js';
import { ATTRIBUTE_LIMITS, attributeChanges } from './planAttributes.js';

/** The part of `terraform show -json <planfile>` we rely on (format_version 1.x). */
const planSchema = z.object({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  resource_changes: z
    .array(z.object({
      address: z.string(),
      type: z.string(),
      name: z.string(),
      mode: z.string().optional(),
      change: z.object({
        actions: z.array(z.string()),
        before: z.unknown().optional(),
        after: z.unknown().optional(),
        after_unknown: z.unknown().optional(),
        before_sensitive: z.unknown().optional(),
        after_sensitive: z.unknown().optional(),
        replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
      }),
    }))
    .optional()
    .default([]),
  errored: z.boolean().optional(),
});

export interface PlanSummary {
  toAdd: number;
  toChange: number;
  toDestroy: number;
  changes: ResourceChange[];
  terraformVersion: string | undefined;
}

/**
 * Updates and replacements carry the attributes they change (the first `detailedResources` of them: a
 * plan of thousands stays a small record); creates and destroys are whole.
 */
function detailed(rc: { address: string; type: string; name: string; change: Parameters<typeof attributeChanges>[0] & { actions: string[] } }, detailedSoFar: number): ResourceChange {
  const { actions } = rc.change;
  const base = { address: rc.address, type: rc.type, name: rc.name, actions };
  if (!actions.includes('update') && !(actions.includes('create') && actions.includes('delete'))) return base;
  if (detailedSoFar >= ATTRIBUTE_LIMITS.detailedResources) return base;
  const { attributes, more } = attributeChanges(rc.change);
  return { ...base, attributes, ...(more ? { moreAttributes: more } : {}) };
}

export type PlanJson = z.infer<typeof planSchema>;

/** `terraform show -json` output, checked against the part of the format we rely on. */
export function readPlanJson(json: string): PlanJson {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new CoreError('terraform', 'terraform show -json did not return JSON');
  }
  const parsed = planSchema.safeParse(raw);
  if (!parsed.success) throw new CoreError('terraform', `Unexpected plan JSON from terraform show: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

/** Counts as Terraform's own summary line does: a replace is one add and one destroy. */
export function summarizePlan(json: string): PlanSummary {
  const plan = readPlanJson(json);
  let toAdd = 0, toChange = 0, toDestroy = 0;
  const changes: ResourceChange[] = [];
  let detailedCount = 0;
  for (const rc of plan.resource_changes) {
    if (rc.mode === 'data') continue;
    const a = rc.change.actions;
    if (a.includes('create')) toAdd++;
    if (a.includes('delete')) toDestroy++;
    if (a.includes('update')) toChange++;
    if (a.length === 1 && (a[0] === 'no-op' || a[0] === 'read')) continue;
    const change = detailed(rc, detailedCount);
    if (change.attributes) detailedCount++;
    changes.push(change);
  }
  return { toAdd, toChange, toDestroy, changes, terraformVersion: plan.terraform_version };
}

export const planLine = (s: { toAdd: number; toChange: number; toDestroy: number }) =>
  s.toAdd + s.toChange + s.toDestroy === 0
    ? 'No changes. Your infrastructure matches the configuration.'
    : `Plan: ${s.toAdd} to add, ${s.toChange} to change, ${s.toDestroy} to destroy`;
