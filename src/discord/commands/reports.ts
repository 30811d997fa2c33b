import { respond } from '../respond.js';
import { codeBlock } from '../views/format.js';
import { LIMITS } from '../views/limits.js';
import { auditLine, costEmbed, quotaMessage, sessionsEmbed } from '../views/reports.js';
import { command, integerOption, listOption, numberOption, projectOption, stringOption, userOption } from './options.js';
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

export const auditCommand: SlashCommand = {
  data: command('cloud-audit', 'Read the audit log (admins)', [
    projectOption(false, 'Only this project'), userOption('user', 'Only actions by this member', false),
    stringOption('event', 'Only this event type, e.g. deployment_completed', false, 64), integerOption('limit', 'How many events (default 25)', false, 1, 500),
  ]),
  async run(ctx, i, actor) {
    const rows = await ctx.orchestrator.audit(actor, {
      projectId: i.options.getString('project') ?? undefined, userId: i.options.getUser('user')?.id, eventType: i.options.getString('event') ?? undefined,
      limit: i.options.getInteger('limit') ?? 25,
    });
    if (!rows.length) return respond(i, { content: 'No audit events match.', ephemeral: true });
    const text = rows.map(auditLine).join('\n');
    const inline = `📜 ${rows.length} audit event(s), newest first:\n${codeBlock(text)}`;
    if (inline.length <= LIMITS.content) return respond(i, { content: inline, ephemeral: true });
    await respond(i, { content: `📜 ${rows.length} audit event(s), newest first (attached).`, files: [{ name: 'audit.txt', data: Buffer.from(`${text}\n`) }], ephemeral: true });
  },
};
