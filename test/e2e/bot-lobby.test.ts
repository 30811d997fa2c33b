/**
 * The lobby as a demanding user meets it (issue 18), `node bin/bot.js` against the Discord emulator with
 * real SQLite and real Terraform on the sandbox: a refused modal kept as typed across a restart, the
 * run-rate change per resource, Edit Resource moving a VM to another region and changing a database's
 * engine, a rename onto a taken name refused, a readable plan (updates before → after, a sensitive value
 * hidden), a cancelled lobby that points at no button, and labels typed into a network's form and a bucket
 * made public (issue 19), saved in the specs and opened again by Edit Resource.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, type Emulator, type InteractionHandle } from '../emulator/index.js';
import { listSessionResources } from '../../src/db/sessions.js';
import { answer, Callback, contentOf, isEphemeral, textOf, type Driver, type Lobby } from './helpers/driver.js';
import { readDb } from './helpers/db.js';
import { planLobby } from './helpers/lobbies.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';

let world: BotWorld;
let emulator: Emulator;
let d: Driver;

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Lobbyists', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'deploys' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }],
  }, 'deploys');
  ({ emulator, d } = world);
  expect(await d.command('alice', 'cloud-create-project', { project_id: 'edits', budget_limit: 1000, provider: 'sandbox' })).toContain('created');
  // Risk tiers are bot-policy.test.ts's subject: here every tier needs one approver, as before tiers.
  expect(await d.command('alice', 'cloud-settings', { project: 'edits', approvals: '1/1/1' })).toContain('1/1/1');
  expect(await d.command('alice', 'cloud-grant', { user: d.user('dan'), project: 'edits', role: 'deployer' })).toContain('deployer');
  expect(await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'edits', role: 'approver' })).toContain('approver');
}, 60_000);

afterAll(async () => expect(await world?.stop()).toBe(0));

/** What a prefilled modal opens with: each text input's value, each select's chosen options. */
function openedWith(handle: InteractionHandle): Record<string, string | string[]> {
  const labels = handle.modal()!.components as Array<{ component: { custom_id: string; value?: string; options?: Array<{ value: string; default?: boolean }> } }>;
  return Object.fromEntries(labels.map(({ component: c }) => [c.custom_id, c.options ? c.options.filter((o) => o.default).map((o) => o.value) : c.value ?? '']));
}

const buttonsOf = (handle: InteractionHandle) => (handle.originalMessage()!.components.flatMap((r) => r.components) as Array<{ custom_id: string; label: string }>);

/** The sandbox's stand-in administrator password of a database (src/terraform/generate/sandbox.ts): it must never be shown. */
const standInPassword = (name: string, engine: string) => `sandbox-${createHash('sha256').update(`${name}:${engine}`).digest('hex').slice(0, 16)}`;

describe('a first session', () => {
  let lobby: Lobby;

  it('GIVEN resources added THEN the lobby shows the run-rate before → after and what each resource adds', async () => {
    lobby = await d.openLobby('dan', 'edits');
    expect(contentOf(await d.addResource('dan', lobby, 'compute_vm', { name: 'web-1', machine_type: ['medium'], disk: '20, ssd' }, { zone: 'local-b' }))).toMatch(/^✅/);
    expect(contentOf(await d.addResource('dan', lobby, 'database', { name: 'db-1', engine: ['postgres:16'], tier: ['small'], storage_gb: '20', options: ['backups'] }))).toMatch(/^✅/);
    expect(contentOf(await d.addResource('dan', lobby, 'storage_bucket', { name: 'assets', storage_class: ['standard'], options: [], lifecycle_days: '', storage_gb: '100' }))).toMatch(/^✅/);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('Resources (3)'));
    expect(text).toMatch(/📊 Run-rate change\n\$0\.00 → \*\*\$[\d.]+\/month\*\* \(\+\$[\d.]+\)\n\+ \*\*web-1\*\* · Virtual Machine: \+\$[\d.]+\n\+ \*\*db-1\*\* · Database: \+\$[\d.]+\n\+ \*\*assets\*\* · Storage Bucket: \+\$[\d.]+/);
  });

  it('GIVEN a modal refused THEN the answer names the input and what is allowed, and Edit and retry, after a restart too, opens the form with exactly what was typed', async () => {
    const typed = { name: 'web-2', machine_type: ['large'], disk: 'huge, ssd', image: 'ubuntu-24.04', boot_seconds: '' };
    const { handle: form, modalId } = await d.openForm('dan', lobby, 'compute_vm', { zone: 'local-a' });
    const refused = emulator.submitModal(d.user('dan'), form, modalId, typed);
    const reply = await refused.response(5_000);
    expect(isEphemeral(reply)).toBeTruthy();
    expect(contentOf(reply)).toContain("❌ Not saved: one thing to fix.\n• **Disk: size GB, type**: disk_size_gb must be a whole number from 1 to 16384 GB, got 'huge'");
    const retry = buttonsOf(refused).find((b) => b.label === 'Edit and retry')!;
    expect(retry.custom_id).toMatch(new RegExp(`^v1:retry:${lobby.sessionId}:`));

    await world.restart();

    const reopened = emulator.clickButton(d.user('dan'), refused.originalMessage()!, retry.custom_id);
    const modal = await answer(reopened);
    expect(modal.type).toBe(Callback.modal);
    expect(reopened.modal()!.custom_id).toBe(modalId);
    expect(openedWith(reopened)).toEqual({ name: 'web-2', machine_type: ['large'], disk: 'huge, ssd', image: 'ubuntu-24.04', boot_seconds: '' });
    const saved = await emulator.submitModal(d.user('dan'), reopened, modalId, { ...typed, disk: '30, ssd' }).response(5_000);
    expect(contentOf(saved)).toMatch(/^✅ Virtual Machine Added\n\*\*web-2\*\* · Configuration: large, 30 GB ssd disk, local-a/);
    await d.lobbyUntil(lobby, (t) => t.includes('Resources (4)'));
  });

  it('GIVEN the plan approved THEN it is applied', async () => {
    await planLobby(d, 'dan', lobby, '📋 Plan: 4 to add');
    expect((await d.press('ann', lobby, 'approve')).type).toBe(Callback.deferUpdate);
    await d.lobbyUntil(lobby, (t) => t.includes('✅ APPLIED'), 60_000);
  });
});

describe('a second session that edits', () => {
  let lobby: Lobby;

  it('GIVEN Edit Resource on web-1, moved to the remote region and made larger THEN its form opened as it was, and the lobby shows it in its new region with its cost change', async () => {
    lobby = await d.openLobby('dan', 'edits');
    const { handle, modalId, menu } = await d.openEditForm('dan', lobby, 'web-1', 'compute_vm', { region: 'remote', zone: 'remote-a' });
    expect(textOf(emulator.message(menu))).toBe('Region **remote**. Which zone should **web-1** run in?');
    expect(handle.modal()!.title).toBe('Edit Virtual Machine · Sandbox');
    expect(openedWith(handle)).toEqual({ name: 'web-1', machine_type: ['medium'], disk: '20, ssd', image: 'debian-12', boot_seconds: '' });
    const saved = await emulator.submitModal(d.user('dan'), handle, modalId, { ...openedWith(handle), machine_type: ['large'] }).response(5_000);
    expect(contentOf(saved)).toMatch(/^✅ Virtual Machine Updated\n\*\*web-1\*\* · Configuration: large, 20 GB ssd disk, remote-a/);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('large, 20 GB ssd disk, remote-a'));
    expect(text).toMatch(/• \*\*db-1\*\* · Database — postgres 16, small, 20 GB, backups on, local ·/);
    expect(text).toMatch(/📊 Run-rate change\n\$[\d.]+ → \*\*\$[\d.]+\/month\*\* \(\+\$[\d.]+\)\n3 resources unchanged\n~ \*\*web-1\*\* · Virtual Machine: \$[\d.]+ → \$[\d.]+ \(\+\$[\d.]+\)/);
  });

  it('GIVEN db-1 kept where it is with another engine, and the bucket renamed onto web-1 THEN the engine changes and the rename is refused naming the name, with Edit and retry', async () => {
    const { handle, modalId, menu } = await d.openEditForm('dan', lobby, 'db-1', 'database', 'keep');
    expect(textOf(emulator.message(menu))).toContain('Editing **db-1** (Database), now in **local**. Keep it there, or pick a region to move it to.');
    expect(openedWith(handle)).toMatchObject({ name: 'db-1', engine: ['postgres:16'], storage_gb: '20', options: ['backups'] });
    expect(contentOf(await emulator.submitModal(d.user('dan'), handle, modalId, { ...openedWith(handle), engine: ['mysql:8.4'] }).response(5_000))).toMatch(/^✅ Database Updated/);

    const bucket = await d.openEditForm('dan', lobby, 'assets', 'storage_bucket', 'keep');
    const refused = emulator.submitModal(d.user('dan'), bucket.handle, bucket.modalId, { ...openedWith(bucket.handle), name: 'web-1' });
    expect(contentOf(await refused.response(5_000))).toContain("• **Name**: name 'web-1' is already used by another resource in this session (a compute_vm); choose another name");
    expect(buttonsOf(refused).map((b) => b.label)).toEqual(['Edit and retry']);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('mysql 8.4'));
    expect(text).toContain('• **assets** · Storage Bucket');
  });

  it('GIVEN Refresh THEN the lobby shows web-1 updated before → after, db-1 replaced with its password hidden, and the plan message shows the region moving', async () => {
    const planned = await planLobby(d, 'dan', lobby, '📋 Plan: 1 to add, 1 to change, 1 to destroy');
    expect(planned).toContain([
      '-/+ replace terraform_data.db-1',
      '    triggers_replace.engine: "postgres" → "mysql" (forces replacement)',
      '    input.engine: "postgres" → "mysql"',
      '    input.version: "16" → "8.4"',
      '    triggers_replace.admin_password: (sensitive value) (forces replacement)',
    ].join('\n'));
    expect(planned).toContain([
      '~ update terraform_data.web-1',
      '    input.machine_type: "medium" → "large"',
      '    input.region: "local" → "remote"',
      '    input.zone: "local-b" → "remote-a"',
      '    output: (known after apply)',
    ].join('\n'));
    const output = await emulator.waitFor((c) => c.method === 'POST' && c.path === `/channels/${d.channelId}/messages` && String((c.body as { content?: string }).content).includes('📋 Plan: 1 to add, 1 to change, 1 to destroy'));
    const shown = [planned, JSON.stringify(output.body), ...output.files.map((f) => f.bytes.toString())].join('\n');
    expect(shown).toMatch(/~ region\s+= "local" -> "remote"/);
    for (const password of [standInPassword('db-1', 'postgres'), standInPassword('db-1', 'mysql')]) expect(shown).not.toContain(password);
  });

  it('GIVEN the session cancelled THEN its lobby says what became of it and points at no button it no longer has', async () => {
    expect((await d.press('dan', lobby, 'cancel')).type).toBe(Callback.deferUpdate);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('🚫 CANCELLED'));
    expect(emulator.message(lobby.messageId)!.components).toEqual([]);
    expect(text).toContain('📋 Plan: 1 to add, 1 to change, 1 to destroy — not applied.');
    expect(text).toContain('Cancelled; nothing was deployed. Start a new session with `/cloud-deploy`.');
    expect(text).not.toMatch(/Click|Refresh|Add Resource|Approve/);
  });
});

describe('labels and a public bucket', () => {
  let lobby: Lobby;

  it('GIVEN the Labels input of a network form filled and a bucket made public THEN the specs hold them and the lobby marks the bucket public', async () => {
    lobby = await d.openLobby('dan', 'edits');
    const { handle, modalId } = await d.openForm('dan', lobby, 'vpc_network');
    expect(Object.keys(openedWith(handle))).toEqual(['name', 'cidr', 'subnets', 'dns', 'labels']);
    const added = await emulator.submitModal(d.user('dan'), handle, modalId, { name: 'net-1', cidr: '10.4.0.0/16', subnets: '', dns: ['enabled'], labels: 'owner=dan, environment=dev' }).response(5_000);
    expect(contentOf(added)).toMatch(/^✅ VPC Network/);
    expect(contentOf(await d.addResource('dan', lobby, 'storage_bucket', { name: 'site', storage_class: ['standard'], options: ['public'], lifecycle_days: '', storage_gb: '1' }))).toMatch(/^✅/);
    const text = await d.lobbyUntil(lobby, (t) => t.includes('**site**'));
    expect(text).toContain('• **site** · Storage Bucket — 🌐 public, standard,');
    expect(text).toContain('• **assets** · Storage Bucket — standard,');
    const db = readDb(world.dirs.env.DATABASE_PATH!);
    try {
      const specs = await listSessionResources(db.sql, lobby.sessionId);
      expect(specs.find((s) => s.name === 'net-1')!.labels).toEqual({ environment: 'dev', owner: 'dan' });
      expect(specs.find((s) => s.name === 'site')).toMatchObject({ public_access: true });
      expect(specs.find((s) => s.name === 'site')).not.toHaveProperty('labels');
    } finally {
      db.close();
    }
  });

  it('GIVEN Edit Resource on them THEN the forms open with the labels and the public choice as saved', async () => {
    const net = await d.openEditForm('dan', lobby, 'net-1', 'vpc_network', 'keep');
    expect(openedWith(net.handle)).toMatchObject({ name: 'net-1', labels: 'environment=dev, owner=dan' });
    const site = await d.openEditForm('dan', lobby, 'site', 'storage_bucket', 'keep');
    expect(openedWith(site.handle)).toMatchObject({ name: 'site', options: ['public'] });
  });
});
