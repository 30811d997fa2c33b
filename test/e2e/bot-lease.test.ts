/**
 * Environments that expire, in Discord (issue 20): `node bin/bot.js` on the emulator with a real SQLite store.
 * A project created with `ttl` has a lease; once its end is near (the store's end moved, as time would), the sweep
 * posts one reminder in the project's channel with Extend and Destroy now — once, across a restart — and after
 * the restart Extend still works, while Destroy now is refused to a member who may not start sessions.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, type Emulator, type StoredMessage } from '../emulator/index.js';
import { answer, Callback, contentOf, type Driver } from './helpers/driver.js';
import { readDb } from './helpers/db.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';

const SWEEP_MS = 1000;
let world: BotWorld;
let emulator: Emulator;
let d: Driver;

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Labs', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'sandbox' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'olga' }],
  }, 'sandbox', { SWEEP_INTERVAL_SECONDS: String(SWEEP_MS / 1000) });
  ({ emulator, d } = world);
}, 60_000);

afterAll(async () => expect(await world?.stop()).toBe(0));

const reminders = (): StoredMessage[] => d.messagesIn(d.channelId).filter((m) => m.content.includes("environment lease ends"));
const buttonsOf = (m: StoredMessage) => (m.components.flatMap((r) => r.components) as Array<{ custom_id: string; label: string }>).map((b) => [b.label, b.custom_id]);
const sweeps = (n: number) => new Promise((resolve) => setTimeout(resolve, n * SWEEP_MS));
const endsAt = (): string => {
  const db = readDb(world.dirs.env.DATABASE_PATH!);
  try {
    return db.value<string>('SELECT ends_at FROM environment_leases WHERE project_id = ?', db.key('lab'));
  } finally {
    db.close();
  }
};

describe('a lease reminder', () => {
  it('GIVEN a project created with ttl whose end comes within the hour THEN one reminder with Extend and Destroy now is posted in its channel, and not again after a restart', async () => {
    expect(await d.command('alice', 'cloud-create-project', { project_id: 'lab', budget_limit: 1000, provider: 'sandbox', ttl: '1d' })).toContain('environment lease');
    await d.command('alice', 'cloud-grant', { user: d.user('dan'), project: 'lab', role: 'deployer' });
    expect(await d.command('dan', 'cloud-lease', { project: 'lab' })).toContain('starts counting at the first apply');
    // Time passes: the lease's end (the last apply + 1d) is 50 minutes away.
    const db = new Database(world.dirs.env.DATABASE_PATH!);
    db.pragma('busy_timeout = 5000');
    db.prepare("UPDATE environment_leases SET ends_at = ?, reminders_sent = 0 WHERE project_id LIKE '%/lab'").run(new Date(Date.now() + 50 * 60_000).toISOString());
    db.close();
    await emulator.waitFor(() => reminders().length > 0, 15_000);
    const [reminder] = reminders();
    expect(reminder!.content).toMatch(/\*\*lab\*\*'s environment lease ends <t:\d+:R>/);
    expect(buttonsOf(reminder!)).toEqual([['Extend', 'v1:lext:lab'], ['Destroy now', 'v1:ldestroy:lab']]);
    await world.restart();
    await sweeps(3);
    expect(reminders()).toHaveLength(1);
  });

  it('GIVEN the bot restarted THEN Destroy now is refused to a member without the deployer role, and Extend pushes the end back by the lease length', async () => {
    const [reminder] = reminders();
    const refused = await answer(emulator.clickButton(d.user('olga'), reminder!.id, 'v1:ldestroy:lab'));
    expect(contentOf(refused)).toMatch(/deployer role/);
    const before = Date.parse(endsAt());
    const extended = await answer(emulator.clickButton(d.user('dan'), reminder!.id, 'v1:lext:lab'));
    expect(extended.type).toBe(Callback.reply);
    expect(contentOf(extended)).toMatch(new RegExp(`<@${d.user('dan')}> extended \\*\\*lab\\*\\*'s environment lease: it now ends <t:\\d+:R>`));
    expect(Date.parse(endsAt())).toBe(before + 24 * 3_600_000);
    expect(await d.command('dan', 'cloud-lease', { project: 'lab' })).toMatch(/1d after the last apply\) ends <t:\d+:R>/);
  });

  it('GIVEN Destroy now from the reminder THEN the destroy session’s lobby is posted in the channel and waits for one approver; approved, the lease expires and the channel says what it cost', async () => {
    const [reminder] = reminders();
    const started = await answer(emulator.clickButton(d.user('dan'), reminder!.id, 'v1:ldestroy:lab'));
    expect(contentOf(started)).toMatch(/chose Destroy now for \*\*lab\*\*: its destroy session `\w{8}` is planning/);
    await emulator.waitFor(() => d.messagesIn(d.channelId).some((m) => m.content.includes('waits for one approver')), 60_000);
    const lobbyMessage = d.messagesIn(d.channelId).filter((m) => m.embeds.length && m.components.length).at(-1)!;
    const lobby = { messageId: lobbyMessage.id, sessionId: String((lobbyMessage.components[0]!.components as Array<{ custom_id: string }>)[0]!.custom_id).split(':')[2]! };
    expect(d.lobbyText(lobby)).toMatch(/Environment expiry · lab[^]*Approvals \*\*0\/1\*\*/);
    expect((await d.press('alice', lobby, 'approve')).type).toBe(Callback.deferUpdate);
    await emulator.waitFor(() => d.messagesIn(d.channelId).some((m) => m.content.includes("**lab**'s environment expired and was destroyed")), 60_000);
    const said = d.messagesIn(d.channelId).find((m) => m.content.includes('expired and was destroyed'))!.content;
    expect(said).toMatch(/It ran up \$0\.00 since <t:\d+:R>/);
  });
});
