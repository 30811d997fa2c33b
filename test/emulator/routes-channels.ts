import { ChannelType, Intents, MessageFlags, Permission, SENDABLE_MESSAGE_FLAGS, THREAD_TYPES } from './constants.js';
import { ApiError, Errors, FormErrors } from './errors.js';
import { asObject, type JsonObject } from './json.js';
import type { Dispatcher, MessageStore, StoredMessage } from './messages.js';
import { requireChannelPermissions } from './permissions.js';
import type { ApiRequest, Router } from './router.js';
import { compareSnowflakes, snowflake } from './snowflake.js';
import type { ChannelRecord, EmulatorState } from './state.js';
import { assertValidEdit, assertValidNewMessage } from './validation.js';

const ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];

interface Deps {
  state: EmulatorState;
  messages: MessageStore;
  gateway: Dispatcher;
}

export function registerChannelRoutes(router: Router, { state, messages, gateway }: Deps): void {
  /** A channel the bot can see (or a DM it is part of), else Discord's 10003 / 50001. */
  const visibleChannel = (request: ApiRequest, required = 0n): ChannelRecord => {
    const channel = state.channel(request.params.channelId!);
    if (!channel) throw Errors.unknownChannel();
    if (channel.guild_id) requireChannelPermissions(state, channel, Permission.ViewChannel | required);
    return channel;
  };

  /** Messages as channel routes see them: ephemeral ones are invisible outside the user's client. */
  const visibleMessage = (channel: ChannelRecord, messageId: string): StoredMessage => {
    const message = messages.get(messageId);
    if (!message || message.channel_id !== channel.id || message.flags & MessageFlags.Ephemeral) throw Errors.unknownMessage();
    return message;
  };

  router.add('GET', '/channels/:channelId', (request) => ({ status: 200, body: { ...visibleChannel(request) } }));

  // Modify a thread: its name, archived and locked (a guild channel's other settings are not emulated).
  router.add('PATCH', '/channels/:channelId', (request) => {
    const channel = visibleChannel(request);
    if (!THREAD_TYPES.includes(channel.type) || !channel.thread_metadata) throw new ApiError(400, { message: 'Only threads can be modified here', code: 50024 });
    const body = asObject(request.body);
    const errors = new FormErrors();
    if (body.name !== undefined) errors.lengthBetween(['name'], body.name, 1, 100);
    for (const flag of ['archived', 'locked'] as const) if (body[flag] !== undefined && typeof body[flag] !== 'boolean') errors.add([flag], 'BASE_TYPE_BAD_TYPE', 'Must be a boolean.');
    errors.throwIfAny();
    if (channel.owner_id !== state.botUser.id) requireChannelPermissions(state, channel, Permission.ManageThreads);
    if (typeof body.name === 'string') channel.name = body.name;
    if (typeof body.archived === 'boolean') channel.thread_metadata = { ...channel.thread_metadata, archived: body.archived, archive_timestamp: new Date().toISOString() };
    if (typeof body.locked === 'boolean') channel.thread_metadata = { ...channel.thread_metadata, locked: body.locked };
    gateway.dispatch('THREAD_UPDATE', { ...channel }, { intent: Intents.Guilds, guildId: channel.guild_id! });
    return { status: 200, body: { ...channel } };
  });

  router.add('GET', '/channels/:channelId/messages', (request) => {
    const channel = visibleChannel(request, Permission.ReadMessageHistory);
    const limit = Number(request.query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw FormErrors.error(['limit'], 'NUMBER_TYPE_MAX', 'int value should be between 1 and 100.');
    const before = request.query.get('before');
    const after = request.query.get('after');
    const list = messages
      .inChannel(channel.id)
      .filter((m) => !(m.flags & MessageFlags.Ephemeral))
      .filter((m) => (!before || compareSnowflakes(m.id, before) < 0) && (!after || compareSnowflakes(m.id, after) > 0));
    // Newest first, like Discord; with `after` the page starts right after that message.
    const page = after ? list.slice(0, limit) : list.slice(-limit);
    return { status: 200, body: page.reverse() };
  });

  router.add('GET', '/channels/:channelId/messages/:messageId', (request) => {
    const channel = visibleChannel(request, Permission.ReadMessageHistory);
    return { status: 200, body: visibleMessage(channel, request.params.messageId!) };
  });

  router.add('POST', '/channels/:channelId/messages', (request) => {
    const channel = state.channel(request.params.channelId!);
    if (!channel) throw Errors.unknownChannel();
    const sendPermission = THREAD_TYPES.includes(channel.type) ? Permission.SendMessagesInThreads : Permission.SendMessages;
    if (channel.guild_id) requireChannelPermissions(state, channel, Permission.ViewChannel | sendPermission | (request.files.length ? Permission.AttachFiles : 0n));
    else if (state.users.get(channel.recipients?.[0]?.id ?? '')?.dmsDisabled) throw Errors.cannotMessageUser();
    const body = asObject(request.body);
    assertValidNewMessage(body, request.files.length);
    const earlier = body.enforce_nonce === true && body.nonce !== undefined ? messages.byNonce(channel.id, state.botUser.id, body.nonce) : undefined;
    if (earlier) return { status: 200, body: earlier };
    const flags = (typeof body.flags === 'number' ? body.flags : 0) & SENDABLE_MESSAGE_FLAGS & ~MessageFlags.Ephemeral;
    return { status: 200, body: messages.create(channel, state.botUser, body, request.files, { flags }) };
  });

  router.add('PATCH', '/channels/:channelId/messages/:messageId', (request) => {
    const channel = visibleChannel(request);
    const message = visibleMessage(channel, request.params.messageId!);
    if (message.author.id !== state.botUser.id) throw new ApiError(403, { message: 'Cannot edit a message authored by another user', code: 50005 });
    const body = asObject(request.body);
    assertValidEdit(message, body, request.files.length);
    return { status: 200, body: messages.edit(message, body, request.files) };
  });

  router.add('DELETE', '/channels/:channelId/messages/:messageId', (request) => {
    const channel = visibleChannel(request);
    const message = visibleMessage(channel, request.params.messageId!);
    if (message.author.id !== state.botUser.id) requireChannelPermissions(state, channel, Permission.ManageMessages);
    messages.delete(message);
    return { status: 204 };
  });

  const createThread = (parent: ChannelRecord, body: JsonObject, id: string, type: number): ChannelRecord => {
    const errors = new FormErrors();
    errors.lengthBetween(['name'], body.name, 1, 100);
    const duration = body.auto_archive_duration ?? 4320;
    if (!ARCHIVE_DURATIONS.includes(duration as number)) errors.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', `Value must be one of {${ARCHIVE_DURATIONS.join(', ')}}.`);
    if (!THREAD_TYPES.includes(type)) errors.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${THREAD_TYPES.join(', ')}}.`);
    errors.throwIfAny();
    if (parent.type !== ChannelType.GuildText && parent.type !== ChannelType.GuildAnnouncement) {
      throw new ApiError(400, { message: 'Cannot execute action on this channel type', code: 50024 });
    }
    const permission = type === ChannelType.PrivateThread ? Permission.CreatePrivateThreads : Permission.CreatePublicThreads;
    requireChannelPermissions(state, parent, Permission.ViewChannel | permission);
    const now = new Date().toISOString();
    const thread: ChannelRecord = {
      id,
      type,
      guild_id: parent.guild_id!,
      parent_id: parent.id,
      owner_id: state.botUser.id,
      name: String(body.name),
      last_message_id: null,
      rate_limit_per_user: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
      flags: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: duration as number,
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
        ...(type === ChannelType.PrivateThread ? { invitable: body.invitable !== false } : {}),
      },
    };
    state.channels.set(thread.id, thread);
    gateway.dispatch('THREAD_CREATE', { ...thread, newly_created: true }, { intent: Intents.Guilds, guildId: thread.guild_id! });
    return thread;
  };

  router.add('POST', '/channels/:channelId/threads', (request) => {
    const parent = visibleChannel(request);
    const body = asObject(request.body);
    // Without a type Discord still creates a private thread (a v9 default kept for compatibility).
    const type = typeof body.type === 'number' ? body.type : ChannelType.PrivateThread;
    return { status: 201, body: createThread(parent, body, snowflake(), type) };
  });

  router.add('POST', '/channels/:channelId/messages/:messageId/threads', (request) => {
    const parent = visibleChannel(request);
    const message = visibleMessage(parent, request.params.messageId!);
    if (message.thread) throw Errors.threadAlreadyCreated();
    const type = parent.type === ChannelType.GuildAnnouncement ? ChannelType.AnnouncementThread : ChannelType.PublicThread;
    // A thread started from a message shares the message's id.
    const thread = createThread(parent, asObject(request.body), message.id, type);
    message.thread = thread;
    message.flags |= MessageFlags.HasThread;
    return { status: 201, body: thread };
  });
}
