import { readFileSync } from 'node:fs';

/** Polls `check` until it holds: for conditions no REST call signals (files on disk, processes). */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A Terraform state as far as these tests read it. */
export interface TfState {
  serial: number;
  lineage: string;
  resources: Array<{ name: string; instances: unknown[] }>;
}

/** Resources that exist in a state: an entry whose create has not finished has no instance yet. */
export const createdIn = (state: TfState): string[] => state.resources.filter((r) => r.instances.length > 0).map((r) => r.name);

/** Resources created according to a Terraform state file, or undefined while it is missing or half-written. */
export function resourcesInStateFile(path: string): string[] | undefined {
  try {
    return createdIn(JSON.parse(readFileSync(path, 'utf8')) as TfState);
  } catch {
    return undefined;
  }
}
