import { createHash } from 'node:crypto';

/**
 * Plausible `x-ratelimit-*` headers. Buckets are per route pattern and major parameter, as on
 * Discord. The limit is generous (50 per second, Discord's global limit) so that a bot never
 * waits on a bucket the emulator invented; real 429s come only from injected faults.
 */
export class RateLimits {
  private readonly windows = new Map<string, { resetAt: number; used: number }>();

  constructor(
    private readonly limit = 50,
    private readonly windowMs = 1_000,
  ) {}

  /** Headers for a normal response; counts the request against its bucket. */
  headers(routePattern: string, majorParam: string, now = Date.now()): Record<string, string> {
    const key = `${routePattern}:${majorParam}`;
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { resetAt: now + this.windowMs, used: 0 };
      this.windows.set(key, window);
    }
    window.used++;
    return {
      'x-ratelimit-bucket': bucketHash(routePattern),
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(Math.max(0, this.limit - window.used)),
      'x-ratelimit-reset': (window.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((window.resetAt - now) / 1000).toFixed(3),
    };
  }

  /**
   * Headers of a 429. `retry-after` is in seconds like Discord's, but keeps sub-second
   * precision so tests can inject short limits; discord.js honours fractional values.
   */
  limitedHeaders(routePattern: string, retryAfterMs: number, global: boolean, now = Date.now()): Record<string, string> {
    const seconds = String(retryAfterMs / 1000);
    return {
      'retry-after': seconds,
      'x-ratelimit-bucket': bucketHash(routePattern),
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': ((now + retryAfterMs) / 1000).toFixed(3),
      'x-ratelimit-reset-after': seconds,
      'x-ratelimit-scope': global ? 'global' : 'user',
      // discord.js treats the mere presence of this header as "global", so only send it then.
      ...(global ? { 'x-ratelimit-global': 'true' } : {}),
    };
  }
}

function bucketHash(routePattern: string): string {
  return createHash('md5').update(routePattern).digest('hex');
}
