import {
  ApplicationCommandOptionType, InteractionContextType, ApplicationIntegrationType, type APIApplicationCommandBasicOption, type APIApplicationCommandSubcommandOption,
  type AutocompleteInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { PROVIDER_LABELS, PROVIDERS } from '../../domain/resources.js';
import type { Actor } from '../../policy/permissions.js';
import type { BotContext } from '../context.js';
import { LIMITS, truncate } from '../views/limits.js';

/** Every command is a guild command: projects belong to a server. Its options are plain options, or subcommands. */
export const command = (name: string, description: string, options: APIApplicationCommandBasicOption[] | APIApplicationCommandSubcommandOption[] = []): RESTPostAPIChatInputApplicationCommandsJSONBody => ({
  name, description, options, contexts: [InteractionContextType.Guild], integration_types: [ApplicationIntegrationType.GuildInstall],
});

/** One subcommand (`/cloud-policy list`), its required options first as Discord wants them. */
export const subcommand = (name: string, description: string, options: APIApplicationCommandBasicOption[]): APIApplicationCommandSubcommandOption =>
  ({ type: ApplicationCommandOptionType.Subcommand, name, description, options });

export const projectOption = (required = true, description = 'The project'): APIApplicationCommandBasicOption =>
  ({ type: ApplicationCommandOptionType.String, name: 'project', description, required, autocomplete: true, max_length: 40 });

export const providerOption = (description: string): APIApplicationCommandBasicOption => ({
  type: ApplicationCommandOptionType.String, name: 'provider', description, required: false,
  choices: PROVIDERS.map((p) => ({ name: PROVIDER_LABELS[p], value: p })),
});

export const stringOption = (name: string, description: string, required: boolean, maxLength = 200): APIApplicationCommandBasicOption =>
  ({ type: ApplicationCommandOptionType.String, name, description, required, max_length: maxLength });

export const numberOption = (name: string, description: string, required: boolean, min = 0, max = 10_000_000): APIApplicationCommandBasicOption =>
  ({ type: ApplicationCommandOptionType.Number, name, description, required, min_value: min, max_value: max });

export const integerOption = (name: string, description: string, required: boolean, min: number, max: number): APIApplicationCommandBasicOption =>
  ({ type: ApplicationCommandOptionType.Integer, name, description, required, min_value: min, max_value: max });

export const booleanOption = (name: string, description: string, required = false): APIApplicationCommandBasicOption =>
  ({ type: ApplicationCommandOptionType.Boolean, name, description, required });

export const userOption = (name: string, description: string, required: boolean): APIApplicationCommandBasicOption =>
  ({ type: ApplicationCommandOptionType.User, name, description, required });

/** Names of the projects the user may see in this server, matching what they typed so far. */
export async function autocompleteProjects(ctx: BotContext, i: AutocompleteInteraction, actor: Actor): Promise<void> {
  const focused = i.options.getFocused(true);
  if (focused.name !== 'project') return void (await i.respond([]));
  const typed = String(focused.value).trim().toLowerCase();
  const projects = (await ctx.orchestrator.listProjects(actor))
    .filter((p) => p.name.includes(typed))
    .sort((a, b) => Number(!b.name.startsWith(typed)) - Number(!a.name.startsWith(typed)) || a.name.localeCompare(b.name))
    .slice(0, LIMITS.autocompleteChoices);
  await i.respond(projects.map((p) => ({
    name: truncate(`${p.name} · ${PROVIDER_LABELS[p.defaultProvider]}${p.description ? ` · ${p.description}` : ''}`, LIMITS.choiceName), value: p.name,
  })));
}

/** Comma separated option text → list; empty → undefined (the option was not given). */
export const listOption = (raw: string | null): string[] | undefined =>
  raw === null ? undefined : raw.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
