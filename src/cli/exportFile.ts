import { linkSync, lstatSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { CoreError, environmentError } from '../domain/errors.js';

const CHUNK_BYTES = 64 * 1024;

/**
 * Streams lines into a new file: written beside it and linked into place at the end, so a failed or
 * interrupted export leaves no half file, and whatever is already at `path` (a file, a directory, a
 * symlink, even a dangling one) is never replaced. Returns false when `signal` stopped it (nothing written).
 */
export async function writeNewFile(path: string, lines: AsyncIterable<string>, signal: AbortSignal): Promise<boolean> {
  const taken = () => new CoreError('conflict', `${path} already exists; give the export a new file name`);
  if (lstatSync(path, { throwIfNoEntry: false })) throw taken();
  const partial = `${path}.partial-${process.pid}`;
  const file = await open(partial, 'wx', 0o600).catch((e: unknown) => {
    throw environmentError(e, `write ${path}`) ?? ((e as NodeJS.ErrnoException).code === 'EEXIST' ? new CoreError('conflict', `${partial} is in the way; remove it or give the export a new file name`) : e);
  });
  // From here the partial file is ours to remove, whatever happens.
  try {
    let chunk: string[] = [];
    let size = 0;
    for await (const line of lines) {
      if (signal.aborted) return false;
      chunk.push(line);
      size += line.length;
      if (size >= CHUNK_BYTES) {
        await file.write(chunk.join(''));
        chunk = [];
        size = 0;
      }
    }
    if (signal.aborted) return false;
    await file.write(chunk.join(''));
    await file.sync();
    linkSync(partial, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw taken();
    throw environmentError(e, `write ${path}`) ?? e;
  } finally {
    await file.close().catch(() => undefined);
    rmSync(partial, { force: true });
  }
}
