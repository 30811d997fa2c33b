import { ApplicationCommandOptionType } from 'discord.js';
import { validationError } from '../../core/errors.js';
import { MAX_FILE_BYTES, parseResourceFile } from '../../sheets/index.js';
import { respond } from '../respond.js';
import { renderLobby } from '../views/lobby.js';
import { command, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

async function download(url: string, size: number): Promise<Buffer> {
  if (size > MAX_FILE_BYTES) throw validationError([`file: it is ${(size / 1048576).toFixed(1)} MB; at most ${MAX_FILE_BYTES / 1048576} MB is allowed`]);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`attachment download failed with HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

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
    const items = await parseResourceFile(await download(file.url, file.size), file.name);
    const { session, specs } = await ctx.orchestrator.importSession(actor, i.options.getString('project', true), items, i.channelId);
    const lobby = await ctx.outbox.send(i.channelId, renderLobby(ctx.orchestrator.sessionView(actor, session.id)));
    ctx.refs.remember(session.id, { channelId: i.channelId, messageId: lobby.id });
    await respond(i, {
      content: `📥 Imported ${specs.length} resource(s) from **${file.name}** into a new lobby. The file is the whole configuration: deployed resources it does not list will be destroyed. Click **Refresh** to see the plan.`,
    });
  },
};
