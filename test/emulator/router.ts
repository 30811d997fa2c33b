import type { RecordedFile } from './recorder.js';

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

export interface ApiResponse {
  status: number;
  /** Serialized as JSON; absent for 204. */
  body?: object;
}

export type Handler = (request: ApiRequest) => ApiResponse | Promise<ApiResponse>;

export interface Route {
  method: string;
  pattern: string;
  handler: Handler;
  /** False for routes authenticated by a token in the path (interaction callbacks, webhooks). */
  auth: boolean;
  /** Identifies the rate-limit bucket's major parameter (channel, guild, webhook). */
  majorParam: (params: Record<string, string>) => string;
  matches: (path: string) => Record<string, string> | null;
}

/** Compiles `/channels/:channelId/messages` into a matcher that returns the params. */
export function compilePattern(pattern: string): (path: string) => Record<string, string> | null {
  const keys: string[] = [];
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, key: string) => {
    keys.push(key);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${source}$`);
  return (path) => {
    const match = regex.exec(path);
    if (!match) return null;
    return Object.fromEntries(keys.map((key, i) => [key, match[i + 1]!]));
  };
}

const MAJOR_PARAMS = ['channelId', 'guildId', 'webhookId', 'interactionId'];

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, options: { auth?: boolean } = {}): void {
    const major = MAJOR_PARAMS.find((key) => pattern.includes(`:${key}`));
    this.routes.push({
      method,
      pattern,
      handler,
      auth: options.auth ?? true,
      majorParam: (params) => (major ? (params[major] ?? '') : ''),
      matches: compilePattern(pattern),
    });
  }

  match(method: string, path: string): { route: Route; params: Record<string, string> } | null {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = route.matches(path);
      if (params) return { route, params };
    }
    return null;
  }
}
