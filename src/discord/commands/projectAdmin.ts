import { ApplicationCommandOptionType } from 'discord.js';
import { announceNotices } from '../announcements.js';
import { respond } from '../respond.js';
import { formatUsd } from '../../domain/money.js';
import { command, numberOption, projectOption, providerOption, stringOption, userOption } from './options.js';
import type { SlashCommand } from './types.js';
import { ROLES } from '../../domain/projects.js';

export const createProjectCommand: SlashCommand = {
  data: command('cloud-create-project', 'Create a project (server admins)', [
    { type: ApplicationCommandOptionType.String, name: 'project_id', description: 'Lowercase letters, digits and hyphens, 3-40 characters', required: true, min_length: 3, max_length: 40 },
    numberOption('budget_limit', 'Monthly budget in US dollars', true),
    providerOption('Default cloud provider (default: GCP)'),
    stringOption('description', 'What the project is for', false, 500),
    stringOption('ttl', 'Destroy the environment this long after its last apply, like 7d or 12h (1h to 90d)', false, 8),
  ]),
  async run(ctx, i, actor) {
    const ttl = i.options.getString('ttl') ?? undefined;
    const project = await ctx.orchestrator.createProject(actor, {
      id: i.options.getString('project_id', true), budgetUsd: i.options.getNumber('budget_limit', true),
      provider: i.options.getString('provider') ?? 'gcp', description: i.options.getString('description') ?? undefined, ...(ttl ? { ttl, channelId: i.channelId } : {}),
    });
    const lease = ttl ? ` Its environment lease: destroyed ${ttl} after its last apply, with reminders here before (\`/cloud-lease\`).` : '';
    await respond(i, { content: `✅ Project **${project.name}** created on ${project.defaultProvider} with a ${formatUsd(project.budgetLimitMicros)}/month budget. You are its admin; grant others access with /cloud-grant.${lease}` });
  },
};

export const setBudgetAlertCommand: SlashCommand = {
  data: command('cloud-set-budget-alert', 'Alert the project admins when a plan projects more than this per month', [
    projectOption(), numberOption('threshold', 'Monthly cost in US dollars that triggers the alert', true, 0.01),
  ]),
  async run(ctx, i, actor) {
    const { message } = await ctx.orchestrator.setBudgetAlert(actor, i.options.getString('project', true), i.options.getNumber('threshold', true));
    await respond(i, { content: `🔔 ${message}` });
  },
};

export const grantCommand: SlashCommand = {
  data: command('cloud-grant', "Give a member a role on a project", [
    userOption('user', 'Who gets the role', true), projectOption(),
    { type: ApplicationCommandOptionType.String, name: 'role', description: 'What they may do', required: true, choices: ROLES.map((r) => ({ name: r, value: r })) },
  ]),
  async run(ctx, i, actor) {
    const user = i.options.getUser('user', true);
    const project = i.options.getString('project', true);
    const role = i.options.getString('role', true);
    await ctx.orchestrator.grantRole(actor, project, user.id, role);
    await respond(i, { content: `✅ <@${user.id}> is now **${role}** on **${project}**.` });
  },
};

export const revokeCommand: SlashCommand = {
  data: command('cloud-revoke', "Remove a member's role on a project", [userOption('user', 'Whose access to remove', true), projectOption()]),
  async run(ctx, i, actor) {
    const user = i.options.getUser('user', true);
    const project = i.options.getString('project', true);
    const removed = await ctx.orchestrator.revokeRole(actor, project, user.id);
    await respond(i, { content: removed ? `✅ <@${user.id}> no longer has a role on **${project}**.` : `ℹ️ <@${user.id}> had no role on **${project}**.` });
  },
};

export const unlockCommand: SlashCommand = {
  data: command('cloud-unlock', "Force-release a project's plan/apply lock (admins)", [
    projectOption(), stringOption('reason', 'Why (kept in the audit log)', true, 500),
    { type: ApplicationCommandOptionType.Boolean, name: 'interrupt', description: 'Stop a running plan/apply first (Terraform saves its state)', required: false },
  ]),
  async run(ctx, i, actor) {
    const interrupt = i.options.getBoolean('interrupt') ?? false;
    // Interrupting waits for Terraform to stop and its state to be saved: longer than Discord's 3 s.
    if (interrupt) await i.deferReply();
    const result = await ctx.orchestrator.forceUnlock(actor, i.options.getString('project', true), i.options.getString('reason', true), { interrupt });
    const how = result.interrupted ? ' after interrupting its run; the state it wrote was saved' : '';
    await respond(i, { content: result.released ? `🔓 Lock released (it was held by session \`${result.sessionId?.slice(0, 8)}\`${how}). The change is audited.` : 'ℹ️ The project was not locked.' });
    // Its lobby says so at once (redrawn, and a reply in its channel) rather than at the next sweep.
    await announceNotices(ctx);
  },
};
