/**
 * Approve with policy on and off, in the same run: `node bin/bot.js` against the Discord emulator, two
 * sandbox projects alike but for `policy_checks`. Each round imports a lobby, plans it (Refresh) and
 * clicks Approve; the figure is the time from the click to the bot's first response to it, which with
 * policy on includes checking the plan's verdict and that the project's pack has not moved since (its
 * files read from the repository's HEAD). Rounds alternate between the projects so both see the same
 * machine load.
 */
import { Permission, startEmulator } from '../emulator/index.js';
import { botDirs, startReadyBot } from '../e2e/helpers/botProcess.js';
import { Driver } from '../e2e/helpers/driver.js';
import { importLobby, planLobby } from '../e2e/helpers/lobbies.js';
import { round } from './discord.bench.js';
import type { BenchResult } from './stats.bench.js';

const ROUNDS = 12;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchApprove(): Promise<BenchResult[]> {
  const emulator = await startEmulator({
    interactionTimeoutMs: 10_000,
    guilds: [{ name: 'Bench', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'deploys' }], members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'ann' }] }],
  });
  const guild = emulator.state.guildByName('Bench');
  const d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'deploys').id);
  const dirs = botDirs(emulator, d.guildId, { LOG_LEVEL: 'warn' });
  const bot = await startReadyBot(emulator, dirs.env, 60_000);
  const ms: Record<'on' | 'off', number[]> = { on: [], off: [] };
  try {
    for (const mode of ['on', 'off'] as const) {
      await d.command('alice', 'cloud-create-project', { project_id: `policy-${mode}`, budget_limit: 100_000, provider: 'sandbox' });
      await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: `policy-${mode}`, role: 'approver' });
      await d.command('alice', 'cloud-settings', { project: `policy-${mode}`, policy_checks: mode === 'on' });
    }
    for (let i = 0; i < ROUNDS * 2; i++) {
      const mode = i % 2 === 0 ? 'on' : 'off';
      const lobby = await importLobby(d, 'alice', `policy-${mode}`, [{ type: 'compute_vm', name: `vm-${i}`, machine_type: 'small', labels: { owner: 'bench', environment: 'dev' } }]);
      await planLobby(d, 'alice', lobby, '📋 Plan: 1 to add');
      const start = Date.now();
      const { time, type } = await d.click('ann', lobby, 'approve').response(15_000);
      if (type !== 6) throw new Error(`Approve did not start the apply in project policy-${mode}`);
      ms[mode].push(time - start);
      await d.lobbyUntil(lobby, (t) => t.includes('✅ APPLIED'), 60_000);
    }
  } finally {
    await bot.stop();
    await emulator.close();
    dirs.cleanup();
  }
  const [on, off] = [median(ms.on), median(ms.off)];
  return [{
    name: 'Approve click → first response, policy on (median)', value: on, unit: 'ms', reference: off, ratio: round(on / off, 2),
    note: `n=${ROUNDS} each; reference = the same bot, a project with policy checks off, rounds interleaved; each round imports one VM and applies it`,
  }];
}
