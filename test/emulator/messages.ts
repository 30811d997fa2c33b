import type { APIUser } from 'discord.js';
import { EDITABLE_MESSAGE_FLAGS, Intents, MessageFlags, MessageType, THREAD_TYPES } from './constants.js';
import { Errors } from './errors.js';
import { asArray, asObject, isObject, type JsonObject } from './json.js';
import type { RecordedFile } from './recorder.js';
import { compareSnowflakes, snowflake } from './snowflake.js';
import type { ChannelRecord, EmulatorState } from './state.js';

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type: string;
  description?: string;
  ephemeral?: boolean;
}

/** A message in its wire shape; the emulator edits it in place so it always shows the latest state. */
export interface StoredMessage {
  id: string;
  type: number;
  channel_id: string;
  author: APIUser;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  tts: boolean;
  mention_everyone: boolean;
  mentions: APIUser[];
  mention_roles: string[];
  attachments: StoredAttachment[];
  embeds: JsonObject[];
  components: JsonObject[];
  pinned: boolean;
  flags: number;
  [extra: string]: unknown;
}

/** Where gateway events go; implemented by the gateway, filtered by the sessions' intents. */
export interface Dispatcher {
  dispatch(event: string, data: object, scope?: { intent?: number; guildId?: string }): number;
}

/** Messages and the bytes of their attachments (served back over HTTP like Discord's CDN). */
export class MessageStore {
  private readonly messages = new Map<string, StoredMessage>();
  private readonly files = new Map<string, { bytes: Buffer; contentType: string }>();

  constructor(
    private readonly state: EmulatorState,
    private readonly dispatcher: Dispatcher,
    private readonly settings: { cdnUrl: string; attachmentSizeLimit: number },
  ) {}

  get(id: string): StoredMessage | undefined {
    return this.messages.get(id);
  }

  /** Every message of a channel, oldest first, ephemeral ones included. */
  inChannel(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channel_id === channelId).sort((a, b) => compareSnowflakes(a.id, b.id));
  }

  /**
   * With `enforce_nonce`, Discord answers a second create carrying the same nonce from the same author in
   * the same channel within a few minutes with the first message, and creates nothing.
   */
  byNonce(channelId: string, authorId: string, nonce: unknown, withinMs = 5 * 60_000): StoredMessage | undefined {
    const since = Date.now() - withinMs;
    return this.inChannel(channelId).find((m) => m.nonce === nonce && m.author.id === authorId && Date.parse(m.timestamp) >= since);
  }

  file(attachmentId: string): { bytes: Buffer; contentType: string } | undefined {
    return this.files.get(attachmentId);
  }

  /** Stores bytes as an attachment, e.g. one a user "uploads" into a slash command option. */
  storeAttachment(channelId: string, filename: string, bytes: Buffer, contentType: string): StoredAttachment {
    if (bytes.length > this.settings.attachmentSizeLimit) throw Errors.entityTooLarge();
    const id = snowflake();
    this.files.set(id, { bytes, contentType });
    const url = `${this.settings.cdnUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    return { id, filename, size: bytes.length, url, proxy_url: url, content_type: contentType };
  }

  /** Creates a message as `author`; body is already validated. */
  create(channel: ChannelRecord, author: APIUser, body: JsonObject, files: RecordedFile[], extra: Partial<StoredMessage> = {}): StoredMessage {
    const reference = asObject(body.message_reference);
    const referenced = typeof reference.message_id === 'string' ? this.messages.get(reference.message_id) : undefined;
    const message: StoredMessage = {
      id: snowflake(),
      type: referenced ? MessageType.Reply : MessageType.Default,
      channel_id: channel.id,
      author,
      content: typeof body.content === 'string' ? body.content : '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: body.tts === true,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: asArray(body.embeds).map(asObject),
      components: withComponentIds(asArray(body.components)),
      pinned: false,
      flags: typeof body.flags === 'number' ? body.flags : 0,
      ...(referenced ? { message_reference: { type: 0, channel_id: channel.id, guild_id: channel.guild_id, message_id: referenced.id }, referenced_message: replySnapshot(referenced) } : {}),
      ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
      ...extra,
    };
    message.attachments = this.resolveAttachments(channel.id, body, files, [], (message.flags & MessageFlags.Ephemeral) !== 0);
    this.messages.set(message.id, message);
    channel.last_message_id = message.id;
    if (THREAD_TYPES.includes(channel.type)) {
      channel.message_count = (channel.message_count ?? 0) + 1;
      channel.total_message_sent = (channel.total_message_sent ?? 0) + 1;
    }
    this.announce('MESSAGE_CREATE', message);
    return message;
  }

  /** Applies an edit body (PATCH semantics: absent fields stay as they are). */
  edit(message: StoredMessage, body: JsonObject, files: RecordedFile[]): StoredMessage {
    if (typeof body.content === 'string') message.content = body.content;
    if (Array.isArray(body.embeds)) message.embeds = body.embeds.map(asObject);
    if (Array.isArray(body.components)) message.components = withComponentIds(body.components);
    if (body.attachments !== undefined || files.length > 0) {
      message.attachments = this.resolveAttachments(message.channel_id, body, files, message.attachments, (message.flags & MessageFlags.Ephemeral) !== 0);
    }
    if (typeof body.flags === 'number') message.flags = (message.flags & ~EDITABLE_MESSAGE_FLAGS) | (body.flags & EDITABLE_MESSAGE_FLAGS);
    // Editing a deferred ("thinking…") response turns it into a normal message.
    message.flags &= ~MessageFlags.Loading;
    message.edited_timestamp = new Date().toISOString();
    this.announce('MESSAGE_UPDATE', message);
    return message;
  }

  delete(message: StoredMessage): void {
    this.messages.delete(message.id);
    const guildId = this.state.channel(message.channel_id)?.guild_id;
    if (!(message.flags & MessageFlags.Ephemeral)) {
      this.dispatcher.dispatch('MESSAGE_DELETE', { id: message.id, channel_id: message.channel_id, guild_id: guildId }, this.scope(guildId));
    }
  }

  private announce(event: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', message: StoredMessage): void {
    // Ephemeral messages exist only for the invoking user's client.
    if (message.flags & MessageFlags.Ephemeral) return;
    const guildId = this.state.channel(message.channel_id)?.guild_id;
    const member = guildId ? this.state.member(guildId, message.author.id) : undefined;
    const payload = { ...message, ...(guildId ? { guild_id: guildId } : {}), ...(member ? { member: { ...member, user: undefined } } : {}) };
    this.dispatcher.dispatch(event, payload, this.scope(guildId));
  }

  private scope(guildId: string | undefined) {
    return guildId ? { intent: Intents.GuildMessages, guildId } : { intent: Intents.DirectMessages };
  }

  /**
   * Discord (API v10) keeps exactly the attachments listed in `attachments`: entries whose id
   * matches an upload's `files[n]` index are new, other ids retain existing attachments.
   * Uploads not listed are added too; if nothing is listed on an edit, old ones stay.
   */
  private resolveAttachments(channelId: string, body: JsonObject, files: RecordedFile[], existing: StoredAttachment[], ephemeral: boolean): StoredAttachment[] {
    const uploads = new Map(files.map((f) => [/^files\[(\w+)\]$/.exec(f.field)?.[1] ?? f.field, f]));
    const listed = Array.isArray(body.attachments) ? body.attachments.filter(isObject) : null;
    const result = listed ? [] : [...existing];
    const add = (upload: RecordedFile, filename: string, description: unknown) => {
      const attachment = this.storeAttachment(channelId, filename, upload.bytes, upload.contentType);
      if (typeof description === 'string') attachment.description = description;
      if (ephemeral) attachment.ephemeral = true;
      result.push(attachment);
    };
    for (const entry of listed ?? []) {
      const id = String(entry.id);
      const upload = uploads.get(id);
      if (upload) {
        add(upload, typeof entry.filename === 'string' ? entry.filename : upload.filename, entry.description);
        uploads.delete(id);
      } else {
        const kept = existing.find((a) => a.id === id);
        if (kept) result.push(kept);
      }
    }
    for (const upload of uploads.values()) add(upload, upload.filename, undefined);
    return result;
  }
}

/** The replied-to message as embedded in a reply: a copy, one level deep. */
function replySnapshot(message: StoredMessage): StoredMessage {
  const { referenced_message: _, ...parent } = message;
  return parent;
}

/** Discord numbers every component of a message (depth-first) when the sender did not. */
function withComponentIds(components: unknown[]): JsonObject[] {
  let next = 1;
  const number = (raw: unknown): JsonObject => {
    const component = { ...asObject(raw) };
    component.id ??= next;
    next = Math.max(next, Number(component.id)) + 1;
    if (Array.isArray(component.components)) component.components = component.components.map(number);
    if (isObject(component.accessory)) component.accessory = number(component.accessory);
    return component;
  };
  return components.map(number);
}
