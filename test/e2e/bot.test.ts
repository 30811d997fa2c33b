/**
 * The bot end to end: `node bin/bot.js` as a separate process against the Discord emulator,
 * with real SQLite, real git and real Terraform on the sandbox provider. One team's story,
 * in order: a project, a lobby, every resource type, a plan, an apply streamed into a thread,
 * a second session that changes and removes, refusals, a race of approvals and a budget alert.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, startEmulator, type Emulator } from '../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { Callback, contentOf, Driver, isEphemeral, textOf, type Lobby } from './helpers/driver.js';

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;

beforeAll(async () => {
  emulator = await startEmulator({
    guilds: [{
      name: 'Acme',
      roles: [{ name: 'Admin', permissions: Permission.Administrator }],
      channels: [{ name: 'deploys' }],
      members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }, { username: 'abe' }, { username: 'sam' }],
    }],
  });
  const guild = emulator.state.guildByName('Acme');
  d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'deploys').id);
  dirs = botDirs(emulator, guild.id);
  bot = await startReadyBot(emulator, dirs.env);
});

afterAll(async () => {
  const code = await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
  expect(code).toBe(0);
});

describe('a project and its first deployment', () => {
  let lobby: Lobby;

  it('GIVEN a server admin THEN /cloud-create-project creates the project and /cloud-grant gives the team roles', async () => {
    expect(await d.command('alice', 'cloud-create-project', { project_id: 'shop', budget_limit: 1000, provider: 'sandbox' })).toContain('Project **shop** created');
    expect(await d.command('alice', 'cloud-grant', { user: d.user('dan'), project: 'shop', role: 'deployer' })).toContain('**deployer**');
    expect(await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'shop', role: 'approver' })).toContain('**approver**');
  });

  it('GIVEN a deployer THEN /cloud-deploy opens a DRAFT lobby', async () => {
    lobby = await d.openLobby('dan', 'shop');
    expect(d.lobbyText(lobby)).toContain('DRAFT');
  });

  it('GIVEN the VM modal THEN the resource is added with its cost and the lobby lists it', async () => {
    const answer = await d.addResource('dan', lobby, 'compute_vm', { name: 'web-1', machine_type: ['small'], disk_size_gb: '20', disk_type: ['ssd'], location: ['local-a'] });
    expect(isEphemeral(answer)).toBeTruthy();
    expect(contentOf(answer)).toContain('✅ Virtual Machine Added');
    expect(contentOf(answer)).toMatch(/💰 Estimated Cost: \$[\d.]+\/hour, \$[\d.,]+\/month/);
    await d.lobbyUntil(lobby, (t) => t.includes('web-1'));
  });

  it('GIVEN Refresh THEN the plan runs and the lobby shows its counts', async () => {
    const click = d.click('dan', lobby, 'plan');
    expect((await click.response()).type).toBe(Callback.deferUpdate);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan: 1 to add'));
    expect(text).toContain('PLANNED');
  });

  it('GIVEN an approver THEN Approve streams the apply into a thread and the lobby ends APPLIED', async () => {
    const click = d.click('ann', lobby, 'approve');
    expect((await click.response()).type).toBe(Callback.deferUpdate);
    const thread = await emulator.waitFor((c) => c.method === 'POST' && c.path === `/channels/${d.channelId}/messages/${lobby.messageId}/threads`, 10_000);
    const threadId = (thread.response as { id: string }).id;
    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'));
    const posted = d.messagesIn(threadId).map(textOf);
    expect(posted.at(-1)).toContain('Apply complete');
    console.log(posted.join('\n---\n'));
  });
});
