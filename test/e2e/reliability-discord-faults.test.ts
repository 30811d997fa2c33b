/**
 * Proof under stress, part 3: Discord misbehaving while an apply streams. The gateway drops the
 * bot's connection mid-apply, and the board's edits and the summary meet rate limits and server
 * errors — more than discord.js retries on its own. The apply runs once, the board ends showing every
 * resource done, and the summary carries every line Terraform printed exactly once, in order. Ground
 * truth is Terraform's own: the resource ids in the saved state and its closing summary.
 * `node bin/bot.js`, real Terraform, real SQLite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { latestState } from '../../src/db/states.js';
import type { Emulator, RecordedCall } from '../emulator/index.js';
import type { BotDirs, BotProcess } from './helpers/botProcess.js';
import type { DbReader } from './helpers/db.js';
import { startTeam } from './helpers/team.js';
import { answer, Callback, Driver, isEphemeral, textOf, type Lobby } from './helpers/driver.js';
import { fleet, importLobby, planLobby, threadOf } from './helpers/lobbies.js';
import { applyStreamProblems, boardIn, streamedLines } from './helpers/stream.js';

const TOTAL = 30;

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;
let db: DbReader;

beforeAll(async () => {
  ({ emulator, d, dirs, bot, db } = await startTeam('Storm', 'ops', ['resumed', 'flaky']));
});

afterAll(async () => {
  db?.close();
  const code = await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
  expect(code).toBe(0);
});

/** 30 resources; six VMs finish one after another over ~6 s, so the output streams as many messages. */
const staggered = () => fleet(TOTAL, { slow: 6 }).map((r, i) => (i < 6 ? { ...r, boot_seconds: i + 1 } : r));

async function approvedApply(project: string): Promise<{ lobby: Lobby; threadId: string }> {
  const lobby = await importLobby(d, 'dan', project, staggered());
  await planLobby(d, 'dan', lobby, `📋 Plan: ${TOTAL} to add`);
  expect((await d.press('ann', lobby, 'approve')).type).toBe(Callback.deferUpdate);
  return { lobby, threadId: await threadOf(emulator, lobby) };
}

/** Resource name → id, as Terraform recorded them in the state the bot saved. */
async function idsInState(project: string): Promise<Record<string, string>> {
  const state = JSON.parse((await latestState(db.sql, db.key(project)))!.stateJson) as { resources: Array<{ name: string; instances: Array<{ attributes: { id: string } }> }> };
  return Object.fromEntries(state.resources.map((r) => [r.name, r.instances[0]!.attributes.id]));
}

/** The apply ran once; the thread holds one board, closed as complete, and one summary carrying all of its output exactly once, in order. */
async function expectOneCompleteStream(project: string, lobby: Lobby, threadId: string): Promise<void> {
  const ids = await idsInState(project);
  expect(Object.keys(ids)).toHaveLength(TOTAL);
  const posted = d.messagesIn(threadId);
  const lines = streamedLines(emulator, posted);
  expect(posted).toHaveLength(2);
  expect(boardIn(posted)).toMatchObject({ status: 'complete', tally: { done: TOTAL, running: 0, pending: 0, failed: 0 } });
  expect(applyStreamProblems(lines, ids, TOTAL)).toEqual([]);
  // The outputs block lists every id once, after the closing line.
  const outputs = lines.slice(lines.indexOf('Outputs:'));
  for (const [name, id] of Object.entries(ids)) expect(outputs.filter((l) => l.includes(`"${name}" = "${id}"`)), name).toHaveLength(1);
  expect(posted.every((m) => m.content.length <= 2000)).toBe(true);
  expect(textOf(posted[0])).toContain('🚀 Applying the reviewed plan');
  expect(textOf(posted.at(-1))).toMatch(new RegExp(`^✅ \\*\\*Apply complete\\*\\* · ${TOTAL} created, 0 changed, 0 destroyed`));
  expect(emulator.calls.filter((c) => c.method === 'POST' && c.path.endsWith(`/messages/${lobby.messageId}/threads`))).toHaveLength(1);
  expect(db.rows('SELECT status FROM deployments WHERE session_id = ?', lobby.sessionId)).toEqual([{ status: 'succeeded' }]);
  expect((await queryAudit(db.sql, { projectId: db.key(project), eventType: 'deployment_approved' }))).toHaveLength(1);
  expect((await queryAudit(db.sql, { projectId: db.key(project), eventType: 'deployment_completed' }))).toHaveLength(1);
}

/** Bursts of failures, from a rate limit to more consecutive 5xx than discord.js retries (3) on its own. */
type Burst = Array<{ status: 429 | 500 | 502 | 503 | 504; count: number; retryAfterMs?: number; global?: boolean }>;
const BURSTS: Burst[] = [
  [{ status: 429, count: 2, retryAfterMs: 250 }],
  [{ status: 502, count: 5 }],
  [{ status: 500, count: 3 }, { status: 429, count: 1, retryAfterMs: 300 }],
  [{ status: 503, count: 6 }],
  [{ status: 429, count: 1, retryAfterMs: 200, global: true }, { status: 504, count: 4 }],
];
/** Aimed at the closing summary. */
const SUMMARY_BURST: Burst = [{ status: 502, count: 7 }];

function arm(route: string, burst: Burst, tally: Record<number, number>): void {
  for (const f of burst) {
    if (f.status === 429) emulator.faults.rateLimit(route, { count: f.count, retryAfterMs: f.retryAfterMs ?? 250, global: f.global ?? false });
    else emulator.faults.serverError(route, { count: f.count, status: f.status });
    tally[f.status] = (tally[f.status] ?? 0) + f.count;
  }
}

const threadPosts = (threadId: string) => (c: RecordedCall) => c.method === 'POST' && c.path === `/channels/${threadId}/messages`;

describe('Discord faults while an apply streams', () => {
  it('GIVEN the gateway connection dropped mid-apply THEN the bot resumes its session, the apply is not repeated and no line is lost or doubled', async () => {
    const { lobby, threadId } = await approvedApply('resumed');
    await emulator.waitFor((c) => c.method === 'PATCH' && c.path.startsWith(`/channels/${threadId}/messages/`), 15_000);
    const identifies = emulator.gateway.identifies.length;
    const resumes = emulator.gateway.resumes.length;

    emulator.gateway.disconnectAll(4000, 'Unknown error');
    // A member acting while the bot is cut off: Discord holds the event and replays it on resume.
    const meanwhile = emulator.slash(d.user('dan'), d.guildId, d.channelId, 'cloud-sessions', { project: 'resumed' });
    await emulator.gateway.waitForSession(10_000);
    expect(emulator.gateway.resumes.length).toBe(resumes + 1);
    expect(emulator.gateway.identifies.length).toBe(identifies);
    expect(isEphemeral(await answer(meanwhile))).toBeTruthy();

    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'), 60_000);
    expect(emulator.gateway.resumes.at(-1)!.replayed).toBeGreaterThanOrEqual(1);
    await expectOneCompleteStream('resumed', lobby, threadId);
  });

  it('GIVEN 429s and bursts of 5xx (more than discord.js retries) on the board\'s edits throughout a 30-resource apply, and on the summary, THEN the board ends showing every resource done and the summary with the whole log arrives once', async () => {
    const { lobby, threadId } = await approvedApply('flaky');
    const board = await emulator.waitFor((c) => threadPosts(threadId)(c) && c.status === 200, 15_000);
    const boardRoute = `PATCH /channels/${threadId}/messages/${(board.response as { id: string }).id}`;
    // The next message after the board is the summary (this apply reports no error).
    const summaryArmed: Record<number, number> = {};
    arm(`POST /channels/${threadId}/messages`, SUMMARY_BURST, summaryArmed);
    const edits = (status?: number) => emulator.calls.filter((c) => `${c.method} ${c.path}` === boardRoute && (status === undefined || c.status === status)).length;
    const armed: Record<number, number> = {};
    let bursts = 0;
    for (const burst of BURSTS) {
      await emulator.waitFor(() => edits(200) > bursts || emulator.calls.some((c) => threadPosts(threadId)(c) && c.status === 200 && c !== board), 30_000);
      if (emulator.calls.some((c) => threadPosts(threadId)(c) && c.status === 200 && c !== board)) break;
      arm(boardRoute, burst, armed);
      bursts++;
    }

    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'), 60_000);
    expect(bursts).toBeGreaterThanOrEqual(3);
    await expectOneCompleteStream('flaky', lobby, threadId);
    const editStatuses = emulator.calls.filter((c) => `${c.method} ${c.path}` === boardRoute).map((c) => c.status);
    for (const [status, n] of Object.entries(armed)) expect(editStatuses.filter((st) => st === Number(status)).length, `board edits answered ${status}`).toBeLessThanOrEqual(n);
    expect(editStatuses.filter((st) => st !== 200).length).toBeGreaterThan(0);
    const summaryTries = emulator.calls.filter((c) => threadPosts(threadId)(c) && String((c.body as { content?: string }).content).includes('**Apply complete**')).map((c) => c.status);
    expect(summaryTries).toEqual([...Array(7).fill(502), 200]);
  });
});
