/**
 * The bot end to end: `node bin/bot.js` as a separate process against the Discord emulator,
 * with real SQLite, real git and real Terraform on the sandbox provider. One team's story, in
 * order: a project, a lobby, every resource type, a rejected form, a plan, an apply streamed into
 * a thread (through 429s and 5xx), a budget alert, a second session that changes and removes, a stranger's click, and
 * two approvers racing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, type Emulator, type ModalFields, type RecordedCall } from '../emulator/index.js';
import { answer, Callback, contentOf, isEphemeral, textOf, type Driver, type Lobby } from './helpers/driver.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';
import { boardIn, streamedLines } from './helpers/stream.js';

let world: BotWorld;
let emulator: Emulator;
let d: Driver;

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Acme',
    roles: [{ name: 'Admin', permissions: Permission.Administrator }],
    channels: [{ name: 'deploys' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }, { username: 'abe' }, { username: 'sam' }],
  }, 'deploys');
  ({ emulator, d } = world);
});

afterAll(async () => expect(await world?.stop()).toBe(0));

const threadOf = async (lobby: Lobby): Promise<string> => {
  const call = await emulator.waitFor((c) => c.method === 'POST' && c.path === `/channels/${d.channelId}/messages/${lobby.messageId}/threads`, 10_000);
  return (call.response as { id: string }).id;
};

const threadText = (threadId: string): string[] => d.messagesIn(threadId).map(textOf);

const lobbyEdits = (lobby: Lobby): RecordedCall[] => emulator.calls.filter((c) => c.method === 'PATCH' && c.path.endsWith(`/messages/${lobby.messageId}`));

describe('a project and its first deployment', () => {
  let lobby: Lobby;

  it('GIVEN a server admin THEN /cloud-create-project creates the project and /cloud-grant gives the team roles', async () => {
    expect(await d.command('alice', 'cloud-create-project', { project_id: 'shop', budget_limit: 1000, provider: 'sandbox' })).toContain('Project **shop** created');
    // Risk tiers are bot-policy.test.ts's subject: here every tier needs one approver, as before tiers.
    expect(await d.command('alice', 'cloud-settings', { project: 'shop', approvals: '1/1/1' })).toContain('1/1/1');
    for (const [user, role] of [['dan', 'deployer'], ['ann', 'approver'], ['abe', 'approver']] as const) {
      expect(await d.command('alice', 'cloud-grant', { user: d.user(user), project: 'shop', role })).toContain(`**${role}**`);
    }
    expect(await d.command('alice', 'cloud-set-budget-alert', { project: 'shop', threshold: 5 })).toContain('Budget alert set at $5.00/month');
  });

  it('GIVEN a member typing a project name THEN autocomplete offers the projects they may see', async () => {
    const handle = emulator.autocomplete(d.user('dan'), d.guildId, d.channelId, 'cloud-deploy', { project: 'sh' }, 'project');
    const { type, data } = await answer(handle);
    expect(type).toBe(Callback.autocomplete);
    expect(data?.choices).toEqual([expect.objectContaining({ value: 'shop' })]);
  });

  it('GIVEN a deployer THEN /cloud-deploy opens a DRAFT lobby with the six lobby buttons', async () => {
    lobby = await d.openLobby('dan', 'shop');
    expect(d.lobbyText(lobby)).toContain('📝 DRAFT');
    expect(d.lobbyText(lobby)).toContain('No resources yet');
    const labels = emulator.message(lobby.messageId)!.components.flatMap((row) => (row.components as Array<{ label: string; disabled: boolean }>).map((b) => `${b.label}${b.disabled ? ' (off)' : ''}`));
    expect(labels).toEqual(['Add Resource', 'Edit Resource (off)', 'Remove Resource (off)', 'Refresh (off)', 'Approve & Deploy (off)', 'Cancel']);
  });

  it('GIVEN the VM modal THEN the resource is added with its configuration, cost and recommendations, and the lobby lists it', async () => {
    const answer = await d.addResource('dan', lobby, 'compute_vm', { name: 'web-1', machine_type: ['medium'], disk: '20, ssd' }, { zone: 'local-b' });
    expect(isEphemeral(answer)).toBeTruthy();
    expect(contentOf(answer)).toMatch(/^✅ Virtual Machine Added\n\*\*web-1\*\* · Configuration: medium, 20 GB ssd disk, local-b\n💰 Estimated Cost: \$0\.\d{3}\/hour, \$[\d.]+\/month/);
    await d.lobbyUntil(lobby, (t) => t.includes('**web-1** · Virtual Machine'));
  });

  it('GIVEN the database, VPC, bucket and firewall modals THEN each type is added', async () => {
    const forms: Array<[string, ModalFields, string]> = [
      ['database', { name: 'db-1', engine: ['postgres:16'], tier: ['small'], storage_gb: '30', options: ['backups'] }, '✅ Database Added'],
      ['vpc_network', { name: 'net-1', cidr: '10.10.0.0/16', subnets: 'web=10.10.1.0/24, data=10.10.2.0/24', dns: ['enabled'] }, '✅ VPC Network Added'],
      ['storage_bucket', { name: 'assets', storage_class: ['cold'], options: ['versioning'], lifecycle_days: '30', storage_gb: '100' }, '✅ Storage Bucket Added'],
      ['firewall_rule', { name: 'allow-https', protocol_ports: 'tcp 443', source_ranges: '0.0.0.0/0', network: ['net-1'], priority: '' }, '✅ Firewall Rule Added'],
    ];
    for (const [type, fields, expected] of forms) {
      expect(contentOf(await d.addResource('dan', lobby, type, fields))).toContain(expected);
    }
    const text = await d.lobbyUntil(lobby, (t) => t.includes('Resources (5)'));
    expect(text).toContain('postgres 16, small, 30 GB, backups on');
    expect(text).toContain('10.10.0.0/16, 2 subnets');
    expect(text).toContain('ingress tcp/443 from 0.0.0.0/0 on net-1');
  });

  it('GIVEN a modal with a wrong field THEN the user is told which field and what is allowed, and nothing is saved', async () => {
    const edits = lobbyEdits(lobby).length;
    const answer = await d.addResource('dan', lobby, 'compute_vm', { name: 'bad-vm', machine_type: ['small'], disk: 'huge, ssd' }, { zone: 'local-a' });
    expect(isEphemeral(answer)).toBeTruthy();
    expect(contentOf(answer)).toContain("disk_size_gb must be a whole number from 1 to 16384 GB, got 'huge'");
    expect(lobbyEdits(lobby)).toHaveLength(edits);
    expect(d.lobbyText(lobby)).not.toContain('bad-vm');
  });

  it('GIVEN Refresh THEN the plan is acknowledged at once, runs, and the lobby shows its counts with Approve enabled', async () => {
    const click = d.click('dan', lobby, 'plan');
    expect((await answer(click)).type).toBe(Callback.deferUpdate);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan: 5 to add, 0 to change, 0 to destroy'));
    expect(text).toContain('PLANNED');
    const approve = (emulator.message(lobby.messageId)!.components[1]!.components as Array<{ label: string; disabled: boolean }>)[1]!;
    expect(approve).toMatchObject({ label: 'Approve & Deploy', disabled: false });
    const output = await emulator.waitFor((c) => c.method === 'POST' && c.path === `/channels/${d.channelId}/messages` && String((c.body as { content?: string }).content).includes('📋 Plan: 5 to add'));
    expect((output.body as { message_reference?: { message_id: string } }).message_reference?.message_id).toBe(lobby.messageId);
  });

  it('GIVEN a plan crossing the budget alert THEN the project admin gets a DM with estimate, limit, overage and threshold', async () => {
    const dm = await emulator.waitFor((c) => c.method === 'POST' && c.path === '/users/@me/channels' && (c.body as { recipient_id: string }).recipient_id === d.user('alice'));
    const dmChannel = (dm.response as { id: string }).id;
    const sent = await emulator.waitFor((c) => c.method === 'POST' && c.path === `/channels/${dmChannel}/messages`);
    const content = String((sent.body as { content: string }).content);
    expect(content).toMatch(/🚨 \*\*Budget Alert: shop project\*\*\nCurrent estimate: \$[\d.]+\/month\nBudget limit: \$1,000\.00\/month\nOverage: None \(still under limit\)\nAlert threshold: \$5\.00\/month \(exceeded\)/);
  });

  it('GIVEN an approver THEN Approve follows the apply on a status board in a thread, ends with a summary carrying the whole log, and the lobby shows APPLIED', async () => {
    const click = d.click('ann', lobby, 'approve');
    expect((await answer(click)).type).toBe(Callback.deferUpdate);
    const threadId = await threadOf(lobby);
    // Once the header is out, Discord misbehaves: a 429, then more 5xx than discord.js retries on its own.
    await emulator.waitFor((c) => c.method === 'POST' && c.path === `/channels/${threadId}/messages`);
    emulator.faults.rateLimit(`POST /channels/${threadId}/messages`, { retryAfterMs: 200 });
    emulator.faults.serverError(`POST /channels/${threadId}/messages`, { count: 5, status: 502 });
    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'));
    await emulator.waitFor(() => threadText(threadId).at(-1)?.includes('Apply complete') === true);
    const posted = threadText(threadId);
    expect(posted).toHaveLength(2);
    expect(posted[0]).toContain(`approved by <@${d.user('ann')}>`);
    const board = boardIn(d.messagesIn(threadId))!;
    expect(board.status).toBe('complete');
    expect(board.tally).toEqual({ done: 5, running: 0, pending: 0, failed: 0 });
    expect(board.lines.map((l) => l.replace(/ in \d+ s$/, '')).sort()).toEqual(['allow-https', 'assets', 'db-1', 'net-1', 'web-1'].map((n) => `✅ \`terraform_data.${n}\` · created`));
    const output = streamedLines(emulator, d.messagesIn(threadId));
    for (const name of ['web-1', 'db-1', 'net-1', 'assets', 'allow-https']) {
      expect(output.filter((l) => l.startsWith(`terraform_data.${name}: Creation complete`)), name).toHaveLength(1);
    }
    expect(output.filter((l) => l.startsWith('Apply complete! Resources: 5 added'))).toHaveLength(1);
    const statuses = emulator.calls.filter((c) => c.path === `/channels/${threadId}/messages`).map((c) => c.status);
    expect(statuses.filter((st) => st === 429)).toHaveLength(1);
    expect(statuses.filter((st) => st === 502)).toHaveLength(5);
    expect(posted.every((m) => m.length <= 2000)).toBe(true);
    expect(posted.at(-1)).toMatch(/✅ \*\*Apply complete\*\* · 5 created, 0 changed, 0 destroyed · [\d.]+ s\nstate serial \d+ · git commit `[0-9a-f]{7}`\n📎 The whole Terraform output is attached\.$/);
  });
});

describe('a second session', () => {
  let lobby: Lobby;

  it('GIVEN a new lobby THEN it starts from what the project runs now', async () => {
    lobby = await d.openLobby('dan', 'shop');
    expect(d.lobbyText(lobby)).toContain('Resources (5)');
  });

  it('GIVEN a member without a role THEN their clicks are refused ephemerally and change nothing', async () => {
    const before = d.lobbyText(lobby);
    const edits = lobbyEdits(lobby).length;
    const refusals = { plan: 'Only the session owner or a project admin', add: 'Only the session owner or a project admin', cancel: 'Only the session owner or a project admin' };
    for (const [action, reason] of Object.entries(refusals)) {
      const answer = await d.press('sam', lobby, action);
      expect(isEphemeral(answer)).toBeTruthy();
      expect(contentOf(answer)).toContain(`🚫 ${reason}`);
    }
    expect(lobbyEdits(lobby)).toHaveLength(edits);
    expect(d.lobbyText(lobby)).toBe(before);
  });

  it('GIVEN a removed bucket and a VM re-added bigger THEN the plan shows one change and one destroy', async () => {
    expect(contentOf(await d.removeResource('dan', lobby, 'assets'))).toContain('Removed **assets**');
    await d.removeResource('dan', lobby, 'web-1');
    await d.addResource('dan', lobby, 'compute_vm', { name: 'web-1', machine_type: ['large'], disk: '20, ssd' }, { zone: 'local-b' });
    await d.press('dan', lobby, 'plan');
    await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan: 0 to add, 1 to change, 1 to destroy'));
  });

  it('GIVEN a session holding the lock THEN /cloud-sessions names it and its owner', async () => {
    const { handle } = await d.slash('ann', 'cloud-sessions', { project: 'shop' });
    expect(textOf(handle.originalMessage())).toMatch(new RegExp(`${lobby.sessionId.slice(0, 8)}.*<@${d.user('dan')}> · 🔒 holds the lock`));
  });

  it('GIVEN two approvers clicking at once THEN the plan is applied once and the second is told it was already approved', async () => {
    const clicks = [d.click('ann', lobby, 'approve'), d.click('abe', lobby, 'approve')];
    const answers = await Promise.all(clicks.map(answer));
    expect(answers.map((a) => a.type).sort()).toEqual([Callback.reply, Callback.deferUpdate].sort());
    expect(contentOf(answers.find((a) => a.type === Callback.reply)!)).toContain('already approved');
    const threadId = await threadOf(lobby);
    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'));
    expect(emulator.calls.filter((c) => c.path === `/channels/${d.channelId}/messages/${lobby.messageId}/threads`)).toHaveLength(1);
    expect(threadText(threadId).filter((t) => t.includes('✅ **Apply complete**'))).toEqual([
      expect.stringContaining('0 created, 1 changed, 1 destroyed'),
    ]);
  });
});
