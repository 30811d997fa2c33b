import { ApplicationCommandOptionType } from 'discord.js';
import { MAX_FILE_BYTES, parseResourceFile } from '../../sheets/index.js';
import { downloadAttachment } from '../attachments.js';
import { respond } from '../respond.js';
import { renderLobby } from '../views/lobby.js';
import { command, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

/**
 * A lobby whose configuration is exactly the uploaded file. Problems are answered privately (with
 * sheet and row); the lobby itself is posted to the channel like any other.
 */
export const importCommand: SlashCommand = {
  data: command('cloud-import', 'Open a lobby with resources from a spreadsheet or JSON file', [
    projectOption(), { type: ApplicationCommandOptionType.Attachment, name: 'file', description: '.xlsx, .csv or .json with one resource per row', required: true },
  ]),
  async run(ctx, i, actor) {
    await i.deferReply({ flags: 'Ephemeral' });
    const file = i.options.getAttachment('file', true);
    const items = await parseResourceFile(await downloadAttachment(file, MAX_FILE_BYTES), file.name);
    const { session, specs } = await ctx.orchestrator.importSession(actor, i.options.getString('project', true), items, i.channelId);
    const lobby = await ctx.outbox.send(i.channelId, renderLobby(await ctx.orchestrator.sessionView(actor, session.id)));
    await ctx.refs.remember(session.id, { channelId: i.channelId, messageId: lobby.id });
    await respond(i, {
      content: `📥 Imported ${specs.length} resource(s) from **${file.name}** into a new lobby. The file is the whole configuration: deployed resources it does not list will be destroyed. Click **Refresh** to see the plan.`,
    });
  },
};
