import { ApplicationCommandOptionType, type Attachment, type AutocompleteInteraction } from 'discord.js';
import { LEVEL_CHOICES, type PolicyFileInput } from '../../core/policyAdmin.js';
import { POLICY_LIMITS } from '../../domain/policy.js';
import type { Actor } from '../../policy/permissions.js';
import { utf8Text } from '../../userFiles.js';
import { downloadAttachment } from '../attachments.js';
import type { BotContext } from '../context.js';
import { respond } from '../respond.js';
import { LIMITS, truncate } from '../views/limits.js';
import { policyChangeText, policyListEmbed, policyTestText } from '../views/policyPack.js';
import { autocompleteProjects, command, projectOption, stringOption, subcommand } from './options.js';
import type { SlashCommand } from './types.js';

const fileOption = (description: string, required: boolean) => ({ type: ApplicationCommandOptionType.Attachment, name: 'file', description, required }) as const;
const ruleOption = { type: ApplicationCommandOptionType.String, name: 'rule', description: 'The rule id: start typing', required: true, autocomplete: true, max_length: 64 } as const;
const levelOption = {
  type: ApplicationCommandOptionType.String, name: 'level', description: 'Its new level, or off', required: true,
  choices: LEVEL_CHOICES.map((l) => ({ name: l, value: l })),
} as const;

/** An attached pack file, fetched with the import's capped download and the pack file's own size limit. */
async function attachedFile(file: Attachment): Promise<PolicyFileInput> {
  return { name: file.name, text: utf8Text(await downloadAttachment(file, POLICY_LIMITS.fileBytes), `file: ${file.name}`) };
}

/** The pack's rule ids matching what was typed, turned-off ones too (a level turns them on again). */
async function autocompleteRules(ctx: BotContext, i: AutocompleteInteraction, actor: Actor): Promise<void> {
  const typed = String(i.options.getFocused()).trim().toLowerCase();
  const listing = await ctx.orchestrator.listPolicies(actor, i.options.getString('project') ?? '');
  const choices = [...listing.rules.map((r) => ({ id: r.id, label: `${r.id} · ${r.level}` })), ...listing.off.map((id) => ({ id, label: `${id} · off` }))]
    .filter((c) => c.id.includes(typed))
    .sort((a, b) => Number(!b.id.startsWith(typed)) - Number(!a.id.startsWith(typed)) || a.id.localeCompare(b.id))
    .slice(0, LIMITS.autocompleteChoices);
  await i.respond(choices.map((c) => ({ name: truncate(c.label, LIMITS.choiceName), value: c.id })));
}

/**
 * A project's policy pack, as code in its repository: every member may list and test it; its admins
 * change it, each change reviewed as a whole pack before it is committed. Replies are private.
 */
export const policyCommand: SlashCommand = {
  data: command('cloud-policy', "A project's policy pack: list, test, upload a file, set a rule's level", [
    subcommand('list', "The project's rules, their levels and where each comes from", [projectOption()]),
    subcommand('test', 'Run the pack (or the pack with an attached file) against a plan; records nothing', [
      projectOption(), stringOption('plan', 'A plan id (the first 8 characters do); the newest plan when left out', false, 36),
      fileOption('A pack file (.yaml) to try as if it were uploaded', false),
    ]),
    subcommand('upload', 'Add or replace policies/<file name> (admins); reviewed before it is committed', [projectOption(), fileOption('The pack file (.yaml), at most 256 KiB', true)]),
    subcommand('set-level', "Set a rule's level, or turn it off, in policies/levels.yaml (admins)", [projectOption(), ruleOption, levelOption]),
  ]),
  async autocomplete(ctx, i, actor) {
    if (i.options.getFocused(true).name === 'rule') return autocompleteRules(ctx, i, actor);
    return autocompleteProjects(ctx, i, actor);
  },
  async run(ctx, i, actor) {
    await i.deferReply({ flags: 'Ephemeral' });
    const project = i.options.getString('project', true);
    switch (i.options.getSubcommand(true)) {
      case 'list':
        return respond(i, { ephemeral: true, embeds: [policyListEmbed(project, await ctx.orchestrator.listPolicies(actor, project))] });
      case 'test': {
        const file = i.options.getAttachment('file');
        const plan = i.options.getString('plan');
        const result = await ctx.orchestrator.testPolicies(actor, project, { ...(plan ? { planId: plan } : {}), ...(file ? { candidate: await attachedFile(file) } : {}) });
        return respond(i, { ephemeral: true, content: policyTestText(result) });
      }
      case 'upload': {
        const c = await ctx.orchestrator.uploadPolicy(actor, project, await attachedFile(i.options.getAttachment('file', true)));
        const ids = c.rules.map((r) => `\`${r.id}\``).join(', ') || 'no rules of its own';
        return respond(i, { ephemeral: true, content: policyChangeText(project, c, `Committed \`${c.path}\` (${truncate(ids, 600)})`) });
      }
      case 'set-level': {
        const c = await ctx.orchestrator.setPolicyLevel(actor, project, i.options.getString('rule', true), i.options.getString('level', true));
        return respond(i, { ephemeral: true, content: policyChangeText(project, c, `\`${c.ruleId}\` is now **${c.level}** (\`${c.path}\`)`) });
      }
    }
  },
};
