/**
 * Bulk resources through Discord, end to end: `node bin/bot.js` against the emulator. A member
 * downloads the template, fills it, imports it into a lobby, plans and applies it, and exports
 * the project back to the same configuration. A bad file is answered with its rows and opens nothing.
 * (test/e2e/bot-files.test.ts covers the JSON format and history.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResourceFile, validateItems } from '../../src/sheets/index.js';
import { Permission, startEmulator, type Emulator, type StoredMessage } from '../emulator/index.js';
import { fillTemplate } from '../unit/sheets/helpers.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { Callback, Driver, isEphemeral, textOf, type Lobby } from './helpers/driver.js';

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;

beforeAll(async () => {
  emulator = await startEmulator({
    guilds: [{
      name: 'Sheets',
      roles: [{ name: 'Admin', permissions: Permission.Administrator }],
      channels: [{ name: 'bulk' }],
      members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }],
    }],
  });
  const guild = emulator.state.guildByName('Sheets');
  d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'bulk').id);
  dirs = botDirs(emulator, guild.id);
  bot = await startReadyBot(emulator, dirs.env);
  await d.command('alice', 'cloud-create-project', { project_id: 'bulk', budget_limit: 1000, provider: 'sandbox' });
  // Risk tiers are bot-policy.test.ts's subject: here every tier needs one approver, as before tiers.
  expect(await d.command('alice', 'cloud-settings', { project: 'bulk', approvals: '1/1/1' })).toContain('1/1/1');
  await d.command('alice', 'cloud-grant', { user: d.user('dan'), project: 'bulk', role: 'deployer' });
  await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'bulk', role: 'approver' });
});

afterAll(async () => {
  const code = await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
  expect(code).toBe(0);
});

/** The bot's deferred answer once edited: the message as members see it. */
async function answer(user: string, name: string, options: Parameters<Driver['slash']>[2]): Promise<{ message: StoredMessage; ephemeral: boolean }> {
  const { handle, callback } = await d.slash(user, name, options);
  expect(callback.type).toBe(Callback.deferReply);
  await handle.waitFor((c) => c.method === 'PATCH', 30_000);
  return { message: handle.originalMessage()!, ephemeral: Boolean(isEphemeral(callback)) };
}

/** Lobbies are the public channel messages with buttons. */
const lobbies = () => d.messagesIn(d.channelId).filter((m) => !(m.flags & 64) && m.components.length);

const download = async (m: StoredMessage) => Buffer.from(await (await fetch(m.attachments[0]!.url)).arrayBuffer());

const rows = {
  'Virtual Machine': [{ name: 'web-1', machine_type: 'medium' }, { name: 'web-2', machine_type: 'large', disk_size_gb: 40 }],
  'VPC Network': [{ name: 'core', subnets: 'app:10.0.1.0/24' }],
  'Firewall Rule': [{ name: 'https-in', network: 'core', ports: '443', source_ranges: '0.0.0.0/0' }],
};

describe('spreadsheets in Discord', () => {
  let lobby: Lobby;

  it('GIVEN /cloud-template THEN the member privately gets an .xlsx that reads back as the provider\'s template', async () => {
    const { message, ephemeral } = await answer('dan', 'cloud-template', { provider: 'sandbox' });
    expect(ephemeral).toBe(true);
    expect(message.attachments.map((a) => a.filename)).toEqual(['cloud-engine-sandbox-template.xlsx']);
    expect(textOf(message)).toContain('The Sandbox template');
    const items = await parseResourceFile(await download(message), 'template.xlsx');
    expect(validateItems('sandbox', items).map((s) => s.type)).toEqual(['compute_vm', 'database', 'vpc_network', 'storage_bucket', 'firewall_rule']);
  });

  it('GIVEN /cloud-import with a file that has a bad row THEN the member is told sheet, row and column, and no lobby opens', async () => {
    const before = lobbies().length;
    const file = emulator.attachment('bad.xlsx', await fillTemplate('sandbox', { 'Virtual Machine': [{ name: 'web-1' }, { name: 'web-2', machine_type: 'gigantic' }] }));
    const { message, ephemeral } = await answer('dan', 'cloud-import', { project: 'bulk', file });
    expect(ephemeral).toBe(true);
    expect(textOf(message)).toContain(`bad.xlsx: Sheet "Virtual Machine", row 3, column machine_type: machine_type 'gigantic' is not a Sandbox machine type`);
    expect(lobbies()).toHaveLength(before);
  });

  it('GIVEN /cloud-import with an attachment over 5 MB THEN it is refused without downloading it', async () => {
    const file = emulator.attachment('huge.csv', Buffer.alloc(6 * 1024 * 1024, 0x41));
    const { message } = await answer('dan', 'cloud-import', { project: 'bulk', file });
    expect(textOf(message)).toBe('❌ file: it is 6.0 MB; at most 5 MB is allowed');
    expect(emulator.calls.some((c) => c.method === 'GET' && c.path.endsWith('/huge.csv'))).toBe(false);
  });

  it('GIVEN /cloud-import with a filled template THEN a DRAFT lobby holding every row is posted to the channel', async () => {
    const file = emulator.attachment('team.xlsx', await fillTemplate('sandbox', rows));
    const { message, ephemeral } = await answer('dan', 'cloud-import', { project: 'bulk', file });
    expect(ephemeral).toBe(true);
    expect(textOf(message)).toContain('Imported 4 resource(s) from **team.xlsx**');
    expect(emulator.calls.some((c) => c.method === 'GET' && c.path.endsWith('/team.xlsx'))).toBe(true);
    const posted = lobbies().at(-1)!;
    const text = textOf(posted);
    expect(text).toContain('📝 DRAFT');
    for (const name of ['web-1', 'web-2', 'core', 'https-in']) expect(text).toContain(`**${name}**`);
    const customId = String((posted.components[0]!.components as Array<{ custom_id: string }>)[0]!.custom_id);
    lobby = { messageId: posted.id, sessionId: customId.split(':')[2]! };
  });

  it('GIVEN the imported lobby planned and approved THEN /cloud-export returns a file that re-imports to the same configuration', async () => {
    await d.click('dan', lobby, 'plan').response();
    await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan: 4 to add'), 60_000);
    await d.click('ann', lobby, 'approve').response();
    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'), 120_000);
    const { message } = await answer('dan', 'cloud-export', { project: 'bulk' });
    expect(message.attachments.map((a) => a.filename)).toEqual(['bulk-resources.xlsx']);
    const exported = validateItems('sandbox', await parseResourceFile(await download(message), 'bulk.xlsx'));
    const imported = validateItems('sandbox', await parseResourceFile(await fillTemplate('sandbox', rows), 'team.xlsx'));
    expect(exported).toStrictEqual(imported);
  });
});
