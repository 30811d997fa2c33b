/**
 * Proof under stress, part 1: an apply cut off half-way. A 30-resource lobby whose six VMs take
 * minutes to boot is approved; once the quick resources have streamed, either the whole bot is
 * SIGKILLed (a machine crash) or only its Terraform child is. Either way the session ends
 * INTERRUPTED — never stuck APPLYING — the lock is free, the state Terraform wrote is a saved
 * version, the thread, the lobby and the audit log say what happened, and the next session plans
 * from the real state. `node bin/bot.js` against the emulator, real Terraform, real SQLite.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { getDeploymentBySession } from '../../src/db/deployments.js';
import { getLock } from '../../src/db/locks.js';
import { getSession } from '../../src/db/sessions.js';
import { latestState } from '../../src/db/states.js';
import type { Emulator } from '../emulator/index.js';
import { startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import type { DbReader } from './helpers/db.js';
import { startTeam } from './helpers/team.js';
import { Callback, Driver, isEphemeral, textOf, type Lobby } from './helpers/driver.js';
import { fleet, importLobby, planLobby, threadOf } from './helpers/lobbies.js';
import { createdIn, describeStateFile, resourcesInStateFile, until, type TfState } from './helpers/until.js';
import { descendants, isAlive } from './helpers/processes.js';
import { boardIn } from './helpers/stream.js';

const TOTAL = 30;
const SLOW = 6;

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;
let db: DbReader;

beforeAll(async () => {
  ({ emulator, d, dirs, bot, db } = await startTeam('Ops', 'infra', ['crashed', 'killed', 'torn']));
});

afterAll(async () => {
  db?.close();
  await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
});

const threadText = (threadId: string) => d.messagesIn(threadId).map(textOf);
/** What the apply's status board counts: created, and still creating (the slow VMs, booting in the sandbox's local-exec sleep). */
const boardTally = (threadId: string) => boardIn(d.messagesIn(threadId))?.tally;
const quickNames = fleet(TOTAL, { slow: SLOW }).slice(SLOW).map((r) => String(r.name));

/** The state file in the running apply's own directory (`<runs>/.runs/<server>/<project>/<deployment id>`). */
function statePath(project: string): string {
  const id = db.value<string>('SELECT id FROM deployments WHERE project_id = ? ORDER BY started_at DESC LIMIT 1', db.key(project));
  return join(dirs.env.TERRAFORM_RUNS_DIR!, '.runs', db.key(project), id, 'terraform.tfstate');
}

/** True once Terraform's state file holds every one of `names` and has not been written for a while (Terraform is sleeping in the slow boots). */
function stateSettled(project: string, names: string[]): boolean {
  const created = resourcesInStateFile(statePath(project));
  return created !== undefined && names.every((n) => created.includes(n)) && Date.now() - statSync(statePath(project)).mtimeMs > 300;
}

/**
 * A planned lobby of 30 new resources (plus `kept`, already deployed), approved; resolves once every
 * quick resource is created, every slow one is booting, and Terraform has settled its state file —
 * so a kill never lands in the middle of a state write (the torn write has its own test).
 */
async function applyUnderWay(project: string, kept: Array<Record<string, unknown>> = []): Promise<{ lobby: Lobby; threadId: string; settled: TfState }> {
  const lobby = await importLobby(d, 'dan', project, [...kept, ...fleet(TOTAL, { slow: SLOW, bootSeconds: 600 })]);
  expect(await planLobby(d, 'dan', lobby, `📋 Plan: ${TOTAL} to add`)).toContain(`📋 Plan: ${TOTAL} to add, 0 to change, 0 to destroy`);
  expect((await d.press('ann', lobby, 'approve')).type).toBe(Callback.deferUpdate);
  const threadId = await threadOf(emulator, lobby);
  await emulator.waitFor(() => (boardTally(threadId)?.done ?? 0) >= TOTAL - SLOW && boardTally(threadId)?.running === SLOW, 30_000);
  const quick = [...kept.map((r) => String(r.name)), ...quickNames];
  await until(() => stateSettled(project, quick), 15_000, () => `Terraform to settle its state with every quick resource; it holds: ${describeStateFile(statePath(project))}`);
  return { lobby, threadId, settled: JSON.parse(readFileSync(statePath(project), 'utf8')) as TfState };
}

/** What every cut-off apply must leave behind, read from the bot's database and workspace. */
async function expectInterruptedAndRecorded(project: string, lobby: Lobby, settled: TfState): Promise<TfState> {
  expect((await getSession(db.sql, lobby.sessionId))?.state).toBe('INTERRUPTED');
  expect((await getLock(db.sql, db.key(project)))).toBeUndefined();
  // The state Terraform had written is the project's newest version, and the deployment points at it.
  const saved = (await latestState(db.sql, db.key(project)))!;
  expect(saved).toMatchObject({ lineage: settled.lineage, sessionId: lobby.sessionId });
  expect(saved.serial).toBeGreaterThanOrEqual(settled.serial);
  expect(createdIn(JSON.parse(saved.stateJson) as TfState)).toEqual(expect.arrayContaining(quickNames));
  expect((await getDeploymentBySession(db.sql, lobby.sessionId))).toMatchObject({ status: 'interrupted', stateSerial: saved.serial });
  expect(db.value('SELECT COUNT(*) FROM deployments WHERE session_id = ?', lobby.sessionId)).toBe(1);
  const audited = (await queryAudit(db.sql, { projectId: db.key(project), eventType: 'deployment_interrupted' }));
  expect(audited).toEqual([expect.objectContaining({ sessionId: lobby.sessionId, status: 'failure', details: expect.objectContaining({ state_serial: saved.serial }) })]);
  return JSON.parse(saved.stateJson) as TfState;
}

/**
 * The next session starts from what exists (the cut-off apply's resources included) and plans against the
 * saved state: one bucket more, nothing destroyed but what Terraform must replace (tainted by the cut).
 */
async function expectNextSessionPlansFromRealState(project: string, state: TfState, tainted = taintedIn(state)): Promise<void> {
  const next = await d.openLobby('dan', project);
  await d.addResource('dan', next, 'storage_bucket', { name: 'after-crash', storage_class: ['standard'], options: [], lifecycle_days: '', storage_gb: '5' });
  await d.lobbyUntil(next, (t) => t.includes('**after-crash**'));
  const text = await planLobby(d, 'dan', next, '📋 Plan:');
  expect(text).toContain(`📋 Plan: ${1 + tainted} to add, 0 to change, ${tainted} to destroy`);
  expect(db.value('SELECT state_serial FROM plans WHERE session_id = ? AND status = ?', next.sessionId, 'succeeded')).toBe(state.serial);
  expect((await d.press('dan', next, 'cancel')).type).toBe(Callback.deferUpdate);
  await d.lobbyUntil(next, (t) => t.includes('CANCELLED'));
}

const taintedIn = (state: TfState) => (state.resources as Array<{ instances: Array<{ status?: string }> }>).filter((r) => r.instances.some((i) => i.status === 'tainted')).length;

describe('an apply cut off half-way', () => {
  it('GIVEN the bot SIGKILLed mid-apply THEN after a restart the session is INTERRUPTED, the lock free, the partial state saved, and thread, lobby and audit say so', async () => {
    const { lobby, threadId, settled } = await applyUnderWay('crashed');
    await bot.crash();
    expect((await getSession(db.sql, lobby.sessionId))?.state).toBe('APPLYING');

    bot = await startReadyBot(emulator, dirs.env);
    const lobbyText = await d.lobbyUntil(lobby, (t) => t.includes('INTERRUPTED'));
    expect(lobbyText).toContain('The process running this apply stopped (crash, kill or restart');
    // Over: no edit, approve or cancel; only the recovery card's ways out.
    const offered = (emulator.message(lobby.messageId)!.components as Array<{ components: Array<{ custom_id: string }> }>).flatMap((r) => r.components.map((b) => b.custom_id));
    expect(offered).toEqual(['replan', 'refresh', 'rollback'].map((a) => `v1:recover:${lobby.sessionId}:${a}`));
    await emulator.waitFor(() => threadText(threadId).at(-1)?.startsWith('⏹️ **Apply interrupted**') === true, 10_000);
    const note = threadText(threadId).at(-1)!;
    expect(note).toContain(`planned: ${TOTAL} to add`);
    expect(note).toContain('The process running this apply stopped (crash, kill or restart; it is gone) before recording it');

    const state = await expectInterruptedAndRecorded('crashed', lobby, settled);
    expect(note).toContain(`state serial ${state.serial}`);
    await expectNextSessionPlansFromRealState('crashed', state);
  });

  it('GIVEN only the Terraform child SIGKILLed mid-apply THEN the bot lives on, records INTERRUPTED, and thread and lobby say so', async () => {
    const { lobby, threadId, settled } = await applyUnderWay('killed');
    const terraform = descendants(bot.child.pid!).filter((p) => p.comm === 'terraform');
    expect(terraform).toHaveLength(1);
    const provisioners = descendants(terraform[0]!.pid);
    process.kill(terraform[0]!.pid, 'SIGKILL');
    // The provisioners' sleeps are orphaned by the kill; end them so nothing outlives the test.
    for (const p of provisioners) if (isAlive(p.pid)) process.kill(p.pid, 'SIGKILL');

    const lobbyText = await d.lobbyUntil(lobby, (t) => t.includes('INTERRUPTED'));
    expect(lobbyText).toContain('terraform apply was interrupted; the state it wrote was saved');
    await emulator.waitFor(() => threadText(threadId).at(-1)?.startsWith('⏹️ **Apply interrupted**') === true, 10_000);
    expect(bot.child.exitCode).toBeNull();
    const state = await expectInterruptedAndRecorded('killed', lobby, settled);
    expect(threadText(threadId).at(-1)).toContain(`state serial ${state.serial}`);

    const sessions = await d.slash('dan', 'cloud-sessions', { project: 'killed' });
    expect(isEphemeral(sessions.callback)).toBeTruthy();
    expect(JSON.stringify(sessions.callback.data)).not.toContain(lobby.sessionId.slice(0, 8));
    await expectNextSessionPlansFromRealState('killed', state);
  });

  it('GIVEN the crash cut Terraform off while it wrote its state file THEN the torn file is not saved, the last good version stays, the thread warns, and the next plan starts from that version', async () => {
    const base = await importLobby(d, 'dan', 'torn', fleet(2, { prefix: 'base-' }));
    await planLobby(d, 'dan', base, '📋 Plan: 2 to add');
    await d.press('ann', base, 'approve');
    await d.lobbyUntil(base, (t) => t.includes('APPLIED'));
    const good = (await latestState(db.sql, db.key('torn')))!;

    const { lobby, threadId } = await applyUnderWay('torn', fleet(2, { prefix: 'base-' }));
    const torn = statePath('torn');
    await bot.crash();
    writeFileSync(torn, ''); // what SIGKILL leaves when it lands between Terraform's truncate and write
    bot = await startReadyBot(emulator, dirs.env);

    await d.lobbyUntil(lobby, (t) => t.includes('INTERRUPTED'));
    await emulator.waitFor(() => threadText(threadId).at(-1)?.startsWith('⏹️ **Apply interrupted**') === true, 10_000);
    const note = threadText(threadId).at(-1)!;
    expect(note).toContain('⚠️ State not saved: the state file the run left is not valid JSON state (corrupted?); its directory is kept for the operator');
    expect(note).toContain(`state serial ${good.serial}`);
    expect((await getSession(db.sql, lobby.sessionId))?.state).toBe('INTERRUPTED');
    expect((await getLock(db.sql, db.key('torn')))).toBeUndefined();
    expect((await latestState(db.sql, db.key('torn')))).toMatchObject({ id: good.id, serial: good.serial });
    expect((await getDeploymentBySession(db.sql, lobby.sessionId))).toMatchObject({ status: 'interrupted', stateSerial: good.serial });
    expect((await queryAudit(db.sql, { projectId: db.key('torn'), eventType: 'deployment_interrupted' }))).toEqual([
      expect.objectContaining({ sessionId: lobby.sessionId, details: expect.objectContaining({ warnings: [expect.stringContaining('State not saved')] }) }),
    ]);
    // What the cut-off apply created is unknown to the last good state: the plan can only start from that.
    await expectNextSessionPlansFromRealState('torn', JSON.parse(good.stateJson) as TfState, 0);
    // The torn run directory is left as it was, for the operator; no run reads it.
    expect(readFileSync(torn, 'utf8')).toBe('');
  });
});
