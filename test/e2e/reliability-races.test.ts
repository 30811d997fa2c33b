/**
 * Proof under stress, part 2: races. Fifty approvers click Approve on one plan at the same moment,
 * and two deployers plan two sessions of one project at the same moment. The compare-and-set in
 * the orchestrator must turn each race into exactly one winner, and every loser must hear why,
 * privately. `node bin/bot.js` against the emulator, real Terraform, real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { getLock } from '../../src/db/locks.js';
import { Permission, startEmulator, type Emulator, type InteractionCallback } from '../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { readDb, type DbReader } from './helpers/db.js';
import { answer, Callback, contentOf, Driver, isEphemeral, textOf, type Lobby } from './helpers/driver.js';
import { fleet, importLobby, planLobby, threadOf } from './helpers/lobbies.js';
import { streamedLines } from './helpers/stream.js';

const APPROVERS = Array.from({ length: 50 }, (_, i) => `approver-${String(i + 1).padStart(2, '0')}`);

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;
let db: DbReader;

beforeAll(async () => {
  emulator = await startEmulator({
    guilds: [{
      name: 'Crowd', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'deploys' }],
      members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'dave' }, ...APPROVERS.map((username) => ({ username }))],
    }],
  });
  const guild = emulator.state.guildByName('Crowd');
  d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'deploys').id);
  dirs = botDirs(emulator, guild.id);
  bot = await startReadyBot(emulator, dirs.env);
  for (const project of ['crowd', 'shared']) {
    expect(await d.command('alice', 'cloud-create-project', { project_id: project, budget_limit: 10_000, provider: 'sandbox' })).toContain('created');
  }
  const grants: Array<[string, string, string]> = [
    ['dan', 'crowd', 'deployer'], ['dan', 'shared', 'deployer'], ['dave', 'shared', 'deployer'], ...APPROVERS.map((a): [string, string, string] => [a, 'crowd', 'approver']),
  ];
  for (let i = 0; i < grants.length; i += 10) {
    const replies = await Promise.all(grants.slice(i, i + 10).map(([user, project, role]) => d.command('alice', 'cloud-grant', { user: d.user(user), project, role })));
    for (const reply of replies) expect(reply).toContain('is now **');
  }
  db = readDb(dirs.env.DATABASE_PATH!);
});

afterAll(async () => {
  db?.close();
  const code = await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
  expect(code).toBe(0);
});

const count = (sql: string, ...args: unknown[]) => db.value<number>(sql, ...args);

describe('fifty approvers, one plan', () => {
  it('GIVEN 50 approvers clicking Approve at once THEN exactly one apply runs and the 49 others are told privately it was already approved', async () => {
    const lobby = await importLobby(d, 'dan', 'crowd', fleet(5));
    await planLobby(d, 'dan', lobby, '📋 Plan: 5 to add');

    const clicks = APPROVERS.map((name) => d.click(name, lobby, 'approve'));
    // All 50 are in flight before the first answer; each must still come within Discord's 3 s.
    const answers: InteractionCallback[] = [];
    for (const click of clicks) answers.push(await answer(click));

    const winners = answers.flatMap((a, i) => (a.type === Callback.deferUpdate ? [APPROVERS[i]!] : []));
    expect(winners).toHaveLength(1);
    const refusals = answers.filter((a) => a.type !== Callback.deferUpdate);
    expect(refusals).toHaveLength(49);
    for (const refusal of refusals) {
      expect(refusal.type).toBe(Callback.reply);
      expect(isEphemeral(refusal)).toBeTruthy();
      expect(contentOf(refusal)).toMatch(/^⚠️ This deployment was already approved/);
    }

    const threadId = await threadOf(emulator, lobby);
    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'), 60_000);
    const winnerId = d.user(winners[0]!);
    expect(emulator.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/messages/${lobby.messageId}/threads`))).toHaveLength(1);
    expect(textOf(d.messagesIn(threadId)[0])).toContain(`approved by <@${winnerId}>`);
    expect(streamedLines(emulator, d.messagesIn(threadId)).filter((l) => l.startsWith('Apply complete!'))).toEqual(['Apply complete! Resources: 5 added, 0 changed, 0 destroyed.']);
    expect(db.rows('SELECT user_id, status FROM deployments WHERE session_id = ?', lobby.sessionId)).toEqual([{ user_id: winnerId, status: 'succeeded' }]);
    expect((await queryAudit(db.sql, { projectId: db.key('crowd'), eventType: 'deployment_approved' })).map((e) => [e.sessionId, e.userId])).toEqual([[lobby.sessionId, winnerId]]);
    expect((await queryAudit(db.sql, { projectId: db.key('crowd'), eventType: 'deployment_completed' }))).toHaveLength(1);
  });
});

describe('two sessions, one project', () => {
  let dans: Lobby;
  let daves: Lobby;
  let holder: { lobby: Lobby; user: string };
  let waiting: { lobby: Lobby; user: string };

  it('GIVEN two deployers clicking Refresh at once on two sessions of one project THEN one plans and the other is told privately who holds the lock', async () => {
    dans = await importLobby(d, 'dan', 'shared', fleet(2, { prefix: 'a-' }));
    daves = await importLobby(d, 'dave', 'shared', fleet(2, { prefix: 'b-' }));
    const [forDan, forDave] = await Promise.all([answer(d.click('dan', dans, 'plan')), answer(d.click('dave', daves, 'plan'))]) as [InteractionCallback, InteractionCallback];
    expect([forDan.type, forDave.type].sort()).toEqual([Callback.reply, Callback.deferUpdate].sort());
    [holder, waiting] = forDan.type === Callback.deferUpdate
      ? [{ lobby: dans, user: 'dan' }, { lobby: daves, user: 'dave' }]
      : [{ lobby: daves, user: 'dave' }, { lobby: dans, user: 'dan' }];
    const refusal = forDan.type === Callback.reply ? forDan : forDave;
    expect(isEphemeral(refusal)).toBeTruthy();
    expect(contentOf(refusal)).toContain(`🔒 Project shared is locked by session ${holder.lobby.sessionId.slice(0, 8)} since`);
    expect(contentOf(refusal)).toContain(`It is held by <@${d.user(holder.user)}>: wait for it to finish, or ask an admin to \`/cloud-unlock\` it.`);

    await d.lobbyUntil(holder.lobby, (t) => t.includes('📋 Plan: 2 to add'));
    expect((await getLock(db.sql, db.key('shared')))?.sessionId).toBe(holder.lobby.sessionId);
    expect(count('SELECT COUNT(*) FROM plans WHERE session_id = ?', waiting.lobby.sessionId)).toBe(0);
    expect((await queryAudit(db.sql, { projectId: db.key('shared'), eventType: 'plan_started' })).map((e) => e.sessionId)).toEqual([holder.lobby.sessionId]);
  });

  it('GIVEN the lock held by a PLANNED session THEN the other deployer is still refused, and /cloud-sessions names the holder', async () => {
    const again = await d.press(waiting.user, waiting.lobby, 'plan');
    expect(isEphemeral(again)).toBeTruthy();
    expect(contentOf(again)).toContain(`locked by session ${holder.lobby.sessionId.slice(0, 8)}`);
    const { callback } = await d.slash(waiting.user, 'cloud-sessions', { project: 'shared' });
    expect(isEphemeral(callback)).toBeTruthy();
    expect(JSON.stringify(callback.data)).toMatch(new RegExp(`${holder.lobby.sessionId.slice(0, 8)}.*<@${d.user(holder.user)}> · 🔒 holds the lock`));
  });

  it('GIVEN the holder cancels THEN the lock is released and the other session plans', async () => {
    expect((await d.press(holder.user, holder.lobby, 'cancel')).type).toBe(Callback.deferUpdate);
    await d.lobbyUntil(holder.lobby, (t) => t.includes('CANCELLED'));
    expect((await getLock(db.sql, db.key('shared')))).toBeUndefined();
    await planLobby(d, waiting.user, waiting.lobby, '📋 Plan: 2 to add');
    expect((await getLock(db.sql, db.key('shared')))?.sessionId).toBe(waiting.lobby.sessionId);
  });
});
