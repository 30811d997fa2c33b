import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_VERSION } from './constants.js';
import { ApiError, Errors, type DiscordErrorBody } from './errors.js';
import type { Faults } from './faults.js';
import { asObject, type JsonObject } from './json.js';
import type { MessageStore } from './messages.js';
import type { RateLimits } from './ratelimits.js';
import type { CallRecorder, RecordedFile } from './recorder.js';
import type { ApiRequest, ApiResponse, Route, Router } from './router.js';

export interface RestDeps {
  router: Router;
  recorder: CallRecorder;
  faults: Faults;
  rateLimits: RateLimits;
  messages: MessageStore;
  token: string;
}

interface Reply {
  status: number;
  body?: object;
  headers?: Record<string, string>;
}

const ATTACHMENT_PATH = /^\/attachments\/\d+\/(\d+)\/[^/]+$/;
const ATTACHMENT_ROUTE = 'GET /attachments/:channelId/:attachmentId/:filename';

/** Malformed escapes are left as they are rather than failing the request. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

async function readBody(request: IncomingMessage): Promise<{ body: unknown; files: RecordedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const contentType = request.headers['content-type'] ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith('multipart/form-data')) {
    // undici's Response parses multipart bodies, so no extra dependency is needed.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const body: JsonObject = {};
    const files: RecordedFile[] = [];
    for (const [field, value] of form) {
      if (typeof value !== 'string') {
        files.push({ field, filename: value.name, contentType: value.type || 'application/octet-stream', bytes: Buffer.from(await value.arrayBuffer()) });
      } else if (field === 'payload_json') Object.assign(body, asObject(JSON.parse(value)));
      else body[field] = value;
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw new ApiError(400, { message: 'The request body contains invalid JSON.', code: 50109 });
  }
}

function send(response: ServerResponse, reply: Reply): void {
  const headers = { ...reply.headers, ...(reply.body ? { 'content-type': 'application/json' } : {}) };
  response.writeHead(reply.status, headers).end(reply.body ? JSON.stringify(reply.body) : undefined);
}

function errorReply(error: unknown): Reply {
  if (error instanceof ApiError) return { status: error.status, body: error.body };
  // A bug in the emulator itself: make it loud rather than a silent, retried 500.
  console.error('[discord emulator] handler crashed:', error);
  return { status: 500, body: { message: '500: Internal Server Error', code: 0 } satisfies DiscordErrorBody };
}

/**
 * The HTTP side: `/api/v10/...` REST routes (recorded, faultable, rate-limit headers) and
 * `/attachments/...`, the emulator's stand-in for cdn.discordapp.com.
 */
export function createRequestHandler(deps: RestDeps) {
  const prefix = `/api/v${API_VERSION}`;

  const handleApi = async (match: { route: Route; params: Record<string, string> } | null, request: IncomingMessage, input: ApiRequest): Promise<Reply> => {
    if (!match) throw Errors.notFound();
    const { route, params } = match;
    const { method, path } = input;
    if (route.auth && request.headers.authorization !== `Bot ${deps.token}`) throw Errors.unauthorized();
    const fault = deps.faults.take(method, path);
    if (fault?.kind === 'rateLimit') {
      return {
        status: 429,
        headers: deps.rateLimits.limitedHeaders(`${method} ${route.pattern}`, fault.retryAfterMs, fault.global),
        body: { message: 'You are being rate limited.', retry_after: fault.retryAfterMs / 1000, global: fault.global },
      };
    }
    if (fault) return { status: fault.status, body: { message: `${fault.status}: Server Error`, code: 0 } };
    const bucket = deps.rateLimits.take(`${method} ${route.pattern}`, route.majorParam(params));
    if ('limitedForMs' in bucket) {
      return {
        status: 429,
        headers: deps.rateLimits.limitedHeaders(`${method} ${route.pattern}`, bucket.limitedForMs, false),
        body: { message: 'You are being rate limited.', retry_after: bucket.limitedForMs / 1000, global: false },
      };
    }
    const result: ApiResponse = await route.handler({ ...input, params });
    return { ...result, headers: bucket.headers };
  };

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const time = Date.now();
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://emulator');
    const record = (path: string, route: string | null, reply: Reply, input?: ApiRequest) =>
      deps.recorder.record({ method, path, query: Object.fromEntries(url.searchParams), body: input?.body, files: input?.files ?? [], time, status: reply.status, response: reply.body, route });

    const attachment = ATTACHMENT_PATH.exec(url.pathname);
    if (attachment && method === 'GET') {
      // The CDN fails too: a fault armed for the attachment path answers instead of the file.
      const fault = deps.faults.take(method, url.pathname);
      if (fault) {
        const status = fault.kind === 'rateLimit' ? 429 : fault.status;
        record(url.pathname, ATTACHMENT_ROUTE, { status });
        return send(response, { status, body: { message: `${status}: Server Error`, code: 0 } });
      }
      const file = deps.messages.file(attachment[1]!);
      record(url.pathname, ATTACHMENT_ROUTE, { status: file ? 200 : 404 });
      if (!file) return send(response, { status: 404, body: { message: '404: Not Found', code: 0 } });
      response.writeHead(200, { 'content-type': file.contentType, 'content-length': file.bytes.length }).end(file.bytes);
      return;
    }
    if (!url.pathname.startsWith('/api/')) return send(response, { status: 404, body: { message: '404: Not Found', code: 0 } });

    const versioned = url.pathname.startsWith(`${prefix}/`);
    // discord.js percent-encodes segments (`@original` → `%40original`); record and route them decoded.
    const path = (versioned ? url.pathname.slice(prefix.length) : url.pathname.replace(/^\/api(\/v\d+)?/, ''))
      .split('/')
      .map(decodeSegment)
      .join('/');
    const match = deps.router.match(method, path);
    let input: ApiRequest = { method, path, params: {}, query: url.searchParams, body: undefined, files: [] };
    let reply: Reply;
    try {
      input = { ...input, ...(await readBody(request)) };
      if (!versioned) throw Errors.invalidApiVersion();
      reply = await handleApi(match, request, input);
    } catch (error) {
      reply = errorReply(error);
    }
    record(path, match ? `${method} ${match.route.pattern}` : null, reply, input);
    send(response, reply);
  };
}
