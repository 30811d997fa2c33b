/**
 * The drift thread through the bot (issue 20, step 2): the sandbox cloud changed out of band with the real
 * CLI, `/cloud-drift` opens one thread on a card with the diff and Adopt / Revert; checks again — by hand,
 * and a scheduled one by the sweep of a restarted bot — update that card, never open a second thread; Adopt
 * after the restart opens a lobby that is planned, approved and applied, and the next check closes the
 * thread. `node bin/bot.js` against the emulator, real Terraform on the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, type Emulator, type StoredMessage } from '../emulator/index.js';
import { startReadyBot } from './helpers/botProcess.js';
import { runCli } from './helpers/cli.js';
import { readDb, type DbReader } from './helpers/db.js';
import { answer, Callback, textOf, type Driver, type Lobby } from './helpers/driver.js';
import { importLobby } from './helpers/lobbies.js';
import { until } from './helpers/until.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';

let world: BotWorld;
let emulator: Emulator;
let d: Driver;
let db: DbReader;
let cliEnv: Record<string, string>;
const TIMES = { SWEEP_INTERVAL_SECONDS: '1' };

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Drift', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'infra' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'ann' }],
  }, 'infra', TIMES);
  ({ emulator, d } = world);
  const { DATABASE_PATH, TERRAFORM_RUNS_DIR, PRICING_DIR } = world.dirs.env;
  cliEnv = { DATABASE_PATH: DATABASE_PATH!, TERRAFORM_RUNS_DIR: TERRAFORM_RUNS_DIR!, PRICING_DIR: PRICING_DIR!, LOG_LEVEL: 'warn' };
  await d.command('alice', 'cloud-create-project', { project_id: 'drifty', budget_limit: 1000, provider: 'sandbox' });
  await d.command('alice', 'cloud-settings', { project: 'drifty', approvals: '1/1/1' });
  await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'drifty', role: 'approver' });
  db = readDb(DATABASE_PATH!);
});

afterAll(async () => {
  db?.close();
  await world?.stop();
});

/** Plans the lobby (unless it was planned already), has ann approve it and waits until it is applied. */
async function applied(lobby: Lobby, planned = false): Promise<void> {
  if (!planned) {
    await d.press('alice', lobby, 'plan');
    await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan:'), 60_000);
  }
  await d.press('ann', lobby, 'approve');
  await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'), 60_000);
}

/** `/cloud-drift`: its private answer's embed title. */
async function checkDrift(): Promise<string> {
  const { handle } = await d.slash('alice', 'cloud-drift', { project: 'drifty' });
  await handle.waitFor((c) => c.method === 'PATCH', 60_000);
  return String(handle.originalMessage()!.embeds[0]!.title);
}

/** Drift cards in the channel: the bot's messages with a drift embed. */
const cards = (): StoredMessage[] => d.messagesIn(d.channelId).filter((m) => /Drift in drifty|No drift in drifty/.test(String(m.embeds[0]?.title)) && !(m.flags & 64));
const threadCreations = () => emulator.calls.filter((c) => c.method === 'POST' && /\/messages\/\d+\/threads$/.test(c.path) && cards().some((m) => c.path.includes(m.id)));
const buttons = (m: StoredMessage) => (m.components.flatMap((r) => r.components) as Array<{ label: string; custom_id: string }>).map((b) => [b.label, b.custom_id]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the drift thread', () => {
  let card: StoredMessage;

  it('GIVEN a deployed VM changed out of band THEN /cloud-drift opens one thread on a card showing the attribute deployed → observed, since when, with Adopt and Revert; a second check updates that card', async () => {
    await applied(await importLobby(d, 'alice', 'drifty', [{ type: 'compute_vm', name: 'web-1', machine_type: 'small' }]));
    const tampered = await runCli(['sandbox', 'tamper', '--project', 'drifty', '--resource', 'web-1', '--set', 'machine_type=large'], cliEnv);
    expect(tampered.code, tampered.stderr).toBe(0);

    expect(await checkDrift()).toBe('Drift in drifty: 1 of 1 resource(s)');
    await emulator.waitFor(() => threadCreations().length === 1, 15_000);
    card = cards()[0]!;
    expect(card.embeds[0]!.title).toBe('⚠️ Drift in drifty: 1 resource(s)');
    expect(card.embeds[0]!.description).toMatch(/^\*\*web-1\*\* \(compute_vm\): changed · since <t:\d+:R>\n• machine_type: `"small"` → `"large"`\n\nDrifting since <t:\d+:R>, last checked <t:\d+:R>/);
    expect(buttons(card)).toEqual([['Adopt', 'v1:dadopt:drifty'], ['Revert', 'v1:drevert:drifty']]);
    await emulator.waitFor(() => d.messagesIn(card.id).length === 1, 15_000);
    expect(d.messagesIn(card.id)[0]!.content).toMatch(/^🧭 The cloud of \*\*drifty\*\* no longer holds what was deployed\./);

    const edits = () => emulator.calls.filter((c) => c.method === 'PATCH' && c.path === `/channels/${d.channelId}/messages/${card.id}`).length;
    expect(await checkDrift()).toBe('Drift in drifty: 1 of 1 resource(s)');
    await emulator.waitFor(() => edits() === 1, 15_000);
    expect([cards().length, threadCreations().length]).toEqual([1, 1]);
  });

  it('GIVEN hourly checks set with the CLI while the bot is down WHEN it starts again THEN its sweep checks as the system and updates the same card: still one thread', async () => {
    expect(await world.bot.stop()).toBe(0);
    const set = await runCli(['settings', '--project', 'drifty', '--drift', 'hourly'], cliEnv);
    expect(set.stdout).toContain('drift:          checked hourly');
    const scheduled = () => db.value("SELECT COUNT(*) FROM audit_logs WHERE event_type = 'drift_checked' AND user_id IS NULL");
    expect(scheduled()).toBe(0);
    world.bot = await startReadyBot(emulator, world.dirs.env);
    await until(() => scheduled() === 1, 30_000, 'a scheduled check');
    await until(() => db.value<number>('SELECT thread_revision FROM drift_states') === db.value<number>('SELECT revision FROM drift_states'), 15_000, 'the card showing the last check');
    await sleep(3_000);
    expect([cards().length, threadCreations().length, scheduled()]).toEqual([1, 1, 1]);
    expect(db.value('SELECT thread_id FROM drift_states')).toBe(card.id);
  });

  it('GIVEN the restarted bot WHEN alice clicks Adopt THEN a lobby for the adopt session is planned, approved and applied; the next check closes the thread and archives it', async () => {
    const click = emulator.clickButton(d.user('alice'), card.id, 'v1:dadopt:drifty');
    expect((await answer(click)).type).toBe(Callback.deferReply);
    await click.waitFor((c) => c.method === 'PATCH', 60_000);
    const reply = click.originalMessage()!;
    const lobby: Lobby = { messageId: reply.id, sessionId: String((reply.components[0]!.components as Array<{ custom_id: string }>)[0]!.custom_id).split(':')[2]! };
    const text = await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan:'), 60_000);
    expect(text).toMatch(/^☁️ Drift adoption · drifty\n/);
    expect(text).toContain('📋 Plan: 0 to add, 1 to change, 0 to destroy');
    await emulator.waitFor(() => d.messagesIn(card.id).some((m) => m.content.startsWith(`📥 <@${d.user('alice')}> started **Adopt**`)), 15_000);
    await applied(lobby, true);

    expect(await checkDrift()).toBe('No drift in drifty');
    await emulator.waitFor(() => emulator.state.channel(card.id)?.thread_metadata?.archived === true, 15_000);
    expect(d.messagesIn(card.id).at(-1)!.content).toMatch(/^✅ The drift in \*\*drifty\*\* is gone/);
    expect(textOf(emulator.message(card.id))).toContain('✅ No drift in drifty');
    expect(emulator.message(card.id)!.components).toEqual([]);
    await until(() => db.value('SELECT COUNT(*) FROM drift_states WHERE drifted IS NULL AND thread_id IS NULL') === 1, 15_000, 'the closed thread forgotten');
    const events = db.rows<{ event_type: string }>("SELECT event_type FROM audit_logs WHERE event_type LIKE 'drift_%' ORDER BY id").map((r) => r.event_type);
    for (const e of ['drift_thread_opened', 'drift_adopt_started', 'drift_resolved', 'drift_thread_closed']) expect(events.filter((x) => x === e), e).toHaveLength(1);
    expect(world.bot.output()).not.toMatch(/drift sweep failed|drift thread|resolved drift/);
  });
});
