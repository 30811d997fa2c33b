import { expect } from 'vitest';
import { Permission, startEmulator, type Emulator } from '../../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './botProcess.js';
import { readDb, type DbReader } from './db.js';
import { Driver } from './driver.js';

export interface Team {
  emulator: Emulator;
  d: Driver;
  dirs: BotDirs;
  bot: BotProcess;
  db: DbReader;
}

/**
 * The usual team on the emulator: a server whose admin is alice, with dan and ann, one channel, a ready
 * `node bin/bot.js`, and a sandbox project per name in which dan deploys and ann approves. Every risk tier
 * needs one approver (tiers are bot-policy.test.ts's subject).
 */
export async function startTeam(guildName: string, channelName: string, projects: string[]): Promise<Team> {
  const emulator = await startEmulator({
    guilds: [{
      name: guildName, roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: channelName }],
      members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }],
    }],
  });
  const guild = emulator.state.guildByName(guildName);
  const d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, channelName).id);
  const dirs = botDirs(emulator, guild.id);
  const bot = await startReadyBot(emulator, dirs.env);
  await Promise.all(projects.map(async (project) => {
    await d.command('alice', 'cloud-create-project', { project_id: project, budget_limit: 100_000, provider: 'sandbox' });
    expect(await d.command('alice', 'cloud-settings', { project, approvals: '1/1/1' })).toContain('1/1/1');
    await d.command('alice', 'cloud-grant', { user: d.user('dan'), project, role: 'deployer' });
    await d.command('alice', 'cloud-grant', { user: d.user('ann'), project, role: 'approver' });
  }));
  return { emulator, d, dirs, bot, db: readDb(dirs.env.DATABASE_PATH!) };
}
