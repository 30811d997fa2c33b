import type { ReviewSettings } from '../../core/projectAdmin.js';
import { respond } from '../respond.js';
import { booleanOption, command, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

const shown = (project: string, s: Required<ReviewSettings>) => [
  `⚙️ **${project}** review settings:`,
  `• Self-approval: ${s.allowSelfApproval ? 'on — a deployer may approve their own plan' : 'off — another member approves'}`,
  `• Auto-tag: ${s.autoTag ? 'on — each applied deployment is tagged in the project repository' : 'off'}`,
].join('\n');

/** Show or change a project's review rules (project admins); nothing given shows them. */
export const settingsCommand: SlashCommand = {
  data: command('cloud-settings', "Show or change a project's review settings (admins)", [
    projectOption(),
    booleanOption('self_approval', 'May a deployer approve their own plan?'),
    booleanOption('auto_tag', 'Tag each applied deployment in the project repository?'),
  ]),
  async run(ctx, i, actor) {
    const project = i.options.getString('project', true);
    const allowSelfApproval = i.options.getBoolean('self_approval') ?? undefined;
    const autoTag = i.options.getBoolean('auto_tag') ?? undefined;
    const settings = allowSelfApproval === undefined && autoTag === undefined
      ? await ctx.orchestrator.reviewSettings(actor, project)
      : await ctx.orchestrator.setReviewSettings(actor, project, { ...(allowSelfApproval !== undefined ? { allowSelfApproval } : {}), ...(autoTag !== undefined ? { autoTag } : {}) });
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
