/**
 * Files and history through the bot: a template to download, a resources file imported into a
 * lobby (and a broken one refused with its row), then git log, tag and diff of what was deployed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, startEmulator, type Emulator } from '../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { Callback, Driver, type Lobby } from './helpers/driver.js';

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;

beforeAll(async () => {
  emulator = await startEmulator({
    guilds: [{
      name: 'Files', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'infra' }],
      members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'ann' }],
    }],
  });
  const guild = emulator.state.guildByName('Files');
  d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'infra').id);
  dirs = botDirs(emulator, guild.id);
  bot = await startReadyBot(emulator, dirs.env);
  await d.command('alice', 'cloud-create-project', { project_id: 'data', budget_limit: 1000, provider: 'sandbox' });
  await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'data', role: 'approver' });
});

afterAll(async () => {
  await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
});

/** The lobby the bot posted to the channel after an import. */
const lastLobby = (): Lobby => {
  const message = d.messagesIn(d.channelId).filter((m) => m.embeds.length && m.components.length).at(-1)!;
  return { messageId: message.id, sessionId: String((message.components[0]!.components as Array<{ custom_id: string }>)[0]!.custom_id).split(':')[2]! };
};

async function deploy(lobby: Lobby): Promise<void> {
  await d.press('alice', lobby, 'plan');
  await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan:'));
  await d.press('ann', lobby, 'approve');
  await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'));
}

describe('files', () => {
  it('GIVEN /cloud-template THEN the member receives an .xlsx for the provider', async () => {
    const { handle, callback } = await d.slash('alice', 'cloud-template', { provider: 'sandbox' });
    expect(callback.type).toBe(Callback.deferReply);
    await handle.waitFor((c) => c.method === 'PATCH', 30_000);
    const message = handle.originalMessage()!;
    expect(message.attachments.map((a) => a.filename)).toEqual(['cloud-engine-sandbox-template.xlsx']);
    expect(message.attachments[0]!.size).toBeGreaterThan(1000);
  });

  it('GIVEN a file with a bad row THEN the refusal names the resource and nothing is opened', async () => {
    const publicMessages = () => d.messagesIn(d.channelId).filter((m) => !(m.flags & 64)).length;
    const before = publicMessages();
    const file = emulator.attachment('resources.json', JSON.stringify([{ type: 'compute_vm', name: 'web-1', machine_type: 'small' }, { type: 'storage_bucket', name: 'Bad Name' }]));
    const text = await d.command('alice', 'cloud-import', { project: 'data', file });
    expect(text).toMatch(/resources\[1\].*name 'Bad Name' must be 2-63 characters/s);
    expect(publicMessages()).toBe(before);
  });

  it('GIVEN a good file THEN a lobby holding exactly its resources is posted, and it deploys', async () => {
    const file = emulator.attachment('resources.json', JSON.stringify([
      { type: 'compute_vm', name: 'web-1', machine_type: 'small' }, { type: 'storage_bucket', name: 'logs', storage_gb: 10 },
    ]));
    expect(await d.command('alice', 'cloud-import', { project: 'data', file })).toContain('Imported 2 resource(s) from **resources.json**');
    const lobby = lastLobby();
    expect(d.lobbyText(lobby)).toContain('Resources (2)');
    await deploy(lobby);
  });
});

describe('history', () => {
  it('GIVEN two deployments THEN /cloud-git-log lists them newest first with their outcome, /cloud-git-tag tags one and /cloud-git-diff shows the change', async () => {
    const file = emulator.attachment('resources.json', JSON.stringify([{ type: 'compute_vm', name: 'web-1', machine_type: 'large' }]));
    await d.command('alice', 'cloud-import', { project: 'data', file });
    await deploy(lastLobby());
    const log = await d.command('alice', 'cloud-git-log', { project: 'data' });
    const deployments = log.split('\n').filter((l) => l.includes('✅'));
    expect(deployments).toEqual([expect.stringContaining('+0 ~1 -1'), expect.stringContaining('+2 ~0 -0')]);
    const [latest = '', first = ''] = deployments.map((l) => /`([0-9a-f]{7})`/.exec(l)![1]!);
    expect(await d.command('alice', 'cloud-git-tag', { project: 'data', tag: 'v1.0.0', commit: first })).toBe(`🏷️ **data**: tagged \`${first}\` as **v1.0.0**.`);
    const diff = await d.command('alice', 'cloud-git-diff', { project: 'data', from: 'v1.0.0', to: latest });
    expect(diff).toMatch(/-\s+"?machine_type"?\s*=\s*"small"[\s\S]*\+\s+"?machine_type"?\s*=\s*"large"/);
  });
});
