/**
 * Saying what happened to a lobby its owner did not do: the session expired, or its project's lock was
 * force-released — from the real CLI (`bin/cloud-engine.js`) on the bot's SQLite store, from Discord, or
 * under a running apply — while one bot, two bot processes, or none is running. The lobby is redrawn to
 * say it and one reply in its channel tells everyone, once; /cloud-audit shows both events by name and
 * autocompletes its event types. `node bin/bot.js` against the emulator, real Terraform on the sandbox.
 */
import { userInfo } from 'node:os';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, type Emulator, type RecordedCall, type StoredMessage } from '../emulator/index.js';
import { startReadyBot } from './helpers/botProcess.js';
import { runCli } from './helpers/cli.js';
import { answer, Callback, type Driver, type Lobby } from './helpers/driver.js';
import { threadOf } from './helpers/lobbies.js';
import { boardIn } from './helpers/stream.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';

const SWEEP_MS = 1000;
const OPERATOR = userInfo().username;

let world: BotWorld;
let emulator: Emulator;
let d: Driver;
let cliEnv: Record<string, string>;
/** Opened first and never touched again: it expires while the other tests run. */
let idle: Lobby;
/** The shortest idle time there is (a minute), sweeps every second, and heartbeats a second apart; the CLI alike. */
const TIMES = { SESSION_TTL_MINUTES: '1', SWEEP_INTERVAL_SECONDS: String(SWEEP_MS / 1000), LEASE_TTL_SECONDS: '12' };

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Ops', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'infra' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }, { username: 'olga' }],
  }, 'infra', TIMES);
  ({ emulator, d } = world);
  const { DATABASE_PATH, TERRAFORM_RUNS_DIR, PRICING_DIR } = world.dirs.env;
  cliEnv = { DATABASE_PATH: DATABASE_PATH!, TERRAFORM_RUNS_DIR: TERRAFORM_RUNS_DIR!, PRICING_DIR: PRICING_DIR!, LOG_LEVEL: 'warn', ...TIMES };
  for (const project of ['idle', 'held', 'later', 'running', 'desk']) {
    await d.command('alice', 'cloud-create-project', { project_id: project, budget_limit: 100_000, provider: 'sandbox' });
    await d.command('alice', 'cloud-grant', { user: d.user('dan'), project, role: 'deployer' });
    await d.command('alice', 'cloud-grant', { user: d.user('ann'), project, role: 'approver' });
  }
  idle = await d.openLobby('dan', 'idle');
  await d.addResource('dan', idle, 'storage_bucket', { name: 'scratch', storage_class: ['standard'], options: [], lifecycle_days: '', storage_gb: '10' });
  await d.lobbyUntil(idle, (t) => t.includes('**scratch**'));
});

afterAll(async () => {
  await world?.stop();
});

async function plannedLobby(project: string, vm: Record<string, string> = {}): Promise<Lobby> {
  const lobby = await d.openLobby('dan', project);
  await d.addResource('dan', lobby, 'compute_vm', { name: `${project}-vm`, machine_type: ['small'], disk: '10', ...vm }, { zone: 'local-a' });
  await d.lobbyUntil(lobby, (t) => t.includes(`**${project}-vm**`));
  await d.press('dan', lobby, 'plan');
  await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan: 1 to add'));
  return lobby;
}

/** A notice replying to the lobby (not the plan output, which replies to it too): notices are sent under nonces of their own. */
const noticeTo = (lobby: Lobby) => (m: object) => {
  const { message_reference: ref, nonce } = m as { message_reference?: { message_id?: string }; nonce?: unknown };
  return ref?.message_id === lobby.messageId && String(nonce).startsWith('ce-notice-');
};
/** The bot's notices to the lobby in its channel. */
const notices = (lobby: Lobby): StoredMessage[] => d.messagesIn(d.channelId).filter(noticeTo(lobby));
/** Every request the bot processes made to post one (a repeat Discord dropped by its nonce would count here). */
const noticePosts = (lobby: Lobby): RecordedCall[] => emulator.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${d.channelId}/messages` && noticeTo(lobby)(c.body as object));

/** Waits for the reply, then for a few more sweeps of every process, and returns what was posted. */
async function noticeOnce(lobby: Lobby, timeoutMs = 15_000): Promise<string> {
  await emulator.waitFor(() => notices(lobby).length > 0, timeoutMs);
  await new Promise((resolve) => setTimeout(resolve, 4 * SWEEP_MS));
  expect(notices(lobby)).toHaveLength(1);
  expect(noticePosts(lobby)).toHaveLength(1);
  return notices(lobby)[0]!.content;
}

const approveButton = (lobby: Lobby) => (emulator.message(lobby.messageId)!.components.flatMap((row) => row.components) as Array<{ label: string; disabled?: boolean }>).find((b) => b.label === 'Approve & Deploy');

describe('force-unlock from the CLI while bots run', () => {
  it('GIVEN a planned lobby and two bot processes on its store WHEN the operator force-unlocks it with the CLI THEN the lobby says who, when, why and what it cut short, Approve is off, and one reply says it — posted once', async () => {
    const lobby = await plannedLobby('held');
    expect(approveButton(lobby)?.disabled).toBe(false);
    const second = await startReadyBot(emulator, world.dirs.env);
    try {
      const unlocked = await runCli(['unlock', '--project', 'held', '--reason', 'dan is away; freeing held'], cliEnv);
      expect(unlocked.code, unlocked.stderr).toBe(0);
      const text = await d.lobbyUntil(lobby, (t) => t.includes('🔓 Lock force-released'));
      expect(text).toMatch(new RegExp(`🔓 The operator \\*\\*${OPERATOR}\\*\\* \\(command line\\) force-released the project's lock held by this session <t:\\d+:R>: “dan is away; freeing held”\\. Its plan can no longer be approved\\. \\*\\*Refresh\\*\\* plans again once the project is free\\.`));
      expect(approveButton(lobby)?.disabled).toBe(true);
      expect(await noticeOnce(lobby)).toMatch(new RegExp(`^🔓 The operator \\*\\*${OPERATOR}\\*\\* \\(command line\\) force-released the project's lock held by session \`${lobby.sessionId.slice(0, 8)}\` of \\*\\*held\\*\\* <t:\\d+:R>: “dan is away; freeing held”\\. Its plan can no longer be approved\\.`));
    } finally {
      expect(await second.stop(), second.output().slice(-2000)).toBe(0);
    }
  });

  it('GIVEN no bot running when the CLI force-unlocks a lobby THEN the next start says it, once, and a restart after that does not say it again', async () => {
    const lobby = await plannedLobby('later');
    expect(await world.bot.stop()).toBe(0);
    const unlocked = await runCli(['unlock', '--project', 'later', '--reason', 'maintenance window'], cliEnv);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(notices(lobby)).toEqual([]);
    world.bot = await startReadyBot(emulator, world.dirs.env);
    expect(await noticeOnce(lobby)).toContain('“maintenance window”');
    expect(d.lobbyText(lobby)).toContain('🔓 Lock force-released');
    expect(await world.bot.stop()).toBe(0);
    world.bot = await startReadyBot(emulator, world.dirs.env);
    await new Promise((resolve) => setTimeout(resolve, 3 * SWEEP_MS));
    expect(notices(lobby)).toHaveLength(1);
    expect(noticePosts(lobby)).toHaveLength(1);
  });

  it('GIVEN an apply running in the bot WHEN the operator force-unlocks with --interrupt THEN Terraform stops, and the lobby and a reply say the force-unlock interrupted the apply', async () => {
    const lobby = await plannedLobby('running', { boot_seconds: '60' });
    await d.press('ann', lobby, 'approve');
    const threadId = await threadOf(emulator, lobby);
    await emulator.waitFor(() => boardIn(d.messagesIn(threadId))?.lines.some((l) => l.includes('`terraform_data.running-vm` · creating')) === true, 30_000);
    const unlocked = await runCli(['unlock', '--project', 'running', '--reason', 'runaway apply', '--interrupt'], cliEnv);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('INTERRUPTED') && t.includes('🔓 Lock force-released'));
    expect(text).toContain('“runaway apply”. Its apply was interrupted; the state Terraform had written was saved.');
    expect(text).not.toContain('**Refresh**');
    expect(await noticeOnce(lobby)).toMatch(/^🔓 The operator .* of \*\*running\*\* <t:\d+:R>: “runaway apply”\. Its apply was interrupted; the state Terraform had written was saved\.$/);
  });
});

describe('force-unlock from Discord', () => {
  it('GIVEN /cloud-unlock on a planned lobby THEN its lobby and a reply name the admin at once', async () => {
    const lobby = await plannedLobby('desk');
    expect(await d.command('alice', 'cloud-unlock', { project: 'desk', reason: 'taking over the release' })).toMatch(/^🔓 Lock released \(it was held by session/);
    await d.lobbyUntil(lobby, (t) => t.includes(`🔓 <@${d.user('alice')}> force-released the project's lock held by this session`), 2000);
    expect(await noticeOnce(lobby, 2000)).toContain('“taking over the release”');
  });
});

describe('expiry', () => {
  it('GIVEN a lobby left idle past SESSION_TTL_MINUTES THEN the sweep expires it, the lobby says after how long and offers no button, and one reply says so', async () => {
    const text = await d.lobbyUntil(idle, (t) => t.includes('⌛ Expired'), 90_000);
    expect(text).toMatch(/⌛ This session expired <t:\d+:R>, after 1 minute without activity; the project is free for others\. Open a new lobby with `\/cloud-deploy`\./);
    expect(emulator.message(idle.messageId)!.components).toEqual([]);
    expect(await noticeOnce(idle)).toMatch(new RegExp(`^⌛ Session \`${idle.sessionId.slice(0, 8)}\` of \\*\\*idle\\*\\* expired <t:\\d+:R>, after 1 minute without activity; the project is free for others`));
  }, 120_000);
});

describe('/cloud-audit', () => {
  const auditOf = async (options: Record<string, string>) => (await d.command('alice', 'cloud-audit', options)).split('\n');

  it('GIVEN the events above THEN it shows both kinds in words, by name: the operator, the admin, the system', async () => {
    const unlocks = await auditOf({ event: 'lock_force_released' });
    expect(unlocks.filter((l) => l.includes('lock_force_released'))).toEqual([
      expect.stringMatching(new RegExp(`success lock_force_released by alice on desk/[0-9a-f]{8} — force-released the lock \\(the session was PLANNED\\): "taking over the release"$`)),
      expect.stringMatching(new RegExp(`success lock_force_released by ${OPERATOR} \\(operator, CLI\\) on running/[0-9a-f]{8} — force-released the lock \\(the session was APPLYING\\); its apply was interrupted: "runaway apply"$`)),
      expect.stringMatching(new RegExp(`success lock_force_released by ${OPERATOR} \\(operator, CLI\\) on later/`)),
      expect.stringMatching(new RegExp(`success lock_force_released by ${OPERATOR} \\(operator, CLI\\) on held/`)),
    ]);
    expect((await auditOf({ project: 'idle', event: 'session_expired' })).filter((l) => l.includes('session_expired'))).toEqual([
      expect.stringMatching(new RegExp(`success session_expired by system on idle/${idle.sessionId.slice(0, 8)} — the session expired after 1 minute without activity \\(it was DRAFT\\); its lock was released$`)),
    ]);
    expect((await auditOf({ project: 'running', event: 'deployment_approved' })).find((l) => l.includes('deployment_approved'))).toMatch(/ by ann on running\//);
  });

  it('GIVEN a row written before names were recorded THEN its member is looked up by id and shown by name', async () => {
    const olga = d.user('olga');
    const db = new Database(world.dirs.env.DATABASE_PATH!);
    try {
      db.pragma('busy_timeout = 5000');
      db.prepare(`INSERT INTO audit_logs (timestamp, event_type, user_id, guild_id, project_id, session_id, action, status, details)
        VALUES (?, 'permission_granted', ?, ?, ?, NULL, 'grant_role', 'success', '{}')`).run(new Date().toISOString(), olga, d.guildId, `${d.guildId}/desk`);
    } finally {
      db.close();
    }
    expect((await auditOf({ project: 'desk', event: 'permission_granted' })).find((l) => l.includes('permission_granted'))).toMatch(/ success permission_granted by olga on desk$/);
    expect(emulator.calls.some((c) => c.method === 'GET' && c.path === `/guilds/${d.guildId}/members/${olga}`)).toBe(true);
  });

  it('GIVEN someone typing in its event option THEN the event types are offered, filtered by what they typed, and the project option still offers projects', async () => {
    const typed = async (options: Record<string, string>, focused: string) => {
      const callback = await answer(emulator.autocomplete(d.user('alice'), d.guildId, d.channelId, 'cloud-audit', options, focused));
      expect(callback.type).toBe(Callback.autocomplete);
      return (callback.data!.choices as Array<{ name: string; value: string }>);
    };
    expect((await typed({ event: 'unlock' }, 'event')).map((c) => c.value)).toContain('lock_force_released');
    expect(await typed({ event: 'session_exp' }, 'event')).toEqual([{ name: 'session_expired · a lobby expired after inactivity', value: 'session_expired' }]);
    expect(await typed({ event: '' }, 'event')).toHaveLength(25);
    expect((await typed({ project: 'runn', event: 'x' }, 'project')).map((c) => c.value)).toEqual(['running']);
  });
});
