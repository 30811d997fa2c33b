import { createWriteStream, existsSync, linkSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { CoreError, environmentError } from '../domain/errors.js';

/**
 * Streams lines into a new file: written beside it and linked into place at the end, so a failed or
 * interrupted export leaves no half file, and a file already there is never replaced.
 */
export async function writeNewFile(path: string, lines: AsyncIterable<string>): Promise<void> {
  if (existsSync(path)) throw new CoreError('conflict', `${path} already exists; give the export a new file name`);
  const partial = `${path}.partial-${process.pid}`;
  const out = createWriteStream(partial, { flags: 'wx', mode: 0o600 });
  try {
    await once(out, 'open');
    for await (const line of lines) if (!out.write(line)) await once(out, 'drain');
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    linkSync(partial, path);
  } catch (e) {
    out.destroy();
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new CoreError('conflict', `${path} was created while the export ran; give the export a new file name`);
    throw environmentError(e, `write ${path}`) ?? e;
  } finally {
    rmSync(partial, { force: true });
  }
}
