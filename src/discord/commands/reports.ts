import { ApplicationCommandOptionType, type ChatInputCommandInteraction } from 'discord.js';
import { respond } from '../respond.js';
import { codeBlock } from '../views/format.js';
import { LIMITS } from '../views/limits.js';
import { auditLine, eventTypeChoices } from '../views/audit.js';
import { costEmbed, quotaMessage, sessionsEmbed } from '../views/reports.js';
import type { AuditRow } from '../../domain/audit.js';
import { auditExportLines } from '../../stats/auditExport.js';
import { autocompleteProjects, booleanOption, command, integerOption, listOption, numberOption, projectOption, stringOption, userOption } from './options.js';
import type { SlashCommand } from './types.js';

export const quotaCommand: SlashCommand = {
  data: command('cloud-quota', "Set a project's quotas; options left out mean no limit (admins)", [
    projectOption(),
    integerOption('max_resources', 'Most resources the project may run', false, 1, 1000),
    numberOption('max_monthly_cost', 'Most the project may cost per month, US dollars', false),
    stringOption('allowed_regions', 'Comma separated regions, e.g. us-central1, europe-west1', false, 1000),
    stringOption('allowed_machine_types', 'Comma separated machine types, e.g. e2-small, e2-medium', false, 1000),
  ]),
  async run(ctx, i, actor) {
    const quota = await ctx.orchestrator.setQuota(actor, i.options.getString('project', true), {
      maxResources: i.options.getInteger('max_resources'), maxMonthlyCostUsd: i.options.getNumber('max_monthly_cost'),
      allowedRegions: listOption(i.options.getString('allowed_regions')) ?? null,
      allowedMachineTypes: listOption(i.options.getString('allowed_machine_types')) ?? null,
    });
    await respond(i, { content: quotaMessage(quota) });
  },
};

export const sessionsCommand: SlashCommand = {
  data: command('cloud-sessions', 'Active deployment sessions and who holds each project lock', [projectOption(false, 'Only this project')]),
  async run(ctx, i, actor) {
    const project = i.options.getString('project') ?? undefined;
    await respond(i, { embeds: [sessionsEmbed(await ctx.orchestrator.activeSessions(actor, project), project)], ephemeral: true });
  },
};

export const costCommand: SlashCommand = {
  data: command('cloud-cost', "What a project's deployed resources cost per month", [projectOption()]),
  async run(ctx, i, actor) {
    await respond(i, { embeds: [costEmbed(await ctx.orchestrator.projectCost(actor, i.options.getString('project', true)))], ephemeral: true });
  },
};

/** An audit export as one CSV attachment: whole lines only, stopping before the file would pass `maxBytes`. */
async function csvWithin(rows: AsyncIterable<AuditRow>, maxBytes: number): Promise<{ data: Buffer; rows: number; complete: boolean }> {
  const parts: Buffer[] = [];
  let size = 0;
  let lines = 0;
  for await (const line of auditExportLines(rows, 'csv')) {
    const bytes = Buffer.from(line);
    if (size + bytes.length > maxBytes) return { data: Buffer.concat(parts), rows: lines - 1, complete: false };
    parts.push(bytes);
    size += bytes.length;
    lines++;
  }
  return { data: Buffer.concat(parts), rows: lines - 1, complete: true };
}

/** How many members one audit page looks up by id at most (each may be a request to Discord). */
const NAME_LOOKUPS = 10;

/** Names for rows written before names were recorded: members of this server, looked up (a few, from cache or Discord). */
async function namesOf(i: ChatInputCommandInteraction, rows: AuditRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.filter((r) => r.userName === null && r.userId !== null && /^\d{1,20}$/.test(r.userId)).map((r) => r.userId!))].slice(0, NAME_LOOKUPS);
  const names = new Map<string, string>();
  await Promise.all(ids.map(async (id) => {
    const member = await i.guild?.members.fetch(id).catch(() => undefined);
    if (member) names.set(id, member.user.username);
  }));
  return names;
}

export const auditCommand: SlashCommand = {
  data: command('cloud-audit', 'Read the audit log (admins)', [
    projectOption(false, 'Only this project'), userOption('user', 'Only actions by this member', false),
    { type: ApplicationCommandOptionType.String, name: 'event', description: 'Only this event type: start typing, e.g. unlock or expired', required: false, max_length: 64, autocomplete: true },
    integerOption('limit', 'How many events (default 25)', false, 1, 500),
    booleanOption('export', 'Attach every matching event as a CSV file instead'),
  ]),
  async autocomplete(ctx, i, actor) {
    const focused = i.options.getFocused(true);
    if (focused.name === 'event') return i.respond(eventTypeChoices(String(focused.value)));
    return autocompleteProjects(ctx, i, actor);
  },
  async run(ctx, i, actor) {
    const filter = { project: i.options.getString('project') ?? undefined, userId: i.options.getUser('user')?.id, eventType: i.options.getString('event') ?? undefined };
    if (i.options.getBoolean('export')) {
      const exported = await ctx.orchestrator.exportAudit(actor, filter);
      await i.deferReply({ flags: 'Ephemeral' });
      const { data, rows: count, complete } = await csvWithin(exported, LIMITS.attachmentBytes);
      const note = complete ? '' : ` — the first ${count}, as many as fit in one file; \`cloud-engine audit --export\` on the server writes them all`;
      return respond(i, { content: `📜 ${count} audit event(s), newest first${note}.`, files: [{ name: 'audit.csv', data }], ephemeral: true });
    }
    const rows = await ctx.orchestrator.audit(actor, { ...filter, limit: i.options.getInteger('limit') ?? 25 });
    if (!rows.length) return respond(i, { content: 'No audit events match.', ephemeral: true });
    const names = await namesOf(i, rows);
    const text = rows.map((r) => auditLine(r, names)).join('\n');
    const inline = `📜 ${rows.length} audit event(s), newest first:\n${codeBlock(text)}`;
    if (inline.length <= LIMITS.content) return respond(i, { content: inline, ephemeral: true });
    await respond(i, { content: `📜 ${rows.length} audit event(s), newest first (attached).`, files: [{ name: 'audit.txt', data: Buffer.from(`${text}\n`) }], ephemeral: true });
  },
};
