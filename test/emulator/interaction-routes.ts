import { CallbackType, InteractionType, MessageFlags, MessageType, SENDABLE_MESSAGE_FLAGS } from './constants.js';
import { Errors, FormErrors } from './errors.js';
import type { InteractionRecord, InteractionRegistry } from './interactions.js';
import { asObject, type JsonObject } from './json.js';
import type { MessageStore, StoredMessage } from './messages.js';
import type { ApiRequest, Router } from './router.js';
import type { EmulatorState } from './state.js';
import { validateAutocompleteResult, validateModal } from './interaction-validation.js';
import { assertValidEdit, assertValidNewMessage } from './validation.js';

export interface InteractionRouteSettings {
  /** How long the bot has for the initial callback (Discord: 3 s). */
  interactionTimeoutMs: number;
  /** How long the interaction token works for follow-ups and edits (Discord: 15 min). */
  interactionTokenTtlMs: number;
}

interface Deps {
  state: EmulatorState;
  messages: MessageStore;
  registry: InteractionRegistry;
  settings: InteractionRouteSettings;
}

/**
 * Callback types Discord accepts per interaction type. PONG (1) only answers the PINGs Discord
 * sends to HTTP interaction endpoints, never over the gateway, so here it is always rejected.
 */
function allowedCallbacks(record: InteractionRecord): number[] {
  switch (record.type) {
    case InteractionType.ApplicationCommand:
      return [CallbackType.ChannelMessage, CallbackType.DeferredChannelMessage, CallbackType.Modal];
    case InteractionType.Autocomplete:
      return [CallbackType.AutocompleteResult];
    case InteractionType.ModalSubmit:
      // Updating a message only makes sense when the modal was opened from one.
      return record.sourceMessageId
        ? [CallbackType.ChannelMessage, CallbackType.DeferredChannelMessage, CallbackType.DeferredUpdateMessage, CallbackType.UpdateMessage]
        : [CallbackType.ChannelMessage, CallbackType.DeferredChannelMessage];
    case InteractionType.MessageComponent:
      return [CallbackType.ChannelMessage, CallbackType.DeferredChannelMessage, CallbackType.DeferredUpdateMessage, CallbackType.UpdateMessage, CallbackType.Modal];
    default:
      return [];
  }
}

export function registerInteractionRoutes(router: Router, { state, messages, registry, settings }: Deps): void {
  /** Fields Discord stamps on every message an interaction produces. */
  const interactionMessage = (record: InteractionRecord, flags: number): Partial<StoredMessage> => {
    const command = record.type === InteractionType.ApplicationCommand ? String(asObject(record.payload.data).name) : undefined;
    return {
      type: command ? MessageType.ChatInputCommand : MessageType.Default,
      flags,
      webhook_id: state.botUser.id,
      application_id: state.botUser.id,
      interaction_metadata: { id: record.id, type: record.type, user: record.user, authorizing_integration_owners: record.payload.authorizing_integration_owners, ...(command ? { name: command } : {}) },
      interaction: { id: record.id, type: record.type, name: command ?? '', user: record.user },
    };
  };

  const createMessage = (record: InteractionRecord, body: JsonObject, request: ApiRequest, flags: number): StoredMessage => {
    const channel = state.channel(record.channelId)!;
    return messages.create(channel, state.botUser, body, request.files, interactionMessage(record, flags));
  };

  router.add('POST', '/interactions/:interactionId/:token/callback', (request) => {
    const record = registry.get(request.params.interactionId!);
    if (!record || record.token !== request.params.token) throw Errors.unknownInteraction();
    if (record.callback) throw Errors.alreadyAcknowledged();
    if (Date.now() - record.createdAt > settings.interactionTimeoutMs) throw Errors.unknownInteraction();
    const body = asObject(request.body);
    const type = body.type as number;
    const data = asObject(body.data);
    const allowed = allowedCallbacks(record);
    if (!allowed.includes(type)) throw FormErrors.error(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${allowed.join(', ')}}.`);

    let message: StoredMessage | undefined;
    const flags = typeof data.flags === 'number' ? data.flags : 0;
    if (type === CallbackType.ChannelMessage) {
      assertValidNewMessage(data, request.files.length, ['data']);
      message = createMessage(record, data, request, flags & SENDABLE_MESSAGE_FLAGS);
    } else if (type === CallbackType.DeferredChannelMessage) {
      message = createMessage(record, {}, request, MessageFlags.Loading | (flags & MessageFlags.Ephemeral));
    } else if (type === CallbackType.DeferredUpdateMessage || type === CallbackType.UpdateMessage) {
      message = messages.get(record.sourceMessageId ?? '');
      if (!message) throw Errors.unknownMessage();
      if (type === CallbackType.UpdateMessage) {
        assertValidEdit(message, data, request.files.length, ['data']);
        messages.edit(message, data, request.files);
      }
    } else if (type === CallbackType.AutocompleteResult) {
      validateAutocompleteResult(data);
    } else if (type === CallbackType.Modal) {
      validateModal(data);
    }
    record.originalMessageId = message?.id ?? null;
    registry.acknowledge(record, { type, data: body.data === undefined ? undefined : data, files: request.files, time: Date.now() });

    if (request.query.get('with_response') !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: record.id,
          type: record.type,
          ...(message ? { response_message_id: message.id, response_message_loading: (message.flags & MessageFlags.Loading) !== 0, response_message_ephemeral: (message.flags & MessageFlags.Ephemeral) !== 0 } : {}),
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }, { auth: false });

  /** The interaction behind a webhook URL; expired tokens fail like on Discord. */
  const webhookRecord = ({ params }: ApiRequest): InteractionRecord => {
    const record = registry.byToken(params.token!);
    if (!record || params.webhookId !== state.botUser.id) throw Errors.unknownWebhook();
    if (Date.now() - record.createdAt > settings.interactionTokenTtlMs) throw Errors.invalidWebhookToken();
    return record;
  };

  const ownedMessage = (record: InteractionRecord, messageId: string): StoredMessage => {
    const id = messageId === '@original' ? record.originalMessageId : [record.originalMessageId, ...record.followUpIds].find((m) => m === messageId);
    const message = id ? messages.get(id) : undefined;
    if (!message) throw Errors.unknownMessage();
    return message;
  };

  router.add('POST', '/webhooks/:webhookId/:token', (request) => {
    const record = webhookRecord(request);
    if (!record.callback) throw Errors.unknownWebhook();
    const body = asObject(request.body);
    assertValidNewMessage(body, request.files.length);
    const original = record.originalMessageId ? messages.get(record.originalMessageId) : undefined;
    let message: StoredMessage;
    if (original && original.flags & MessageFlags.Loading) {
      // After a deferred reply, the first follow-up replaces the "thinking…" message.
      message = messages.edit(original, body, request.files);
    } else {
      message = createMessage(record, body, request, (typeof body.flags === 'number' ? body.flags : 0) & SENDABLE_MESSAGE_FLAGS);
      record.followUpIds.push(message.id);
    }
    return request.query.get('wait') === 'true' ? { status: 200, body: message } : { status: 204 };
  }, { auth: false });

  const messageRoute = '/webhooks/:webhookId/:token/messages/:messageId';
  router.add('GET', messageRoute, (request) => ({ status: 200, body: ownedMessage(webhookRecord(request), request.params.messageId!) }), { auth: false });
  router.add('PATCH', messageRoute, (request) => {
    const message = ownedMessage(webhookRecord(request), request.params.messageId!);
    const body = asObject(request.body);
    assertValidEdit(message, body, request.files.length);
    return { status: 200, body: messages.edit(message, body, request.files) };
  }, { auth: false });
  router.add('DELETE', messageRoute, (request) => {
    messages.delete(ownedMessage(webhookRecord(request), request.params.messageId!));
    return { status: 204 };
  }, { auth: false });
}
