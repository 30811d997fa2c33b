import { compilePattern } from './router.js';

/**
 * Selects requests by `'POST /channels/:id/messages'` (method optional, `:params` match one
 * path segment), by a RegExp tested against `'METHOD /path'`, or by a predicate.
 */
export type RouteMatcher = string | RegExp | ((request: { method: string; path: string }) => boolean);

export type Fault =
  | { kind: 'rateLimit'; retryAfterMs: number; global: boolean }
  | { kind: 'serverError'; status: number };

interface ArmedFault {
  matches: (method: string, path: string) => boolean;
  remaining: number;
  fault: Fault;
}

function toPredicate(matcher: RouteMatcher): (method: string, path: string) => boolean {
  if (typeof matcher === 'function') return (method, path) => matcher({ method, path });
  if (matcher instanceof RegExp) return (method, path) => matcher.test(`${method} ${path}`);
  const [first, second] = matcher.trim().split(/\s+/);
  const wantedMethod = second ? first!.toUpperCase() : null;
  const matchPath = compilePattern(second ?? first!);
  return (method, path) => (wantedMethod === null || wantedMethod === method) && matchPath(path) !== null;
}

/** Failures to inject into the next matching REST requests, before they reach any handler. */
export class Faults {
  private armed: ArmedFault[] = [];

  /** Answer the next `count` matching requests with 429 and Discord's rate-limit headers. */
  rateLimit(matcher: RouteMatcher, { count = 1, retryAfterMs = 1_000, global = false } = {}): void {
    this.armed.push({ matches: toPredicate(matcher), remaining: count, fault: { kind: 'rateLimit', retryAfterMs, global } });
  }

  /** Answer the next `count` matching requests with a 5xx. */
  serverError(matcher: RouteMatcher, { count = 1, status = 500 } = {}): void {
    if (status < 500 || status > 599) throw new RangeError(`serverError status must be 5xx, got ${status}`);
    this.armed.push({ matches: toPredicate(matcher), remaining: count, fault: { kind: 'serverError', status } });
  }

  clear(): void {
    this.armed = [];
  }

  /** Consumes and returns the fault for this request, if one is armed for it. */
  take(method: string, path: string): Fault | undefined {
    const armed = this.armed.find((a) => a.matches(method, path));
    if (!armed) return undefined;
    if (--armed.remaining <= 0) this.armed = this.armed.filter((a) => a !== armed);
    return armed.fault;
  }
}
