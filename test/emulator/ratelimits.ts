import { createHash } from 'node:crypto';

/** A bucket's size: `count` requests per `windowMs`. */
export interface BucketLimit {
  count: number;
  windowMs: number;
}

/** Routes Discord limits per channel: creating messages, and editing them (about 5 per 5 s each). */
export const CHANNEL_MESSAGE_ROUTES = ['POST /channels/:channelId/messages', 'PATCH /channels/:channelId/messages/:messageId'];

/**
 * Plausible `x-ratelimit-*` headers. Buckets are per route pattern and major parameter, as on
 * Discord. The default limit is generous (50 per second, Discord's global limit) so that a bot never
 * waits on a bucket the emulator invented; real 429s come from injected faults, and from the buckets
 * given a limit of their own (`perRoute`, e.g. Discord's messages per channel), which answer 429 once spent.
 */
export class RateLimits {
  private readonly windows = new Map<string, { resetAt: number; used: number; limit: number }>();

  constructor(
    private readonly limit = 50,
    private readonly windowMs = 1_000,
    private readonly perRoute: Record<string, BucketLimit> = {},
  ) {}

  /**
   * Counts a request against its bucket: the headers of a normal response, or, when a bucket with a
   * limit of its own is spent, the milliseconds until it resets (the request must get a 429).
   */
  take(routePattern: string, majorParam: string, now = Date.now()): { headers: Record<string, string> } | { limitedForMs: number } {
    const key = `${routePattern}:${majorParam}`;
    const own = this.perRoute[routePattern];
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) {
      window = { resetAt: now + (own?.windowMs ?? this.windowMs), used: 0, limit: own?.count ?? this.limit };
      this.windows.set(key, window);
    }
    if (own && window.used >= window.limit) return { limitedForMs: window.resetAt - now };
    window.used++;
    return {
      headers: {
        'x-ratelimit-bucket': bucketHash(routePattern),
        'x-ratelimit-limit': String(window.limit),
        'x-ratelimit-remaining': String(Math.max(0, window.limit - window.used)),
        'x-ratelimit-reset': (window.resetAt / 1000).toFixed(3),
        'x-ratelimit-reset-after': ((window.resetAt - now) / 1000).toFixed(3),
      },
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
