/**
 * The Discord adapter against the emulator, with the bot as its own process (`node bin/bot.js`):
 * interaction latency with 50 lobbies at once, and memory (apply output in threads: board.bench.ts).
 * Every figure has a reference measured in the same run on the same machine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Permission, startEmulator, type Emulator, type InteractionHandle } from '../emulator/index.js';
import { botDirs, REPO_ROOT, startReadyBot } from '../e2e/helpers/botProcess.js';
import { Driver, type Lobby } from '../e2e/helpers/driver.js';
import type { BenchResult } from './stats.bench.js';

const LOBBIES = 50;
/** Interactions in one lobbyRound: open, add, type select, region select, zone select, modal submit, remove, remove select. */
const STEPS_PER_LOBBY = 8;
export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
export const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function emulatorWith(users: number): Promise<{ emulator: Emulator; d: Driver }> {
  const emulator = await startEmulator({
    interactionTimeoutMs: 10_000,
    guilds: [{
      name: 'Bench', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'deploys' }],
      members: Array.from({ length: users }, (_, i) => ({ username: `user${i}`, roles: ['Admin'], ...(i === 0 ? { owner: true } : {}) })),
    }],
  });
  const guild = emulator.state.guildByName('Bench');
  return { emulator, d: new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'deploys').id) };
}

/** Milliseconds from injecting an interaction to the bot's initial response, as the emulator saw it. */
async function timed(inject: () => InteractionHandle): Promise<{ ms: number; handle: InteractionHandle }> {
  const start = Date.now();
  const handle = inject();
  const { time } = await handle.response(15_000);
  return { ms: time - start, handle };
}

/** The reference: a minimal discord.js client, also its own process, answering a bare /ping. */
const PING_BOT = `
import { Client, Events, GatewayIntentBits } from 'discord.js';
const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: process.env.DISCORD_API_URL } });
client.on(Events.InteractionCreate, (i) => { if (i.isChatInputCommand()) void i.reply({ content: 'pong' }); });
client.once(Events.ClientReady, () => console.log('ready'));
await client.login(process.env.DISCORD_TOKEN);`;

/** Starts the minimal client against the emulator; resolves once it is ready. */
export async function startPingBot(emulator: Emulator): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', PING_BOT], { cwd: REPO_ROOT, env: { ...process.env, DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl } });
  await new Promise<void>((resolve) => child.stdout.on('data', (b: Buffer) => b.toString().includes('ready') && resolve()));
  return child;
}

async function pingReference(): Promise<{ p50: number; p99: number; rss: number }> {
  const { emulator, d } = await emulatorWith(LOBBIES);
  const child = await startPingBot(emulator);
  await timed(() => emulator.slash(d.user('user0'), d.guildId, d.channelId, 'ping')); // warm-up
  // The same shape of load as the lobbies: 50 users at once, each sending its interactions one after another.
  const ms: number[] = [];
  await Promise.all(Array.from({ length: LOBBIES }, async (_, i) => {
    for (let step = 0; step < STEPS_PER_LOBBY; step++) ms.push((await timed(() => emulator.slash(d.user(`user${i}`), d.guildId, d.channelId, 'ping'))).ms);
  }));
  const rss = rssMb(child.pid!);
  child.kill('SIGTERM');
  await emulator.close();
  return { p50: pct(ms, 50), p99: pct(ms, 99), rss };
}

/** One lobby's non-Terraform life: open it, add a VM through select + modal, remove it. */
async function lobbyRound(emulator: Emulator, d: Driver, user: string, latencies: Record<string, number[]>): Promise<void> {
  const record = (kind: string, ms: number) => (latencies[kind] ??= []).push(ms);
  const open = await timed(() => emulator.slash(d.user(user), d.guildId, d.channelId, 'cloud-deploy', { project: 'bench' }));
  record('open lobby', open.ms);
  const message = open.handle.originalMessage()!;
  const lobby: Lobby = { messageId: message.id, sessionId: String((message.components[0]!.components as Array<{ custom_id: string }>)[0]!.custom_id).split(':')[2]! };
  const add = await timed(() => d.click(user, lobby, 'add'));
  record('Add Resource button', add.ms);
  const steps = add.handle.originalMessage()!.id;
  record('type select → region step', (await timed(() => emulator.selectMenu(d.user(user), steps, `v1:type:${lobby.sessionId}`, ['compute_vm']))).ms);
  record('region select → zone step', (await timed(() => emulator.selectMenu(d.user(user), steps, `v1:region:${lobby.sessionId}:compute_vm`, ['local']))).ms);
  const select = await timed(() => emulator.selectMenu(d.user(user), steps, `v1:zone:${lobby.sessionId}:compute_vm.local`, ['local-a']));
  record('zone select → modal', select.ms);
  const fields = { name: `vm-${user}`, machine_type: ['small'], disk: '20', image: '', boot_seconds: '' };
  record('modal submit', (await timed(() => emulator.submitModal(d.user(user), select.handle, `v1:modal:${lobby.sessionId}:compute_vm.local.local-a`, fields))).ms);
  await d.lobbyUntil(lobby, (t) => t.includes(`vm-${user}`));
  const remove = await timed(() => d.click(user, lobby, 'rm'));
  record('Remove Resource button', remove.ms);
  record('remove select', (await timed(() => emulator.selectMenu(d.user(user), remove.handle.originalMessage()!, `v1:rmsel:${lobby.sessionId}`, [`vm-${user}`]))).ms);
}

async function lobbiesBench(): Promise<{ latencies: Record<string, number[]>; idleRss: number; busyRss: number }> {
  const { emulator, d } = await emulatorWith(LOBBIES);
  const dirs = botDirs(emulator, d.guildId, { LOG_LEVEL: 'warn' });
  const bot = await startReadyBot(emulator, dirs.env, 60_000);
  try {
    await d.command('user0', 'cloud-create-project', { project_id: 'bench', budget_limit: 100_000, provider: 'sandbox' });
    await d.command('user0', 'cloud-quota', { project: 'bench', max_resources: 1000 });
    const idleRss = rssMb(bot.child.pid!);
    const warm: Record<string, number[]> = {};
    await lobbyRound(emulator, d, 'user0', warm);
    const latencies: Record<string, number[]> = {};
    await Promise.all(Array.from({ length: LOBBIES }, (_, i) => lobbyRound(emulator, d, `user${i}`, latencies)));
    return { latencies, idleRss, busyRss: rssMb(bot.child.pid!) };
  } finally {
    await bot.stop();
    await emulator.close();
    dirs.cleanup();
  }
}

export async function benchDiscord(): Promise<BenchResult[]> {
  const ping = await pingReference();
  const { latencies, idleRss, busyRss } = await lobbiesBench();
  const all = Object.values(latencies).flat();
  const perKind = Object.entries(latencies).map(([kind, ms]): BenchResult => ({ name: `  ${kind} p50`, value: pct(ms, 50), unit: 'ms', note: `p99 ${pct(ms, 99)} ms, n=${ms.length}` }));
  return [
    { name: `interaction → response p50, ${LOBBIES} concurrent lobbies`, value: pct(all, 50), unit: 'ms', reference: ping.p50, ratio: round(pct(all, 50) / ping.p50, 2), note: `n=${all.length}; reference = bare /ping on a minimal discord.js client process, same load shape (${LOBBIES} users × ${STEPS_PER_LOBBY})` },
    { name: `interaction → response p99, ${LOBBIES} concurrent lobbies`, value: pct(all, 99), unit: 'ms', reference: ping.p99, ratio: round(pct(all, 99) / ping.p99, 2), note: 'open lobby, add via select + modal, remove; no Terraform' },
    ...perKind,
    { name: 'bot RSS idle', value: round(idleRss), unit: 'MB', reference: round(ping.rss), ratio: round(idleRss / ping.rss, 2), note: 'reference = the minimal discord.js client process' },
    { name: `bot RSS with ${LOBBIES} lobbies`, value: round(busyRss), unit: 'MB', reference: round(idleRss), ratio: round(busyRss / idleRss, 2), note: 'reference = the same bot idle' },
  ];
}
