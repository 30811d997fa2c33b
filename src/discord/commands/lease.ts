import { ApplicationCommandOptionType } from 'discord.js';
import { followExpiry } from '../leases.js';
import { respond } from '../respond.js';
import { destroyNowText, extendedText, leaseShown } from '../views/lease.js';
import { command, projectOption, stringOption } from './options.js';
import type { SlashCommand } from './types.js';

const ACTIONS = ['show', 'extend', 'end', 'set', 'destroy'] as const;

/** A project's environment lease: show it, extend it, end it (no expiry), set its length, or destroy the environment now. */
export const leaseCommand: SlashCommand = {
  data: command('cloud-lease', "Show, extend, end or set a project's environment lease", [
    projectOption(),
    { type: ApplicationCommandOptionType.String, name: 'action', description: 'What to do (default: show)', required: false, choices: ACTIONS.map((a) => ({ name: a, value: a })) },
    stringOption('by', 'extend: how much longer, like 12h or 3d (default: the lease length)', false, 8),
    stringOption('ttl', 'set: destroyed this long after the last apply, like 7d (1h to 90d)', false, 8),
  ]),
  async run(ctx, i, actor) {
    const project = i.options.getString('project', true);
    const action = (i.options.getString('action') ?? 'show') as (typeof ACTIONS)[number];
    switch (action) {
      case 'show':
        return respond(i, { ephemeral: true, content: leaseShown(await ctx.orchestrator.leaseOf(actor, project)) });
      case 'extend':
        return respond(i, { content: extendedText(project, await ctx.orchestrator.extendLease(actor, project, i.options.getString('by') ?? undefined), actor.userId) });
      case 'end':
        await ctx.orchestrator.endLease(actor, project);
        return respond(i, { content: `✅ <@${actor.userId}> ended **${project}**'s environment lease: it no longer expires.` });
      case 'set': {
        const ttl = i.options.getString('ttl');
        if (ttl === null) return respond(i, { ephemeral: true, content: '❌ `set` needs `ttl`: how long after its last apply the environment is destroyed, like 7d (1h to 90d).' });
        await ctx.orchestrator.setLease(actor, project, ttl, i.channelId);
        return respond(i, { content: leaseShown(await ctx.orchestrator.leaseOf(actor, project)) });
      }
      case 'destroy': {
              const started = await ctx.orchestrator.destroyNow(actor, project);
        await respond(i, { content: destroyNowText(project, started.session.id, actor.userId) });
        void followExpiry(ctx, started);
        return undefined;
      }
    }
  },
};
