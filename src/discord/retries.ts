/** 5xx, 429 and network failures (no HTTP status) are worth another try; a 4xx refusal is not. */
export function isRetryableSendError(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status !== 'number' || status >= 500 || status === 429;
}

/** More 5xx than discord.js retries must not lose a board, an error or a summary. */
const MESSAGE_ATTEMPTS = 6;

/**
 * One Discord call, retried with backoff while the failure is worth another try. A message it sends must
 * carry a nonce: Discord drops a second message with a nonce it has seen (enforce_nonce), so a retry after
 * a lost response is never posted twice.
 */
export async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= MESSAGE_ATTEMPTS || !isRetryableSendError(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(8000, 500 * 2 ** (attempt - 1))));
    }
  }
}
