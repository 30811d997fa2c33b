import { ApplicationCommandOptionType } from 'discord.js';
import { EXPIRY_APPROVALS } from '../../domain/expiry.js';
import type { ReviewSettings, ReviewSettingsView } from '../../core/projectAdmin.js';
import { DRIFT_SCHEDULES } from '../../domain/drift.js';
import { formatUsd } from '../../domain/money.js';
import { approvalsText } from '../../domain/policy.js';
import { labelsText } from '../../resources/fields.js';
import { MAX_LABELS_TEXT } from '../../resources/validate.js';
import { respond } from '../respond.js';
import { booleanOption, command, numberOption, projectOption, stringOption } from './options.js';
import type { SlashCommand } from './types.js';

const shown = (project: string, s: ReviewSettingsView) => [
  `⚙️ **${project}** review settings:`,
  `• Self-approval: ${s.allowSelfApproval ? 'on — a deployer may approve their own low-risk plan' : 'off — another member approves'}`,
  `• Approvals (low/medium/high risk): ${approvalsText(s.approvals)} — the author never counts for medium or high`,
  `• High risk above: +${formatUsd(s.costThreshold)}/month`,
  `• Production: ${s.production ? 'yes — databases need backups and HA' : 'no'}`,
  `• Policy checks: ${s.policyChecks ? 'on' : 'off — no rule is evaluated (`/cloud-policy list` shows them)'}`,
  `• Auto-tag: ${s.autoTag ? 'on — each applied deployment is tagged in the project repository' : 'off'}`,
  `• Labels on every resource: ${Object.keys(s.labels).length ? `\`${labelsText(s.labels)}\` — a resource's own label wins` : 'none'}`,
  `• Drift checks: ${s.drift === 'off' ? 'off — only when asked (`/cloud-drift`)' : s.drift}${s.driftDefault ? ' (the default for this provider)' : ''}`,
  `• Expiry approval: ${s.expiryApproval === 'auto' ? 'auto — the system approves a lease\'s destroy plan when policy allows it' : 'approver — one approver approves a lease\'s destroy plan'}`,
].join('\n');

/** Show or change a project's review rules (project admins); nothing given shows them. */
export const settingsCommand: SlashCommand = {
  data: command('cloud-settings', "Show or change a project's review settings (admins)", [
    projectOption(),
    booleanOption('self_approval', 'May a deployer approve their own low-risk plan?'),
    stringOption('approvals', 'Approvers needed for low/medium/high risk, like 1/1/2', false, 8),
    numberOption('cost_threshold', 'A plan adding more than this many US dollars a month is high risk', false, 0),
    booleanOption('production', 'Is this a production project (databases need backups and HA)?'),
    booleanOption('policy_checks', 'Check every plan against the policy pack?'),
    booleanOption('auto_tag', 'Tag each applied deployment in the project repository?'),
    stringOption('labels', 'Labels every resource carries, like owner=web, environment=prod (none clears them)', false, MAX_LABELS_TEXT),
    { type: ApplicationCommandOptionType.String, name: 'drift', description: 'How often to check the project for drift on its own', required: false, choices: DRIFT_SCHEDULES.map((d) => ({ name: d, value: d })) },
    {
      type: ApplicationCommandOptionType.String, name: 'expiry_approval', description: "Who approves the destroy plan at a lease's end", required: false,
      choices: EXPIRY_APPROVALS.map((a) => ({ name: a, value: a })),
    },
  ]),
  async run(ctx, i, actor) {
    const project = i.options.getString('project', true);
    const given: ReviewSettings = Object.fromEntries(Object.entries({
      allowSelfApproval: i.options.getBoolean('self_approval'), approvals: i.options.getString('approvals'), costThresholdUsd: i.options.getNumber('cost_threshold'),
      production: i.options.getBoolean('production'), policyChecks: i.options.getBoolean('policy_checks'), autoTag: i.options.getBoolean('auto_tag'),
      labels: i.options.getString('labels'), drift: i.options.getString('drift'), expiryApproval: i.options.getString('expiry_approval'),
    }).filter(([, v]) => v !== null));
    const settings = Object.keys(given).length ? await ctx.orchestrator.setReviewSettings(actor, project, given) : await ctx.orchestrator.reviewSettings(actor, project);
    await respond(i, { ephemeral: true, content: shown(project, settings) });
  },
};

/** Interrupt a project's running apply, wherever it runs (the session's owner or a project admin). */
export const stopCommand: SlashCommand = {
  data: command('cloud-stop', "Interrupt a project's running apply; its state is saved", [projectOption()]),
  async run(ctx, i, actor) {
    const project = i.options.getString('project', true);
    const { sessionId } = await ctx.orchestrator.stopApply(actor, project);
    await respond(i, { content: `🛑 <@${actor.userId}> asked the apply of session \`${sessionId.slice(0, 8)}\` in **${project}** to stop. Terraform stops cleanly; what it created is saved and the thread shows the outcome.` });
  },
};
