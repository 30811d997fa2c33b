import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { POLICY_DIR } from '../domain/policy.js';
import type { GitRunner } from './client.js';

// Workspace paths are validated plain ASCII, so newline-separated output is unambiguous where -z is unavailable.
const lines = (out: string, sep = '\0') => out.split(sep).filter(Boolean);

/**
 * Makes the index equal HEAD plus exactly `files`, plus the removal of tracked files that are gone
 * from the workspace (never a policy file). Anything ignored is left out even when listed or already tracked, so state,
 * plans and credentials can never reach a commit. Returns the listed files that were ignored.
 */
export async function stageExactly(git: GitRunner, dir: string, files: string[]): Promise<string[]> {
  // Start from HEAD: whatever an earlier, interrupted operation staged must not ride along.
  await git(['read-tree', 'HEAD']);
  const ignored = files.length ? new Set(lines(await git(['check-ignore', '--no-index', '--', ...files]), '\n')) : new Set<string>();
  const present = files.filter((f) => !ignored.has(f) && existsSync(join(dir, f)));
  if (present.length) await git(['add', '--', ...present]);
  // Policy files change only through their own reviewed commits: one missing from disk is not removed here.
  const gone = lines(await git(['ls-files', '-z', '--deleted'])).filter((f) => !f.startsWith(`${POLICY_DIR}/`));
  const trackedButIgnored = lines(await git(['ls-files', '-z', '--cached', '--ignored', '--exclude-standard']));
  const remove = [...new Set([...gone, ...trackedButIgnored])];
  if (remove.length) await git(['rm', '-q', '--cached', '--', ...remove]);
  return files.filter((f) => ignored.has(f));
}
