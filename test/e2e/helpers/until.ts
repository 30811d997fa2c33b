import { readFileSync } from 'node:fs';

/** Polls `check` until it holds: for conditions no REST call signals (files on disk, processes). */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Resource names in a Terraform state file, or undefined while it is missing or half-written. */
export function resourcesInStateFile(path: string): string[] | undefined {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { resources: Array<{ name: string }> }).resources.map((r) => r.name);
  } catch {
    return undefined;
  }
}
