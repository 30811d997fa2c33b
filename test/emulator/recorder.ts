import { EventEmitter } from 'node:events';
import { waitUntil } from './wait.js';

export interface RecordedFile {
  /** Multipart field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

/** One REST request the bot made, as the emulator saw and answered it. */
export interface RecordedCall {
  method: string;
  /**
   * Path below `/api/v10`, decoded and without the query string, e.g. `/channels/123/messages`.
   * Attachment downloads from the emulator's CDN are recorded too, as `/attachments/...`.
   */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or for multipart the parsed `payload_json` merged with plain fields. */
  body: unknown;
  files: RecordedFile[];
  time: number;
  status: number;
  /** The JSON the emulator answered with (undefined for 204). */
  response: unknown;
  /** The route pattern that handled it, e.g. `POST /channels/:channelId/messages`; null if unknown. */
  route: string | null;
}

export type CallPredicate = (call: RecordedCall) => boolean;

export class CallRecorder {
  readonly calls: RecordedCall[] = [];
  private readonly events = new EventEmitter();

  record(call: RecordedCall): void {
    this.calls.push(call);
    this.events.emit('call', call);
  }

  /** The first recorded call (past or future) matching `predicate`. */
  waitFor(predicate: CallPredicate, timeoutMs = 2_000): Promise<RecordedCall> {
    return waitUntil(this.events, 'call', () => this.calls.find(predicate), timeoutMs, () => {
      const recent = this.calls.slice(-10).map((c) => `${c.method} ${c.path} -> ${c.status}`);
      return `a matching REST call; last calls: ${recent.join(', ') || 'none'}`;
    });
  }
}
