import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const HASH = /^[0-9a-f]{40}$/;
const REF = /^refs\/heads\/[A-Za-z0-9._/-]{1,200}$/;

/**
 * The commit HEAD points at, read from the repository's files instead of a git process: asked on every
 * approval, where dozens of concurrent clicks must each answer within Discord's three seconds. Only the
 * plain layouts (a detached hash, or a branch as a loose or packed ref) are read; anything else is
 * undefined, and the caller asks git.
 */
export async function headCommit(dir: string): Promise<string | undefined> {
  const gitDir = join(dir, '.git');
  const read = (path: string) => readFile(join(gitDir, path), 'utf8').catch(() => undefined);
  const head = (await read('HEAD'))?.trim();
  if (!head) return undefined;
  if (HASH.test(head)) return head;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (!ref || !REF.test(ref) || ref.includes('..')) return undefined;
  const loose = (await read(ref))?.trim();
  if (loose !== undefined) return HASH.test(loose) ? loose : undefined;
  const packed = (await read('packed-refs'))?.split('\n').find((line) => line.endsWith(` ${ref}`))?.slice(0, 40);
  return packed && HASH.test(packed) ? packed : undefined;
}
