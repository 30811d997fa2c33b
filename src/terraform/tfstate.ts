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
