import type { APIUser } from 'discord.js';
import { EventEmitter } from 'node:events';
import type { JsonObject } from './json.js';
import type { MessageStore, StoredMessage } from './messages.js';
import type { CallPredicate, CallRecorder, RecordedCall, RecordedFile } from './recorder.js';
import { waitUntil } from './wait.js';

/** The bot's initial response to an interaction, as recorded from the callback endpoint. */
export interface InteractionCallback {
  type: number;
  data: JsonObject | undefined;
  files: RecordedFile[];
  time: number;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  /** The `d` of the INTERACTION_CREATE dispatch. */
  payload: JsonObject;
  createdAt: number;
  guildId: string | null;
  channelId: string;
  user: APIUser;
  /** The message a component sat on (also set for modals opened from a component). */
  sourceMessageId: string | null;
  callback: InteractionCallback | null;
  originalMessageId: string | null;
  followUpIds: string[];
}

/** Interactions the emulator has dispatched, looked up by id or by token. */
export class InteractionRegistry {
  private readonly records = new Map<string, InteractionRecord>();
  private readonly tokens = new Map<string, InteractionRecord>();
  readonly events = new EventEmitter();

  add(record: InteractionRecord): void {
    this.records.set(record.id, record);
    this.tokens.set(record.token, record);
  }

  get(id: string): InteractionRecord | undefined {
    return this.records.get(id);
  }

  byToken(token: string): InteractionRecord | undefined {
    return this.tokens.get(token);
  }

  acknowledge(record: InteractionRecord, callback: InteractionCallback): void {
    record.callback = callback;
    this.events.emit('callback', record);
  }
}

/**
 * True for REST calls made with this interaction's token: `/interactions/{id}/{token}/callback`
 * and `/webhooks/{application}/{token}/...` both carry it as the third segment.
 */
export function belongsTo(record: InteractionRecord, call: RecordedCall): boolean {
  return call.path.split('/')[3] === record.token;
}

/** What a test holds after injecting an interaction. */
export class InteractionHandle {
  constructor(
    private readonly record: InteractionRecord,
    private readonly registry: InteractionRegistry,
    private readonly messages: MessageStore,
    private readonly recorder: CallRecorder,
  ) {}

  get id(): string {
    return this.record.id;
  }

  get token(): string {
    return this.record.token;
  }

  get channelId(): string {
    return this.record.channelId;
  }

  get guildId(): string | null {
    return this.record.guildId;
  }

  /** The INTERACTION_CREATE payload that was dispatched. */
  get payload(): JsonObject {
    return this.record.payload;
  }

  /** The initial response (callback type + data); waits for the bot to send it. */
  response(timeoutMs = 2_000): Promise<InteractionCallback> {
    return waitUntil(this.registry.events, 'callback', () => this.record.callback ?? undefined, timeoutMs, () => `a response to interaction ${this.id}`);
  }

  /** Current state of the original response message (after edits), if there is one. */
  originalMessage(): StoredMessage | undefined {
    return this.record.originalMessageId ? this.messages.get(this.record.originalMessageId) : undefined;
  }

  followUps(): StoredMessage[] {
    return this.record.followUpIds.flatMap((id) => this.messages.get(id) ?? []);
  }

  /** The modal the bot opened (callback type 9), to be submitted with `emulator.submitModal`. */
  modal(): JsonObject | undefined {
    return this.record.callback?.type === 9 ? this.record.callback.data : undefined;
  }

  /** Every REST call made with this interaction's id/token: callback, follow-ups, edits. */
  calls(): RecordedCall[] {
    return this.recorder.calls.filter((call) => belongsTo(this.record, call));
  }

  /** The first call of this interaction matching `predicate` (e.g. the PATCH of an editReply). */
  waitFor(predicate: CallPredicate = () => true, timeoutMs = 2_000): Promise<RecordedCall> {
    return this.recorder.waitFor((call) => belongsTo(this.record, call) && predicate(call), timeoutMs);
  }
}
