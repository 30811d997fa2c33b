import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { CoreError, validationError } from './domain/errors.js';

/** A file's size as a person reads it: KiB below a megabyte, MB with one decimal above. */
export const sizeText = (bytes: number) => (bytes < 1048576 ? `${Math.ceil(bytes / 1024)} KiB` : `${(bytes / 1048576).toFixed(1)} MB`);

/**
 * Reads a file a user named (a resources file, a price list): a regular file only — never a device, a
 * FIFO, a directory or a link to one — and never more than `limit` + 1 bytes, whatever its size claims.
 * Opened non-blocking, so a FIFO is refused instead of waiting for a writer.
 */
export function readUserFile(path: string, limit: number, what: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new CoreError('not_found', `${what} '${path}' was not found.`);
    throw validationError([`${what} '${path}' cannot be read (${code ?? 'error'}); give the path of a readable file`]);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a directory' : stat.isFIFO() ? 'a pipe (FIFO)' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'not a regular file';
      throw validationError([`${what} '${path}' is ${kind}; give the path of a regular file`]);
    }
    const tooBig = (size: string) => validationError([`${what} '${path}' is ${size}; at most ${sizeText(limit)} is allowed`]);
    if (stat.size > limit) throw tooBig(sizeText(stat.size));
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1 << 20, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw tooBig(`over ${sizeText(limit)}`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** A file's bytes as UTF-8 text; bytes that are not UTF-8 are refused, naming the file (field `file`). */
export function utf8Text(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw validationError([{ field: 'file', message: `${what} is not UTF-8 text` }]);
  }
}
