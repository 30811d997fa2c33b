import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';
import type { CommandStore } from './commands.js';
import { ComponentType, InteractionType, OptionType, Permission } from './constants.js';
import { AttachmentUpload, commandData, compactResolved, emptyResolved, resolveEntity, type OptionInput } from './interaction-options.js';
import { InteractionHandle, type InteractionRegistry } from './interactions.js';
import { asArray, asObject, isObject, type JsonObject } from './json.js';
import type { Dispatcher, MessageStore, StoredMessage } from './messages.js';
import { inferredModal, modalComponents, type ModalFields } from './modal-submit.js';
import { channelPermissions } from './permissions.js';
import type { CallRecorder } from './recorder.js';
import { snowflake } from './snowflake.js';
import type { EmulatorState } from './state.js';

export interface InjectorDeps {
  state: EmulatorState;
  messages: MessageStore;
  commands: CommandStore;
  gateway: Dispatcher;
  registry: InteractionRegistry;
  recorder: CallRecorder;
  attachmentSizeLimit: number;
}

/** Where a modal is submitted when the bot did not open it through an injected interaction. */
export interface ModalContext {
  channelId: string;
  message?: StoredMessage;
}

interface Injection {
  type: number;
  userId: string;
  channelId: string;
  data: JsonObject;
  message?: StoredMessage;
}

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.csv': 'text/csv; charset=utf-8',
  '.zip': 'application/zip',
};
const SELECTS: readonly number[] = [ComponentType.StringSelect, ComponentType.UserSelect, ComponentType.RoleSelect, ComponentType.MentionableSelect, ComponentType.ChannelSelect];
const ENTITY_OPTION_FOR_SELECT: Record<number, number> = {
  [ComponentType.UserSelect]: OptionType.User,
  [ComponentType.RoleSelect]: OptionType.Role,
  [ComponentType.MentionableSelect]: OptionType.Mentionable,
  [ComponentType.ChannelSelect]: OptionType.Channel,
};

function findComponent(components: unknown[], customId: string): JsonObject | undefined {
  for (const raw of components) {
    const component = asObject(raw);
    if (component.custom_id === customId) return component;
    const nested = findComponent([...asArray(component.components), ...(isObject(component.accessory) ? [component.accessory] : [])], customId);
    if (nested) return nested;
  }
  return undefined;
}

/** Builds INTERACTION_CREATE payloads like Discord and dispatches them to the bot's session. */
export class InteractionInjector {
  private readonly unregisteredIds = new Map<string, string>();

  constructor(private readonly deps: InjectorDeps) {}

  slash(userId: string, guildId: string | null, channelId: string, name: string, options: Record<string, OptionInput> = {}): InteractionHandle {
    return this.dispatch({ type: InteractionType.ApplicationCommand, userId, channelId, data: this.commandData(userId, guildId, channelId, name, options) });
  }

  /** Autocomplete for `focused` while the user types; its value is sent as the raw typed string. */
  autocomplete(userId: string, guildId: string | null, channelId: string, name: string, options: Record<string, OptionInput>, focused: string): InteractionHandle {
    if (!(focused in options)) throw new Error(`emulator: focused option '${focused}' is not among the options`);
    return this.dispatch({ type: InteractionType.Autocomplete, userId, channelId, data: this.commandData(userId, guildId, channelId, name, options, focused) });
  }

  clickButton(userId: string, message: StoredMessage | string, customId: string): InteractionHandle {
    const current = this.currentMessage(message);
    const button = this.component(current, customId, [ComponentType.Button]);
    const data = { custom_id: customId, component_type: ComponentType.Button, id: button.id };
    return this.dispatch({ type: InteractionType.MessageComponent, userId, channelId: current.channel_id, data, message: current });
  }

  selectMenu(userId: string, message: StoredMessage | string, customId: string, values: string[]): InteractionHandle {
    const current = this.currentMessage(message);
    const select = this.component(current, customId, SELECTS);
    const min = typeof select.min_values === 'number' ? select.min_values : 1;
    const max = typeof select.max_values === 'number' ? select.max_values : 1;
    if (values.length < min || values.length > max) throw new Error(`emulator: select '${customId}' takes ${min}-${max} values, got ${values.length}`);
    const resolved = emptyResolved();
    if (select.type === ComponentType.StringSelect) {
      const allowed = asArray(select.options).map((o) => asObject(o).value);
      const unknown = values.filter((v) => !allowed.includes(v));
      if (unknown.length) throw new Error(`emulator: select '${customId}' has no option(s) ${unknown.join(', ')}`);
    } else {
      const ctx = { ...this.deps, guildId: this.deps.state.channel(current.channel_id)?.guild_id ?? null, channelId: current.channel_id, userId };
      for (const id of values) resolveEntity(ctx, ENTITY_OPTION_FOR_SELECT[select.type as number]!, id, resolved);
    }
    const data = { custom_id: customId, component_type: select.type, id: select.id, values, ...compactResolved(resolved) };
    return this.dispatch({ type: InteractionType.MessageComponent, userId, channelId: current.channel_id, data, message: current });
  }

  /**
   * Submits a modal. Given the handle of the interaction the bot answered with the modal,
   * the submission follows that modal's layout and is checked against it; given a plain
   * context, text inputs / selects are inferred from the field values.
   */
  submitModal(userId: string, context: InteractionHandle | ModalContext, customId: string, fields: ModalFields): InteractionHandle {
    const opened = context instanceof InteractionHandle;
    const modal = opened ? context.modal() : inferredModal(customId, fields);
    if (!modal) throw new Error('emulator: that interaction did not respond with a modal (callback type 9)');
    if (modal.custom_id !== customId) throw new Error(`emulator: the open modal is '${String(modal.custom_id)}', not '${customId}'`);
    // A modal opened from a component carries that component's message.
    const sourceId = opened ? this.deps.registry.get(context.id)?.sourceMessageId : context.message?.id;
    const message = sourceId ? this.currentMessage(sourceId) : undefined;
    const data = { custom_id: customId, components: modalComponents(modal, fields) };
    return this.dispatch({ type: InteractionType.ModalSubmit, userId, channelId: context.channelId, data, message });
  }

  /** A file for an attachment (type 11) option; the bot downloads it from the emulator's CDN. */
  attachment(filename: string, content: string | Uint8Array, contentType?: string): AttachmentUpload {
    const type = contentType ?? CONTENT_TYPES[extname(filename).toLowerCase()] ?? 'application/octet-stream';
    return new AttachmentUpload(filename, Buffer.from(content), type);
  }

  private commandData(userId: string, guildId: string | null, channelId: string, name: string, options: Record<string, OptionInput>, focused?: string): JsonObject {
    if ((this.deps.state.channel(channelId)?.guild_id ?? null) !== guildId) {
      throw new Error(`emulator: channel ${channelId} is not in ${guildId ? `guild ${guildId}` : 'a DM'}`);
    }
    const base = name.trim().split(/\s+/)[0]!;
    const command = this.deps.commands.find(guildId, base);
    let fallbackId = this.unregisteredIds.get(base);
    if (!fallbackId) this.unregisteredIds.set(base, (fallbackId = snowflake()));
    return commandData({ ...this.deps, guildId, channelId, userId }, name, command, options, fallbackId, focused);
  }

  private currentMessage(message: StoredMessage | string): StoredMessage {
    const id = typeof message === 'string' ? message : message.id;
    const current = this.deps.messages.get(id);
    if (!current) throw new Error(`emulator: message ${id} does not exist (deleted?)`);
    return current;
  }

  private component(message: StoredMessage, customId: string, types: readonly number[]): JsonObject {
    const component = findComponent(message.components, customId);
    if (!component || !types.includes(component.type as number)) {
      throw new Error(`emulator: message ${message.id} has no ${types.length > 1 ? 'select menu' : 'button'} '${customId}'`);
    }
    if (component.disabled === true) throw new Error(`emulator: component '${customId}' is disabled`);
    return component;
  }

  private dispatch(injection: Injection): InteractionHandle {
    const { state, registry, messages, recorder, gateway } = this.deps;
    const channel = state.channel(injection.channelId);
    const user = state.user(injection.userId);
    if (!channel || !user) throw new Error(`emulator: unknown ${channel ? 'user' : 'channel'} for interaction`);
    const guildId = channel.guild_id ?? null;
    const guild = guildId ? state.guild(guildId) : undefined;
    const member = guildId ? state.member(guildId, user.id) : undefined;
    if (guildId && !member) throw new Error(`emulator: ${user.username} is not a member of guild ${guildId}`);
    if (!guildId && channel.recipients?.[0]?.id !== user.id) throw new Error(`emulator: DM channel ${channel.id} is not ${user.username}'s`);
    const permissions = channelPermissions(state, channel, user.id);
    if (!(permissions & Permission.ViewChannel)) throw new Error(`emulator: ${user.username} cannot see channel ${channel.id}`);

    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(48).toString('base64url')}`).toString('base64url');
    const { permission_overwrites: _, ...channelData } = channel;
    const { user: __, ...memberData } = member ?? { user };
    const payload: JsonObject = {
      id,
      application_id: state.botUser.id,
      type: injection.type,
      data: injection.data,
      token,
      version: 1,
      channel_id: channel.id,
      channel: { ...channelData, ...(guildId ? { permissions: permissions.toString() } : {}) },
      ...(guild
        ? { guild_id: guild.id, guild: { id: guild.id, locale: guild.preferred_locale, features: [] }, guild_locale: guild.preferred_locale, member: { ...memberData, user, permissions: permissions.toString() } }
        : { user }),
      ...(injection.message ? { message: injection.message } : {}),
      app_permissions: channelPermissions(state, channel, state.botUser.id).toString(),
      locale: state.users.get(user.id)?.locale ?? 'en-US',
      entitlements: [],
      // GUILD_INSTALL (0) owner: the guild, or "0" in a DM with the bot. Context 0 = guild, 1 = bot DM.
      authorizing_integration_owners: { '0': guildId ?? '0' },
      context: guildId ? 0 : 1,
      attachment_size_limit: this.deps.attachmentSizeLimit,
    };
    if (gateway.dispatch('INTERACTION_CREATE', payload, guildId ? { guildId } : {}) === 0) {
      throw new Error('emulator: no gateway session to receive INTERACTION_CREATE (is the bot connected?)');
    }
    const record = {
      id, token, type: injection.type, payload, createdAt: Date.now(), guildId, channelId: channel.id, user,
      sourceMessageId: injection.message?.id ?? null, callback: null, originalMessageId: null, followUpIds: [],
    };
    registry.add(record);
    return new InteractionHandle(record, registry, messages, recorder);
  }
}
