import type { WebSocket } from 'ws';
import type { PayloadEncoder } from './compression.js';
import { asObject, type JsonObject } from './json.js';

export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** Gateway close codes with Discord's reason strings. */
export const Close = {
  UnknownError: [4000, 'Unknown error.'],
  UnknownOpcode: [4001, 'Unknown opcode.'],
  DecodeError: [4002, 'Error while decoding payload.'],
  NotAuthenticated: [4003, 'Not authenticated.'],
  AuthenticationFailed: [4004, 'Authentication failed.'],
  AlreadyAuthenticated: [4005, 'Already authenticated.'],
  InvalidSeq: [4007, 'Invalid seq.'],
  InvalidShard: [4010, 'Invalid shard.'],
  InvalidApiVersion: [4012, 'Invalid API version.'],
  InvalidIntents: [4013, 'Invalid intent(s).'],
  DisallowedIntents: [4014, 'Disallowed intent(s).'],
} as const satisfies Record<string, readonly [number, string]>;

export interface ConnectionHandlers {
  identify(connection: Connection, data: JsonObject): void;
  resume(connection: Connection, data: JsonObject): void;
  requestMembers(connection: Connection, data: JsonObject): void;
  closed(connection: Connection, code: number): void;
}

/** One WebSocket: the HELLO/heartbeat/opcode protocol; sessions are the gateway's business. */
export class Connection {
  /** Id of the session this socket identified or resumed; null until then. */
  sessionId: string | null = null;

  constructor(
    private readonly socket: WebSocket,
    readonly encoder: PayloadEncoder,
    private readonly handlers: ConnectionHandlers,
    heartbeatIntervalMs: number,
  ) {
    socket.on('message', (data, isBinary) => this.onMessage(data.toString(), isBinary));
    socket.on('close', (code) => handlers.closed(this, code));
    // A client that vanishes mid-write must not crash the emulator.
    socket.on('error', () => socket.terminate());
    this.send({ op: Op.Hello, d: { heartbeat_interval: heartbeatIntervalMs, _trace: ['["gateway-emulator",{"micros":0}]'] } });
  }

  get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  send(payload: { op: number; d: unknown; s?: number | null; t?: string | null }): void {
    if (!this.open) return;
    this.socket.send(this.encoder.encode({ t: null, s: null, ...payload }));
  }

  close([code, reason]: readonly [number, string]): void {
    // 1006 cannot be sent in a close frame; it means "drop the TCP connection".
    if (code === 1006) this.socket.terminate();
    else this.socket.close(code, reason);
  }

  private onMessage(raw: string, isBinary: boolean): void {
    let payload: JsonObject;
    try {
      // Clients only ever send text frames with encoding=json.
      if (isBinary) throw new Error('binary frame');
      payload = asObject(JSON.parse(raw));
    } catch {
      this.close(Close.DecodeError);
      return;
    }
    const data = asObject(payload.d);
    switch (payload.op) {
      case Op.Heartbeat:
        this.send({ op: Op.HeartbeatAck, d: null });
        return;
      case Op.Identify:
        if (this.sessionId) this.close(Close.AlreadyAuthenticated);
        else this.handlers.identify(this, data);
        return;
      case Op.Resume:
        if (this.sessionId) this.close(Close.AlreadyAuthenticated);
        else this.handlers.resume(this, data);
        return;
      case Op.PresenceUpdate:
      case Op.VoiceStateUpdate:
      case Op.RequestGuildMembers:
        if (!this.sessionId) this.close(Close.NotAuthenticated);
        else if (payload.op === Op.RequestGuildMembers) this.handlers.requestMembers(this, data);
        return;
      default:
        this.close(Close.UnknownOpcode);
    }
  }
}
