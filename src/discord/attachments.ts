import { CoreError, validationError } from '../domain/errors.js';
import { sizeText } from '../userFiles.js';

const DOWNLOAD_TIMEOUT_MS = 20_000;
const limitText = (bytes: number) => (bytes < 1048576 ? `${bytes / 1024} KiB` : `${bytes / 1048576} MB`);

/**
 * Reads an attachment a user gave a command, but never more than `limit` bytes: the declared size and
 * Content-Length are checked first, and the body is counted as it streams, so a file that lies is cut
 * off at the limit. Refusals name the `file` option.
 */
export async function downloadAttachment(file: { url: string; size: number }, limit: number): Promise<Buffer> {
  const tooBig = (size: string) => validationError([{ field: 'file', message: `file: it is ${size}; at most ${limitText(limit)} is allowed` }]);
  if (file.size > limit) throw tooBig(sizeText(file.size));
  const failed = (why: string) => new CoreError('unavailable', `file: Discord did not hand over the attachment (${why}); upload it again`);
  let res: Response;
  try {
    res = await fetch(file.url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (e) {
    throw failed((e as Error).name === 'TimeoutError' ? `no answer in ${DOWNLOAD_TIMEOUT_MS / 1000} s` : 'the download failed');
  }
  if (!res.ok || !res.body) throw failed(`HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > limit) {
    await res.body.cancel();
    throw tooBig(sizeText(declared));
  }
  const chunks: Buffer[] = [];
  let read = 0;
  // Leaving the loop early (the throw) cancels the stream: the rest is never downloaded.
  try {
    for await (const chunk of res.body) {
      read += chunk.length;
      if (read > limit) throw tooBig(`over ${limitText(limit)}`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw failed('the download was cut off');
  }
  return Buffer.concat(chunks);
}
