/**
 * Policy and risk-tiered approvals in the lobby (issue 19), `node bin/bot.js` against the Discord emulator
 * with real SQLite and a real sandbox plan: SSH open to the world is soft-mandatory and high risk, so the
 * lobby shows the finding and "approvals 0/2", holds Approve until an admin overrides with a reason, counts
 * one approver's vote, refuses the author's, and applies on the second approver's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, type Emulator } from '../emulator/index.js';
import { answer, Callback, contentOf, isEphemeral, type Driver, type Lobby } from './helpers/driver.js';
import { importLobby, planLobby } from './helpers/lobbies.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';

let world: BotWorld;
let emulator: Emulator;
let d: Driver;

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Governed', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'deploys' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }],
  }, 'deploys');
  ({ emulator, d } = world);
  expect(await d.command('alice', 'cloud-create-project', { project_id: 'gov', budget_limit: 1000, provider: 'sandbox' })).toContain('created');
  expect(await d.command('alice', 'cloud-grant', { user: d.user('dan'), project: 'gov', role: 'approver' })).toContain('approver');
  expect(await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'gov', role: 'approver' })).toContain('approver');
}, 60_000);

afterAll(async () => expect(await world?.stop()).toBe(0));

const labels = { owner: 'team-web', environment: 'dev' };
const buttons = (lobby: Lobby) => (emulator.message(lobby.messageId)!.components.flatMap((r) => r.components) as Array<{ custom_id: string; label: string; disabled?: boolean }>);
const approveButton = (lobby: Lobby) => buttons(lobby).find((b) => b.custom_id.startsWith('v1:approve:'))!;

describe('a high-risk plan with a soft-mandatory finding', () => {
  let lobby: Lobby;

  it('GIVEN SSH open to the world THEN the lobby shows the tier, the finding and approvals 0/2, and Approve waits for an override', async () => {
    lobby = await importLobby(d, 'dan', 'gov', [
      { type: 'compute_vm', name: 'bastion', machine_type: 'small', labels },
      { type: 'firewall_rule', name: 'ssh-in', ports: '22', source_ranges: '0.0.0.0/0', labels },
    ]);
    const text = await planLobby(d, 'dan', lobby, '🛡️ Policy');
    expect(text).toMatch(/Risk 🔴 high: `ssh-in` opens to the whole internet/);
    expect(text).toMatch(/Approvals \*\*0\/2\*\*/);
    expect(text).toMatch(/🟠 `world-open-admin-port` on `ssh-in`/);
    expect(approveButton(lobby)).toMatchObject({ label: 'Approve (0/2)', disabled: true });
    expect(buttons(lobby).some((b) => b.label === 'Override policy')).toBe(true);
  });

  it('GIVEN a member who is not an admin clicks Override policy THEN no form opens and they are told who can', async () => {
    const cb = await d.press('ann', lobby, 'pover');
    expect(cb.type).toBe(Callback.reply);
    expect(contentOf(cb)).toMatch(/project admin/);
  });

  it('GIVEN an admin overrides with a reason THEN the lobby names them and their reason, and Approve opens', async () => {
    const form = d.click('alice', lobby, 'pover');
    expect((await answer(form)).type).toBe(Callback.modal);
    const submitted = await emulator.submitModal(d.user('alice'), form, `v1:preason:${lobby.sessionId}`, { reason: 'bastion host until the VPN is up (OPS-142)' }).response(5_000);
    expect(isEphemeral(submitted)).toBeTruthy();
    expect(contentOf(submitted)).toMatch(/override recorded/);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('overridden by'));
    expect(text).toContain(`overridden by <@${d.user('alice')}>: bastion host until the VPN is up (OPS-142)`);
    expect(approveButton(lobby).disabled).toBe(false);
  });

  it('GIVEN one approver approves THEN their vote is counted 1/2, and the author’s approval is refused', async () => {
    const voted = await d.press('ann', lobby, 'approve');
    expect(isEphemeral(voted)).toBeTruthy();
    expect(contentOf(voted)).toMatch(/1\/2/);
    await d.lobbyUntil(lobby, (t) => t.includes('Approvals **1/2**'));
    expect(approveButton(lobby).label).toBe('Approve (1/2)');
    // Even where a project lets authors approve their own plans, a high-risk plan's author never counts.
    expect(await d.command('alice', 'cloud-settings', { project: 'gov', self_approval: true })).toContain('Self-approval: on');
    const author = await d.press('dan', lobby, 'approve');
    expect(contentOf(author)).toMatch(/author's approval does not count/);
  });

  it('GIVEN a second approver approves THEN the apply runs and the session is applied', async () => {
    expect((await d.press('alice', lobby, 'approve')).type).toBe(Callback.deferUpdate);
    await d.lobbyUntil(lobby, (t) => t.includes('✅ APPLIED'), 60_000);
  });
});
