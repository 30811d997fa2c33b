import { readFileSync } from 'node:fs';

/** Polls `check` until it holds: for conditions no REST call signals (files on disk, processes). `what` may say what was seen instead. */
export async function until(check: () => boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
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

/** A one-line account of a state file, for failure messages. */
export function describeStateFile(path: string): string {
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as TfState;
    const pending = state.resources.filter((r) => r.instances.length === 0).map((r) => r.name);
    return `serial ${state.serial}, ${state.resources.length} entries, ${createdIn(state).length} created${pending.length ? `, not yet: ${pending.join(', ')}` : ''}`;
  } catch (e) {
    return `unreadable (${(e as Error).message})`;
  }
}
