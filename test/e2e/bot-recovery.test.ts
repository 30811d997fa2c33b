/**
 * The recovery card on the Discord emulator (issue 20): `node bin/bot.js` is SIGKILLed mid-apply (a machine
 * crash), a second bot settles the apply as INTERRUPTED and shows the card in the lobby and under the apply's
 * summary in its thread; Re-plan, clicked on the first bot's lobby after the restart, opens a new session's
 * lobby, planned from the saved state, whose approval leads to a clean apply. Real Terraform, real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLock } from '../../src/db/locks.js';
import { getSession } from '../../src/db/sessions.js';
import { latestState } from '../../src/db/states.js';
import { stateAddresses } from '../../src/terraform/tfstate.js';
import type { Emulator } from '../emulator/index.js';
import { startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import type { DbReader } from './helpers/db.js';
import { startTeam } from './helpers/team.js';
import { ACK_MS, Callback, Driver, contentOf, isEphemeral, textOf, type Lobby } from './helpers/driver.js';
import { fleet, importLobby, planLobby, threadOf } from './helpers/lobbies.js';
import { boardIn } from './helpers/stream.js';

const QUICK = 3;

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;
let db: DbReader;

beforeAll(async () => {
  ({ emulator, d, dirs, bot, db } = await startTeam('Ops', 'infra', ['rescue']));
});

afterAll(async () => {
  db?.close();
  await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
});

type Button = { custom_id: string; label: string; disabled?: boolean };
const buttonsOf = (messageId: string) => (emulator.message(messageId)!.components as Array<{ components: Button[] }>).flatMap((r) => r.components);
const recoverIds = (sessionId: string) => ['replan', 'refresh', 'rollback'].map((a) => `v1:recover:${sessionId}:${a}`);

/** Clicks a recovery button; returns the new session's lobby once the bot has shown it (planned). */
async function clickRecovery(user: string, messageId: string, customId: string): Promise<{ lobby: Lobby; text: string }> {
  const handle = emulator.clickButton(d.user(user), messageId, customId);
  expect((await handle.response(ACK_MS)).type).toBe(Callback.deferReply);
  await handle.waitFor((c) => c.method === 'PATCH', 60_000);
  const message = handle.originalMessage()!;
  const sessionId = String((message.components[0]!.components as Button[])[0]!.custom_id).split(':')[2]!;
  return { lobby: { messageId: message.id, sessionId }, text: textOf(message) };
}

describe('the recovery card after a crash', () => {
  it('GIVEN the bot SIGKILLed mid-apply THEN the next bot shows the card in lobby and thread, and Re-plan leads to a clean apply', async () => {
    const lobby = await importLobby(d, 'dan', 'rescue', [...fleet(QUICK), ...fleet(1, { slow: 1, bootSeconds: 20, prefix: 'boot-' })]);
    await planLobby(d, 'dan', lobby, `📋 Plan: ${QUICK + 1} to add`);
    expect((await d.press('ann', lobby, 'approve')).type).toBe(Callback.deferUpdate);
    const threadId = await threadOf(emulator, lobby);
    await emulator.waitFor(() => (boardIn(d.messagesIn(threadId))?.tally.done ?? 0) >= QUICK && boardIn(d.messagesIn(threadId))?.tally.running === 1, 30_000);
    await bot.crash();

    bot = await startReadyBot(emulator, dirs.env);
    const lobbyText = await d.lobbyUntil(lobby, (t) => t.includes('INTERRUPTED') && t.includes('🩹 Saved state'));
    const saved = (await latestState(db.sql, db.key('rescue')))!;
    expect(lobbyText).toContain(`Serial **${saved.serial}**`);
    expect(lobbyText).toContain('🔓 Free');
    expect(Number(/\*\*(\d+)\*\* created/.exec(lobbyText)?.[1])).toBeGreaterThanOrEqual(QUICK);
    expect(lobbyText).toContain('None yet: no deployment of this project succeeded.');
    expect(buttonsOf(lobby.messageId).map((b) => [b.custom_id, b.label, b.disabled])).toEqual([
      [recoverIds(lobby.sessionId)[0], 'Re-plan', false], [recoverIds(lobby.sessionId)[1], 'Refresh-only plan', false], [recoverIds(lobby.sessionId)[2], 'Roll back', true],
    ]);
    // The thread: the apply's summary, and the same card and buttons on it.
    await emulator.waitFor(() => d.messagesIn(threadId).some((m) => m.content.startsWith('⏹️ **Apply interrupted**') && m.components.length > 0), 10_000);
    const summary = d.messagesIn(threadId).find((m) => m.content.startsWith('⏹️ **Apply interrupted**'))!;
    expect(textOf(summary)).toContain('🩹 Recover rescue');
    expect(textOf(summary)).toContain(`Serial **${saved.serial}**`);
    expect(buttonsOf(summary.id).map((b) => b.custom_id)).toEqual(recoverIds(lobby.sessionId));

    // Re-plan, on the first bot's lobby, served by the second.
    const replan = await clickRecovery('dan', lobby.messageId, recoverIds(lobby.sessionId)[0]!);
    expect(replan.text).toContain('Recovery re-plan · rescue');
    expect(replan.text).toMatch(/📋 Plan: \d+ to add|No changes/);
    expect((await getSession(db.sql, replan.lobby.sessionId))).toMatchObject({ purpose: 'replan', state: 'PLANNED' });
    // The stopped session's lobby says which way out was taken, by whom, into which session.
    await d.lobbyUntil(lobby, (t) => t.includes('↪️ Last started') && t.includes(`Re-plan by <@${d.user('dan')}>`) && t.includes(`(session \`${replan.lobby.sessionId.slice(0, 8)}\`)`));
    // While it holds the project, another way out is refused, privately, naming the holder.
    const refused = emulator.clickButton(d.user('dan'), lobby.messageId, recoverIds(lobby.sessionId)[1]!);
    const answer = await refused.response(ACK_MS);
    expect(isEphemeral(answer)).toBeTruthy();
    expect(contentOf(answer)).toContain(`is locked by session ${replan.lobby.sessionId.slice(0, 8)}`);

    expect((await d.press('ann', replan.lobby, 'approve')).type).toBe(Callback.deferUpdate);
    await d.lobbyUntil(replan.lobby, (t) => t.includes('APPLIED'), 90_000);
    const state = stateAddresses((await latestState(db.sql, db.key('rescue')))!.stateJson)!;
    const names = [...fleet(QUICK), ...fleet(1, { slow: 1, prefix: 'boot-' })].map((r) => `terraform_data.${String(r.name)}`);
    expect(names.filter((n) => state.get(n)?.tainted === false)).toEqual(names);
    expect(await getLock(db.sql, db.key('rescue'))).toBeUndefined();
  }, 240_000);
});
