import { OptionType } from './constants.js';
import { Errors, FormErrors } from './errors.js';
import { asArray, asObject, asString, type JsonObject } from './json.js';
import type { Router } from './router.js';
import { snowflake } from './snowflake.js';
import type { EmulatorState } from './state.js';

const CHAT_INPUT = 1;
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
type Path = (string | number)[];

export interface StoredCommand extends JsonObject {
  id: string;
  name: string;
  type: number;
  options?: JsonObject[];
}

function validateName(errors: FormErrors, path: Path, name: unknown, chatInput: boolean): void {
  const valid = typeof name === 'string' && (chatInput ? NAME.test(name) && name === name.toLowerCase() : name.length >= 1 && name.length <= 32);
  if (!valid) errors.add(path, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
}

function validateOptions(errors: FormErrors, path: Path, rawOptions: unknown): void {
  const options = asArray(rawOptions).map(asObject);
  errors.maxLength(path, options, MAX_OPTIONS);
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((option, i) => {
    const at = [...path, i];
    validateName(errors, [...at, 'name'], option.name, true);
    errors.lengthBetween([...at, 'description'], option.description, 1, 100);
    if (typeof option.type !== 'number' || option.type < OptionType.Subcommand || option.type > OptionType.Attachment) {
      errors.add([...at, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.');
    }
    const name = asString(option.name) ?? '';
    if (names.has(name)) errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
    names.add(name);
    if (option.required === true && sawOptional) {
      errors.add([...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) sawOptional = true;
    const choices = asArray(option.choices).map(asObject);
    errors.maxLength([...at, 'choices'], choices, MAX_CHOICES);
    choices.forEach((choice, j) => {
      errors.lengthBetween([...at, 'choices', j, 'name'], choice.name, 1, 100);
      errors.maxLength([...at, 'choices', j, 'value'], choice.value, 100);
    });
    if (option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup) {
      validateOptions(errors, [...at, 'options'], option.options);
    }
  });
}

/** Validates a list of command definitions like the bulk-overwrite endpoint does. */
function validateCommands(commands: JsonObject[], at: Path = []): void {
  const errors = new FormErrors();
  const seen = new Set<string>();
  commands.forEach((command, i) => {
    const type = typeof command.type === 'number' ? command.type : CHAT_INPUT;
    validateName(errors, [...at, i, 'name'], command.name, type === CHAT_INPUT);
    if (type === CHAT_INPUT) errors.lengthBetween([...at, i, 'description'], command.description, 1, 100);
    validateOptions(errors, [...at, i, 'options'], command.options);
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key)) errors.add([...at, i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
    seen.add(key);
  });
  errors.throwIfAny();
}

/** Registered application commands, global and per guild. */
export class CommandStore {
  private readonly scopes = new Map<string, Map<string, StoredCommand>>();

  constructor(private readonly applicationId: string) {}

  list(guildId: string | null): StoredCommand[] {
    return [...(this.scopes.get(guildId ?? 'global')?.values() ?? [])];
  }

  /** The command a user would invoke by `name` in `guildId` (guild commands shadow global ones). */
  find(guildId: string | null, name: string, type = CHAT_INPUT): StoredCommand | undefined {
    const match = (c: StoredCommand) => c.name === name && c.type === type;
    return (guildId ? this.list(guildId).find(match) : undefined) ?? this.list(null).find(match);
  }

  /** Bulk overwrite; commands keep their id when one with the same name and type existed. */
  overwrite(guildId: string | null, definitions: JsonObject[]): StoredCommand[] {
    const previous = this.scopes.get(guildId ?? 'global') ?? new Map<string, StoredCommand>();
    const next = new Map<string, StoredCommand>();
    for (const definition of definitions) {
      const command = this.toCommand(guildId, definition, previous);
      next.set(`${command.type}:${command.name}`, command);
    }
    this.scopes.set(guildId ?? 'global', next);
    return [...next.values()];
  }

  upsert(guildId: string | null, definition: JsonObject): StoredCommand {
    const scope = this.scopes.get(guildId ?? 'global') ?? new Map<string, StoredCommand>();
    const command = this.toCommand(guildId, definition, scope);
    scope.set(`${command.type}:${command.name}`, command);
    this.scopes.set(guildId ?? 'global', scope);
    return command;
  }

  delete(guildId: string | null, commandId: string): boolean {
    const scope = this.scopes.get(guildId ?? 'global');
    const entry = [...(scope?.entries() ?? [])].find(([, c]) => c.id === commandId);
    return entry ? scope!.delete(entry[0]) : false;
  }

  private toCommand(guildId: string | null, definition: JsonObject, existing: Map<string, StoredCommand>): StoredCommand {
    const type = typeof definition.type === 'number' ? definition.type : CHAT_INPUT;
    const name = String(definition.name);
    return {
      id: existing.get(`${type}:${name}`)?.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      default_member_permissions: definition.default_member_permissions ?? null,
      type,
      name,
      name_localizations: definition.name_localizations ?? null,
      description: asString(definition.description) ?? '',
      description_localizations: definition.description_localizations ?? null,
      ...(guildId ? { guild_id: guildId } : { dm_permission: definition.dm_permission ?? true }),
      contexts: definition.contexts ?? null,
      integration_types: definition.integration_types ?? [0],
      nsfw: definition.nsfw ?? false,
      ...(Array.isArray(definition.options) ? { options: definition.options.map(asObject) } : {}),
    };
  }
}

function requireList(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  throw FormErrors.error([], 'LIST_TYPE_CONVERT', 'Only iterables may be used in a ListType');
}

export function registerCommandRoutes(router: Router, state: EmulatorState, commands: CommandStore): void {
  const scope = (params: Record<string, string>): string | null => {
    if (params.applicationId !== state.botUser.id) throw Errors.missingAccess();
    if (params.guildId && !state.guild(params.guildId)) throw Errors.unknownGuild();
    return params.guildId ?? null;
  };
  for (const base of ['/applications/:applicationId/commands', '/applications/:applicationId/guilds/:guildId/commands']) {
    router.add('GET', base, ({ params }) => ({ status: 200, body: commands.list(scope(params)) }));
    router.add('PUT', base, ({ params, body }) => {
      const guildId = scope(params);
      const definitions = requireList(body).map(asObject);
      validateCommands(definitions);
      return { status: 200, body: commands.overwrite(guildId, definitions) };
    });
    router.add('POST', base, ({ params, body }) => {
      const guildId = scope(params);
      validateCommands([asObject(body)]);
      return { status: 201, body: commands.upsert(guildId, asObject(body)) };
    });
    router.add('DELETE', `${base}/:commandId`, ({ params }) => {
      if (!commands.delete(scope(params), params.commandId!)) throw Errors.unknownCommand();
      return { status: 204 };
    });
  }
}
