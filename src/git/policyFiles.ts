import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CoreError } from '../domain/errors.js';

/**
 * Where a pack file lives in the working tree, once the folder and the file are seen to be what they seem:
 * a symbolic link planted in their place would send the write elsewhere.
 */
export async function policyFilePath(workspace: string, path: string): Promise<string> {
  const file = join(workspace, path);
  for (const p of [dirname(file), file]) {
    const stat = await lstat(p).catch(() => undefined);
    if (stat?.isSymbolicLink()) throw new CoreError('storage', `${p} is a symbolic link, where the project repository keeps its policy files; remove it and try again`);
  }
  return file;
}

/** Puts a pack file's new text (null: no file) in the working tree, where git adds it from. */
export async function writePolicyFile(file: string, text: string | null): Promise<void> {
  if (text === null) return rm(file, { force: true });
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
