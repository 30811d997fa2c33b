import { OptionType } from './constants.js';
import type { StoredCommand } from './commands.js';
import { asArray, asObject, type JsonObject } from './json.js';
import type { MessageStore } from './messages.js';
import { channelPermissions } from './permissions.js';
import type { EmulatorState } from './state.js';

/** A file a user attaches to a slash command option; create it with `emulator.attachment()`. */
export class AttachmentUpload {
  constructor(
    readonly filename: string,
    readonly bytes: Buffer,
    readonly contentType: string,
  ) {}
}

/** An option whose type cannot be inferred from a JS value (users, channels, roles, mentionables). */
export interface TypedOption {
  type: number;
  value: string | number | boolean;
}

export type OptionInput = string | number | boolean | AttachmentUpload | TypedOption;

export interface OptionContext {
  state: EmulatorState;
  messages: MessageStore;
  guildId: string | null;
  channelId: string;
  /** The invoking user; resolved entities carry *their* permissions. */
  userId: string;
}

export type Resolved = Record<'users' | 'members' | 'roles' | 'channels' | 'attachments', Record<string, unknown>>;

export function emptyResolved(): Resolved {
  return { users: {}, members: {}, roles: {}, channels: {}, attachments: {} };
}

/** `{ resolved }` with only the non-empty maps, or `{}` when nothing was resolved. */
export function compactResolved(resolved: Resolved): { resolved?: JsonObject } {
  const used = Object.fromEntries(Object.entries(resolved).filter(([, entries]) => Object.keys(entries).length > 0));
  return Object.keys(used).length ? { resolved: used } : {};
}

function inferType(input: OptionInput): number {
  if (input instanceof AttachmentUpload) return OptionType.Attachment;
  if (typeof input === 'object') return input.type;
  if (typeof input === 'boolean') return OptionType.Boolean;
  if (typeof input === 'number') return Number.isInteger(input) ? OptionType.Integer : OptionType.Number;
  return OptionType.String;
}

/** Fills `resolved` the way Discord does for user/member, role, channel and attachment options. */
export function resolveEntity(ctx: OptionContext, type: number, id: string, resolved: Resolved): void {
  const { state } = ctx;
  const channel = state.channel(ctx.channelId);
  const user = state.user(id);
  const role = ctx.guildId ? state.guild(ctx.guildId)?.roles.find((r) => r.id === id) : undefined;
  if ((type === OptionType.User || type === OptionType.Mentionable) && user) {
    resolved.users[id] = user;
    const member = ctx.guildId ? state.member(ctx.guildId, id) : undefined;
    if (member && channel) {
      const { user: _, ...partial } = member;
      resolved.members[id] = { ...partial, permissions: channelPermissions(state, channel, id).toString() };
    }
  } else if ((type === OptionType.Role || type === OptionType.Mentionable) && role) {
    resolved.roles[id] = role;
  } else if (type === OptionType.Channel && state.channel(id)) {
    const target = state.channel(id)!;
    const { id: _, permission_overwrites: __, ...rest } = target;
    resolved.channels[id] = { id, ...rest, permissions: channelPermissions(state, target, ctx.userId).toString() };
  } else {
    throw new Error(`emulator: option value ${id} does not resolve to an entity of option type ${type}`);
  }
}

function checkValue(name: string, type: number, value: unknown, definition: JsonObject | undefined): void {
  const ok =
    type === OptionType.String ? typeof value === 'string'
    : type === OptionType.Integer ? Number.isInteger(value)
    : type === OptionType.Number ? typeof value === 'number'
    : type === OptionType.Boolean ? typeof value === 'boolean'
    : typeof value === 'string';
  if (!ok) throw new Error(`emulator: option '${name}' (type ${type}) cannot take ${JSON.stringify(value)}`);
  const choices = asArray(definition?.choices).map((c) => asObject(c).value);
  if (choices.length && !choices.includes(value)) throw new Error(`emulator: option '${name}' must be one of ${JSON.stringify(choices)}`);
}

/**
 * Builds `data` of an APPLICATION_COMMAND (or autocomplete) interaction for `/name`,
 * where `name` may include a subcommand group and subcommand ("deploy create").
 * With a registered command the options are typed and checked against it, as the
 * Discord client would; otherwise their types are inferred from the JS values.
 */
export function commandData(
  ctx: OptionContext,
  path: string,
  command: StoredCommand | undefined,
  inputs: Record<string, OptionInput>,
  fallbackId: string,
  focused?: string,
): JsonObject {
  const [name, ...subPath] = path.trim().split(/\s+/);
  let definitions = command?.options;
  for (const sub of subPath) {
    const next = definitions?.find((o) => o.name === sub && (o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup));
    if (command && !next) throw new Error(`emulator: /${name} has no subcommand '${sub}'`);
    definitions = next ? asArray(next.options).map(asObject) : undefined;
  }
  const resolved = emptyResolved();
  const leaf = Object.entries(inputs).map(([key, input]) => {
    const definition = definitions?.find((o) => o.name === key);
    if (command && !definition) throw new Error(`emulator: /${path} has no option '${key}'`);
    const type = typeof definition?.type === 'number' ? definition.type : inferType(input);
    if (key === focused) {
      // Discord's client asks only options registered with autocomplete.
      if (command && definition?.autocomplete !== true) throw new Error(`emulator: option '${key}' of /${path} is not registered with autocomplete`);
      return { name: key, type, value: String(typeof input === 'object' ? '' : input), focused: true };
    }
    let value: unknown = input instanceof AttachmentUpload ? undefined : typeof input === 'object' ? input.value : input;
    if (input instanceof AttachmentUpload) {
      const stored = ctx.messages.storeAttachment(ctx.channelId, input.filename, input.bytes, input.contentType);
      resolved.attachments[stored.id] = { ...stored, ephemeral: true };
      value = stored.id;
    } else if ([OptionType.User, OptionType.Channel, OptionType.Role, OptionType.Mentionable].includes(type as never)) {
      resolveEntity(ctx, type, String(value), resolved);
    }
    checkValue(key, type, value, definition);
    return { name: key, type, value };
  });
  if (command && focused === undefined) {
    const missing = (definitions ?? []).filter((o) => o.required === true && !(String(o.name) in inputs)).map((o) => o.name);
    if (missing.length) throw new Error(`emulator: /${path} is missing required option(s) ${missing.join(', ')}`);
  }
  // Wrap the leaf options in their subcommand (and group), innermost first.
  const options = subPath.reduceRight<object[]>((inner, sub, i) => {
    const type = i === subPath.length - 1 ? OptionType.Subcommand : OptionType.SubcommandGroup;
    return [{ name: sub, type, options: inner }];
  }, leaf);
  return {
    id: command?.id ?? fallbackId,
    name,
    type: 1,
    options,
    ...compactResolved(resolved),
    ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
  };
}
