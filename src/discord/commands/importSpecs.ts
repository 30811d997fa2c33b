import { ApplicationCommandOptionType } from 'discord.js';
import { CoreError, validationError } from '../../domain/errors.js';
import { MAX_FILE_BYTES, parseResourceFile } from '../../sheets/index.js';
import { respond } from '../respond.js';
import { renderLobby } from '../views/lobby.js';
import { command, projectOption } from './options.js';
import type { SlashCommand } from './types.js';

const DOWNLOAD_TIMEOUT_MS = 20_000;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const tooBig = (size: string) => validationError([`file: it is ${size}; at most ${MAX_FILE_BYTES / 1048576} MB is allowed`]);

/**
 * Reads the attachment but never more than the cap: the declared size and Content-Length are
 * checked first, and the body is counted as it streams, so a file that lies is cut off at 5 MB.
 */
async function download(url: string, size: number): Promise<Buffer> {
  if (size > MAX_FILE_BYTES) throw tooBig(mb(size));
  const failed = (why: string) => new CoreError('unavailable', `file: Discord did not hand over the attachment (${why}); upload it again`);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch (e) {
    throw failed((e as Error).name === 'TimeoutError' ? `no answer in ${DOWNLOAD_TIMEOUT_MS / 1000} s` : 'the download failed');
  }
  if (!res.ok || !res.body) throw failed(`HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_FILE_BYTES) {
    await res.body.cancel();
    throw tooBig(mb(declared));
  }
  const chunks: Buffer[] = [];
  let read = 0;
  // Leaving the loop early (the throw) cancels the stream: the rest is never downloaded.
  try {
    for await (const chunk of res.body) {
      read += chunk.length;
      if (read > MAX_FILE_BYTES) throw tooBig(`over ${mb(MAX_FILE_BYTES)}`);
      chunks.push(Buffer.from(chunk));
    }
  } catch (e) {
    if (e instanceof CoreError) throw e;
    throw failed('the download was cut off');
  }
  return Buffer.concat(chunks);
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
    const lobby = await ctx.outbox.send(i.channelId, renderLobby(await ctx.orchestrator.sessionView(actor, session.id)));
    await ctx.refs.remember(session.id, { channelId: i.channelId, messageId: lobby.id });
    await respond(i, {
      content: `📥 Imported ${specs.length} resource(s) from **${file.name}** into a new lobby. The file is the whole configuration: deployed resources it does not list will be destroyed. Click **Refresh** to see the plan.`,
    });
  },
};
