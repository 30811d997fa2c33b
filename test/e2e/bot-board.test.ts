/**
 * The apply's status board against Discord's per-channel limit (5 messages and 5 edits per 5 s, which
 * the emulator enforces with 429s): a 60-resource apply, six of its VMs booting for a few seconds, ends
 * with two messages in its thread — the board and the summary — the board edited live, at most about
 * once a second, never refused. `node bin/bot.js`, real Terraform, real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latestState } from '../../src/db/states.js';
import { Permission } from '../emulator/index.js';
import { readDb, type DbReader } from './helpers/db.js';
import { Callback, textOf } from './helpers/driver.js';
import { fleet, importLobby, planLobby, threadOf } from './helpers/lobbies.js';
import { applyStreamProblems, boardIn, streamedLines, type Board } from './helpers/stream.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';

const TOTAL = 60;

let world: BotWorld;
let db: DbReader;

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Board', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'ops' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }],
  }, 'ops', {}, { channelMessageLimit: { count: 5, windowMs: 5000 } });
  const { d } = world;
  await d.command('alice', 'cloud-create-project', { project_id: 'big', budget_limit: 100_000, provider: 'sandbox' });
  // Risk tiers are bot-policy.test.ts's subject: here every tier needs one approver, as before tiers.
  expect(await d.command('alice', 'cloud-settings', { project: 'big', approvals: '1/1/1' })).toContain('1/1/1');
  await d.command('alice', 'cloud-quota', { project: 'big', max_resources: 100 });
  await d.command('alice', 'cloud-grant', { user: d.user('dan'), project: 'big', role: 'deployer' });
  await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'big', role: 'approver' });
  db = readDb(world.dirs.env.DATABASE_PATH!);
});

afterAll(async () => {
  db?.close();
  await world?.stop();
});

describe('the status board under Discord\'s per-channel limit', () => {
  it('GIVEN a 60-resource apply THEN its thread holds the board, edited live and never refused, and the summary with the whole log: two messages', async () => {
    const { emulator, d } = world;
    const resources = fleet(TOTAL, { slow: 6 }).map((r, i) => (i < 6 ? { ...r, boot_seconds: 2 + i } : r));
    const lobby = await importLobby(d, 'dan', 'big', resources);
    await planLobby(d, 'dan', lobby, `📋 Plan: ${TOTAL} to add`);
    const approvedAt = Date.now();
    expect((await d.press('ann', lobby, 'approve')).type).toBe(Callback.deferUpdate);
    const threadId = await threadOf(emulator, lobby);

    // While it runs, the board shows resources done and resources still creating, with their elapsed time.
    const live = await new Promise<Board>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`the board never showed the apply under way: ${JSON.stringify(boardIn(d.messagesIn(threadId))?.lines)}`)), 60_000);
      const poll = setInterval(() => {
        const b = boardIn(d.messagesIn(threadId));
        if (b?.status === 'applying' && b.tally.done > 0 && b.tally.running > 0) { clearInterval(poll); clearTimeout(deadline); resolve(b); }
      }, 50);
    });
    expect(live.lines[0]).toMatch(/^🔄 `terraform_data\.slow-\d+` · creating · \d+ s$/);
    expect(live.tally.done + live.tally.running + live.tally.pending).toBe(TOTAL);

    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'), 90_000);
    const seconds = (Date.now() - approvedAt) / 1000;
    const posted = d.messagesIn(threadId);
    expect(posted).toHaveLength(2);
    const board = boardIn(posted)!;
    expect(board).toMatchObject({ status: 'complete', tally: { done: TOTAL, running: 0, pending: 0, failed: 0 } });
    expect(textOf(posted[1])).toMatch(new RegExp(`^✅ \\*\\*Apply complete\\*\\* · ${TOTAL} created`));

    const state = JSON.parse((await latestState(db.sql, db.key('big')))!.stateJson) as { resources: Array<{ name: string; instances: Array<{ attributes: { id: string } }> }> };
    const ids = Object.fromEntries(state.resources.map((r) => [r.name, r.instances[0]!.attributes.id]));
    expect(applyStreamProblems(streamedLines(emulator, posted), ids, TOTAL)).toEqual([]);

    const thread = emulator.calls.filter((c) => c.path.startsWith(`/channels/${threadId}/messages`));
    expect(thread.filter((c) => c.status === 429)).toEqual([]);
    const edits = thread.filter((c) => c.method === 'PATCH' && c.path.endsWith(`/${board.message.id}`));
    expect(edits.length).toBeGreaterThan(1);
    // Edited at most once a second (a tick), plus the closing edit.
    expect(edits.length).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
  });
});
