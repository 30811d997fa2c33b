import {
  MessageFlags, type APIActionRowComponent, type APIComponentInMessageActionRow, type APIEmbed, type InteractionReplyOptions, type MessageComponentInteraction, type RepliableInteraction,
} from 'discord.js';
import { LIMITS, truncate } from './views/limits.js';

export interface Reply {
  content?: string;
  embeds?: APIEmbed[];
  components?: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
  files?: Array<{ name: string; data: Buffer }>;
  ephemeral?: boolean;
}

/** The one shape every interaction reply takes: truncated, never pinging anyone. */
export function replyOptions(r: Reply): InteractionReplyOptions {
  return {
    ...(r.content !== undefined ? { content: truncate(r.content, LIMITS.content) } : {}),
    ...(r.embeds ? { embeds: r.embeds } : {}),
    ...(r.components ? { components: r.components } : {}),
    ...(r.files ? { files: r.files.map((f) => ({ attachment: f.data, name: f.name })) } : {}),
    allowedMentions: { parse: [] },
    ...(r.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/**
 * Replies however the interaction currently allows: a first reply, the edit of a deferred command
 * or modal reply, or a follow-up once a component was acknowledged (deferUpdate / update). An
 * ephemeral reply stays private even when the command deferred publicly.
 */
export async function respond(i: RepliableInteraction, r: Reply): Promise<void> {
  const options = replyOptions(r);
  if (!i.deferred && !i.replied) {
    await i.reply(options);
  } else if (i.deferred && !i.replied && !i.isMessageComponent()) {
    if (r.ephemeral && i.ephemeral === false) {
      // A private answer (a refusal) to a public deferral: the "thinking…" message goes, a private one comes.
      await i.deleteReply();
      await i.followUp(options);
      return;
    }
    const { flags: _ephemeralWasChosenAtDefer, ...edit } = options;
    await i.editReply(edit);
  } else {
    await i.followUp(options);
  }
}

/** Replaces the message a component sits on (e.g. an ephemeral select once it has done its job). */
export async function update(i: MessageComponentInteraction, r: Omit<Reply, 'ephemeral'>): Promise<void> {
  const { flags: _unchangeable, ...options } = replyOptions(r);
  await i.update(options);
}
