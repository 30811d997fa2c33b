import { Routes, type APIActionRowComponent, type APIComponentInMessageActionRow, type APIEmbed, type REST } from 'discord.js';

/** A message the bot sends or edits outside an interaction's 15-minute token. */
export interface OutgoingMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
  files?: Array<{ name: string; data: Buffer }>;
  /** Discord drops a second message with the same nonce: a retried send is never posted twice. */
  nonce?: string;
  replyTo?: string;
}

/** Channel-side Discord calls, behind a port so views and streams are testable without Discord. */
export interface Outbox {
  send(channelId: string, message: OutgoingMessage): Promise<{ id: string }>;
  edit(channelId: string, messageId: string, message: OutgoingMessage): Promise<void>;
  startThread(channelId: string, messageId: string, name: string): Promise<{ id: string }>;
  /** Archives a thread (PATCH /channels/{thread} archived): it leaves the channel's active list; a new message reopens it. */
  archiveThread(threadId: string): Promise<void>;
  /** The DM channel with a user (POST /users/@me/channels). */
  openDm(userId: string): Promise<{ id: string }>;
}

/** Every outgoing body goes through here: no message of ours ever pings anyone. */
export function messageBody(m: OutgoingMessage): Record<string, unknown> {
  return {
    ...(m.content !== undefined ? { content: m.content } : {}),
    ...(m.embeds ? { embeds: m.embeds } : {}),
    ...(m.components ? { components: m.components } : {}),
    ...(m.nonce ? { nonce: m.nonce, enforce_nonce: true } : {}),
    ...(m.replyTo ? { message_reference: { message_id: m.replyTo, fail_if_not_exists: false } } : {}),
    ...(m.files ? { attachments: m.files.map((f, id) => ({ id, filename: f.name })) } : {}),
    allowed_mentions: { parse: [] },
  };
}

export function restOutbox(rest: REST): Outbox {
  const files = (m: OutgoingMessage) => (m.files ? { files: m.files.map((f) => ({ name: f.name, data: f.data })) } : {});
  return {
    async send(channelId, message) {
      const res = (await rest.post(Routes.channelMessages(channelId), { body: messageBody(message), ...files(message) })) as { id: string };
      return { id: res.id };
    },
    async edit(channelId, messageId, message) {
      await rest.patch(Routes.channelMessage(channelId, messageId), { body: messageBody(message), ...files(message) });
    },
    async startThread(channelId, messageId, name) {
      const res = (await rest.post(Routes.threads(channelId, messageId), { body: { name: name.slice(0, 100), auto_archive_duration: 1440 } })) as { id: string };
      return { id: res.id };
    },
    async archiveThread(threadId) {
      await rest.patch(Routes.channel(threadId), { body: { archived: true } });
    },
    async openDm(userId) {
      const res = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
      return { id: res.id };
    },
  };
}
