import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { PayloadEncoder } from './compression.js';
import { API_VERSION, Intents, PRIVILEGED_INTENTS } from './constants.js';
import { Close, Connection, Op } from './gateway-connection.js';
import { applicationFlags, guildCreatePayload, readyPayload, shardOf } from './gateway-payloads.js';
import { asArray, type JsonObject } from './json.js';
import type { Dispatcher } from './messages.js';
import type { EmulatorState } from './state.js';
import { waitUntil } from './wait.js';

export interface GatewaySettings {
  token: string;
  heartbeatIntervalMs: number;
  /** Privileged intents enabled for the application; others close the socket with 4014. */
  privilegedIntents: number;
  resumeUrl: string;
}

export interface Session {
  id: string;
  shard: [number, number];
  intents: number;
  seq: number;
  /** Dispatches kept for RESUME replay. */
  log: { s: number; t: string; d: object }[];
  connection: Connection | null;
}

export interface IdentifyRecord {
  time: number;
  sessionId: string;
  intents: number;
  shard: [number, number];
  compress: boolean;
  properties: unknown;
  presence: unknown;
}

const REPLAY_LIMIT = 1_000;
/** Closes after which Discord does not let the session resume. */
const NON_RESUMABLE = new Set<number>([1000, 1001, 4003, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

export class Gateway implements Dispatcher {
  readonly identifies: IdentifyRecord[] = [];
  readonly resumes: { time: number; sessionId: string; seq: number; replayed: number }[] = [];
  readonly connections: { time: number; url: string }[] = [];
  private readonly sessions = new Map<string, Session>();
  private readonly sockets = new Set<Connection>();
  private readonly server = new WebSocketServer({ noServer: true });
  private readonly events = new EventEmitter();

  constructor(
    private readonly state: EmulatorState,
    private readonly settings: GatewaySettings,
  ) {}

  /** Accepts `/gateway` (from GET /gateway/bot) and `/gateway/resume` (resume_gateway_url). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'ws://emulator');
    this.connections.push({ time: Date.now(), url: request.url ?? '/' });
    this.server.handleUpgrade(request, socket, head, (ws) => {
      const compress = url.searchParams.get('compress');
      const connection = new Connection(ws, new PayloadEncoder(compress === 'zlib-stream'), {
        identify: (c, d) => this.identify(c, d),
        resume: (c, d) => this.resume(c, d),
        requestMembers: (c, d) => this.requestMembers(c, d),
        closed: (c, code) => this.closed(c, code),
      }, this.settings.heartbeatIntervalMs);
      this.sockets.add(connection);
      if (url.searchParams.get('v') !== String(API_VERSION)) connection.close(Close.InvalidApiVersion);
      else if (url.searchParams.get('encoding') !== 'json' || (compress && compress !== 'zlib-stream')) connection.close(Close.DecodeError);
    });
  }

  /** Sends a dispatch to every live session entitled to it; returns how many got it. */
  dispatch(event: string, data: object, scope: { intent?: number; guildId?: string } = {}): number {
    let reached = 0;
    for (const session of this.sessions.values()) {
      if (scope.intent !== undefined && !(session.intents & scope.intent)) continue;
      if (scope.guildId && shardOf(scope.guildId, session.shard[1]) !== session.shard[0]) continue;
      this.send(session, event, data);
      reached++;
    }
    return reached;
  }

  /** Drops every socket with `code` (4000 = resumable, 1000 = the session ends, 1006 = no close frame). */
  disconnectAll(code = Close.UnknownError[0], reason = 'Disconnected by the emulator'): void {
    for (const connection of this.sockets) connection.close([code, reason]);
  }

  /** Sends op 7 RECONNECT, as Discord does before maintenance: clients should reconnect and resume. */
  requestReconnect(): void {
    for (const connection of this.sockets) connection.send({ op: Op.Reconnect, d: null });
  }

  /** Resolves once a session is identified (or resumed) and connected. */
  waitForSession(timeoutMs = 5_000): Promise<Session> {
    const live = () => [...this.sessions.values()].find((s) => s.connection?.open);
    return waitUntil(this.events, 'session', live, timeoutMs, () => 'a connected gateway session');
  }

  close(): void {
    for (const connection of this.sockets) connection.close([1001, 'Emulator shutting down']);
    this.server.close();
  }

  private send(session: Session, event: string, data: object): void {
    const s = ++session.seq;
    session.log.push({ s, t: event, d: data });
    if (session.log.length > REPLAY_LIMIT) session.log.shift();
    session.connection?.send({ op: Op.Dispatch, t: event, s, d: data });
  }

  private identify(connection: Connection, d: JsonObject): void {
    const intents = d.intents;
    const [shardId, shardCount] = asArray(d.shard).length === 2 ? (d.shard as [number, number]) : [0, 1];
    if (d.token !== this.settings.token) return connection.close(Close.AuthenticationFailed);
    if (typeof intents !== 'number' || intents < 0 || intents >= 1 << 26) return connection.close(Close.InvalidIntents);
    if (intents & PRIVILEGED_INTENTS & ~this.settings.privilegedIntents) return connection.close(Close.DisallowedIntents);
    if (!(shardCount >= 1 && shardId >= 0 && shardId < shardCount)) return connection.close(Close.InvalidShard);

    const session: Session = { id: randomBytes(16).toString('hex'), shard: [shardId, shardCount], intents, seq: 0, log: [], connection };
    connection.sessionId = session.id;
    connection.encoder.payloadCompression = d.compress === true;
    this.sessions.set(session.id, session);
    this.identifies.push({ time: Date.now(), sessionId: session.id, intents, shard: session.shard, compress: d.compress === true, properties: d.properties, presence: d.presence });

    const guilds = [...this.state.guilds.values()].filter((g) => shardOf(g.id, shardCount) === shardId);
    const flags = applicationFlags(this.settings.privilegedIntents);
    this.send(session, 'READY', readyPayload(this.state, { sessionId: session.id, resumeUrl: this.settings.resumeUrl, shard: session.shard, guilds, applicationFlags: flags }));
    // Guilds arrive as GUILD_CREATE only for bots that asked for the GUILDS intent.
    if (intents & Intents.Guilds) for (const guild of guilds) this.send(session, 'GUILD_CREATE', guildCreatePayload(this.state, guild, intents));
    this.events.emit('session');
  }

  private resume(connection: Connection, d: JsonObject): void {
    if (d.token !== this.settings.token) return connection.close(Close.AuthenticationFailed);
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    // Unknown or ended session, or events missed beyond what is kept for replay:
    // op 9 with d=false tells the client to identify anew.
    const oldest = session?.log[0]?.s ?? 1;
    if (!session || seq < oldest - 1) return connection.send({ op: Op.InvalidSession, d: false });
    if (seq > session.seq) return connection.close(Close.InvalidSeq);

    session.connection?.close([4000, 'Session resumed elsewhere']);
    session.connection = connection;
    connection.sessionId = session.id;
    const missed = session.log.filter((entry) => entry.s > seq);
    for (const entry of missed) connection.send({ op: Op.Dispatch, t: entry.t, s: entry.s, d: entry.d });
    this.send(session, 'RESUMED', { _trace: ['["gateway-emulator",{"micros":0}]'] });
    this.resumes.push({ time: Date.now(), sessionId: session.id, seq, replayed: missed.length });
    this.events.emit('session');
  }

  private requestMembers(connection: Connection, d: JsonObject): void {
    const session = this.sessions.get(connection.sessionId ?? '');
    const guild = this.state.guild(String(d.guild_id));
    if (!session || !guild) return;
    const ids = asArray(d.user_ids).map(String);
    const query = typeof d.query === 'string' ? d.query.toLowerCase() : '';
    const limit = typeof d.limit === 'number' && d.limit > 0 ? d.limit : Infinity;
    // Listing members by query needs the privileged GUILD_MEMBERS intent on Discord.
    const canList = (session.intents & Intents.GuildMembers) !== 0;
    const members = [...guild.members.values()]
      .filter((m) => (ids.length ? ids.includes(m.user.id) : canList && m.user.username.toLowerCase().startsWith(query)))
      .slice(0, limit);
    const notFound = ids.filter((id) => !guild.members.has(id));
    this.send(session, 'GUILD_MEMBERS_CHUNK', { guild_id: guild.id, members, chunk_index: 0, chunk_count: 1, not_found: notFound, nonce: d.nonce });
  }

  private closed(connection: Connection, code: number): void {
    this.sockets.delete(connection);
    const session = this.sessions.get(connection.sessionId ?? '');
    if (!session || session.connection !== connection) return;
    session.connection = null;
    // `code` is the one the client sent or echoed: 1000/1001 from a client ends its session.
    if (NON_RESUMABLE.has(code)) this.sessions.delete(session.id);
    this.events.emit('session');
  }
}
