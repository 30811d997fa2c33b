/**
 * Hostile input through every Discord entry point: the values of test/fixtures/hostile/corpus.ts
 * typed into every resource modal, given as slash command options, written into spreadsheet cells,
 * and Discord payloads no honest client sends (garbled or foreign custom ids, another guild's
 * sessions, DMs). Every case must be refused privately, saying what is wrong — and nothing may
 * run, be written or escape: no plan, no new row, no file outside the workspace, no /tmp/ce-pwned.
 * One bot process (`node bin/bot.js`) serves the whole file; cases go out in batches.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryAudit } from '../../src/db/audit.js';
import { listSessionResources } from '../../src/db/sessions.js';
import { BASE_FIELDS, HOSTILE_PROJECT_IDS, HOSTILE_TARGETS, HOSTILE_VALUES } from '../fixtures/hostile/corpus.js';
import { Permission, startEmulator, type Emulator, type InteractionHandle, type ModalFields } from '../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { readDb, type DbReader } from './helpers/db.js';
import { Callback, Driver, type Lobby } from './helpers/driver.js';
import { unzipBounded } from '../../src/sheets/zip.js';
import { template, zip } from '../unit/sheets/helpers.js';
import { buttonRows, leftoverMessage, shown, typed, unrefused, type HostileCase } from './helpers/refusals.js';

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let a: Driver; // guild A, where the project lives
let b: Driver; // guild B, a stranger's server
let db: DbReader;
let lobby: Lobby; // dan's DRAFT session on 'target', holding web-1
let foreign: Lobby; // mallory's session on 'other', in guild B
let before: { tree: string[]; counts: Record<string, number>; commits: string };
let total = 0;

/** Every path under the bot's data directory with its size (the database files aside: audit rows are expected). */
function tree(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (/^cloud-engine\.db/.test(name)) return [];
    return statSync(path).isDirectory() ? [`${relative(dirs.dir, path)}/`, ...tree(path)] : [`${relative(dirs.dir, path)} ${statSync(path).size}`];
  });
}

const TABLES = ['projects', 'project_members', 'quotas', 'sessions', 'session_resources', 'plans', 'deployments', 'terraform_states', 'locks', 'budget_alerts'];
const counts = () => Object.fromEntries(TABLES.map((t) => [t, db.value<number>(`SELECT COUNT(*) FROM ${t}`)]));
const git = (...args: string[]) => execFileSync('git', ['-C', join(dirs.env.TERRAFORM_RUNS_DIR!, a.guildId, 'target'), ...args], { encoding: 'utf8' });

beforeAll(async () => {
  emulator = await startEmulator({
    guilds: [
      {
        name: 'Target', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'deploys' }],
        members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'mallory' }],
      },
      {
        name: 'Elsewhere', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'lair' }],
        members: [{ username: 'mallory', roles: ['Admin'], owner: true }],
      },
    ],
    dms: ['alice'],
  });
  const [guildA, guildB] = [emulator.state.guildByName('Target'), emulator.state.guildByName('Elsewhere')];
  a = new Driver(emulator, guildA.id, emulator.state.channelByName(guildA.id, 'deploys').id);
  b = new Driver(emulator, guildB.id, emulator.state.channelByName(guildB.id, 'lair').id);
  dirs = botDirs(emulator, guildA.id);
  bot = await startReadyBot(emulator, dirs.env);

  expect(await a.command('alice', 'cloud-create-project', { project_id: 'target', budget_limit: 1000, provider: 'sandbox' })).toContain('created');
  expect(await a.command('alice', 'cloud-grant', { user: a.user('dan'), project: 'target', role: 'deployer' })).toContain('deployer');
  lobby = await a.openLobby('dan', 'target');
  expect((await a.addResource('dan', lobby, 'compute_vm', { name: 'web-1', machine_type: ['small'], disk: '10' }, { zone: 'local-a' })).data?.content).toContain('✅');
  // Commands are registered to guild A only; in guild B the emulator types options from their values.
  expect(await b.command('mallory', 'cloud-create-project', { project_id: 'other', budget_limit: 10.5, provider: 'sandbox' })).toContain('created');
  foreign = await b.openLobby('mallory', 'other');

  db = readDb(dirs.env.DATABASE_PATH!);
  before = { tree: tree(dirs.dir), counts: counts(), commits: git('rev-list', '--all') };
}, 60_000);

afterAll(async () => {
  db?.close();
  const code = await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
  expect(code).toBe(0);
});

/** Runs the cases and expects every one refused; counts them towards the total. */
async function expectAllRefused(cases: HostileCase[]): Promise<void> {
  total += cases.length;
  expect(await unrefused(cases)).toEqual([]);
}

const dan = () => a.user('dan');
const alice = () => a.user('alice');
const strings = HOSTILE_VALUES.map(([label, value]) => ({ label, text: typed(value) }));

describe('(a) resource modals, as the bot shows them', () => {
  /** Valid answers to every input of each sandbox modal; one input at a time is replaced by a hostile value. */
  const VALID: Record<string, ModalFields> = {
    compute_vm: { name: 'probe', machine_type: ['small'], disk: '10', image: '', boot_seconds: '' },
    database: { name: 'probe', engine: ['postgres:16'], tier: ['small'], storage_gb: '20', options: ['backups'] },
    vpc_network: { name: 'probe', cidr: '10.10.0.0/16', subnets: '', dns: ['enabled'], labels: '' },
    storage_bucket: { name: 'probe', storage_class: ['standard'], options: [], lifecycle_days: '', storage_gb: '10' },
    firewall_rule: { name: 'probe', protocol_ports: 'tcp 443', source_ranges: '10.0.0.0/8', network: ['default'], priority: '' },
  };
  /** The text inputs of each modal, and how the refusal names the field. */
  const TEXT_INPUTS: Array<[type: string, input: string, says: RegExp]> = [
    ['compute_vm', 'name', /\bname\b/], ['compute_vm', 'disk', /disk/], ['compute_vm', 'image', /image/], ['compute_vm', 'boot_seconds', /boot_seconds/],
    ['database', 'name', /\bname\b/], ['database', 'storage_gb', /storage_gb/],
    ['vpc_network', 'name', /\bname\b/], ['vpc_network', 'cidr', /cidr/], ['vpc_network', 'subnets', /subnets/], ['vpc_network', 'labels', /labels/],
    ['storage_bucket', 'name', /\bname\b/], ['storage_bucket', 'lifecycle_days', /lifecycle_days/], ['storage_bucket', 'storage_gb', /storage_gb/],
    ['firewall_rule', 'name', /\bname\b/], ['firewall_rule', 'protocol_ports', /protocol|ports/], ['firewall_rule', 'source_ranges', /source_ranges/],
    ['firewall_rule', 'priority', /priority/],
  ];
  /** Select inputs: Discord only relays listed options, so these values come from a forged submission. */
  const SELECTS: Array<[type: string, input: string, says: RegExp]> = [
    ['compute_vm', 'machine_type', /machine_type/], ['database', 'engine', /engine|version/],
    ['database', 'tier', /tier/], ['storage_bucket', 'storage_class', /storage_class/], ['firewall_rule', 'network', /network/],
    ['database', 'options', /options/], ['vpc_network', 'dns', /dns/], ['storage_bucket', 'options', /options/],
  ];
  const DISCORD_TEXT_INPUT_MAX = 4000;
  const opened = new Map<string, InteractionHandle>();
  const modalIds = new Map<string, string>();
  const modalId = (type: string) => modalIds.get(type)!;

  /** Add Resource → type → region (→ zone or direction) → the modal the bot shows, kept open to submit each case. */
  async function openModal(type: string): Promise<InteractionHandle> {
    const { handle, modalId: id } = await a.openForm('dan', lobby, type);
    modalIds.set(type, id);
    return handle;
  }

  /** What the opened modal allows in a text input (Discord enforces it client-side). */
  function maxLength(type: string, input: string): number {
    const labels = opened.get(type)!.modal()!.components as Array<{ component: { custom_id: string; max_length?: number } }>;
    return labels.find((l) => l.component.custom_id === input)?.component.max_length ?? 4000;
  }

  beforeAll(async () => {
    for (const type of Object.keys(VALID)) opened.set(type, await openModal(type));
  });

  it('GIVEN the valid answers the cases start from THEN each modal accepts them (so each refusal below is the hostile value\'s doing)', async () => {
    const control = await a.openLobby('dan', 'target');
    for (const [type, fields] of Object.entries(VALID)) {
      const reply = await a.addResource('dan', control, type, { ...fields, name: `ok-${type.replace('_', '-')}` });
      expect(reply.data?.content, type).toMatch(/^✅/);
    }
    expect((await a.press('dan', control, 'cancel')).type).toBe(Callback.deferUpdate);
    before = { ...before, counts: counts(), tree: tree(dirs.dir) };
  });

  it('GIVEN each corpus value typed into each text input of each modal THEN each is refused naming the field', async () => {
    const cases = TEXT_INPUTS.flatMap(([type, input, says]) => strings.map(({ label, text }): HostileCase => {
      // Longer than the input allows: only a forged submission could carry it, and Discord cuts any at 4000.
      const forged = text.length > maxLength(type, input);
      const fields = { ...VALID[type], [input]: text.slice(0, DISCORD_TEXT_INPUT_MAX) };
      return {
        label: `${type}.${input} ← ${label}${forged ? ' (forged)' : ''}`,
        send: () => (forged ? emulator.submitModal(dan(), { channelId: a.channelId, message: emulator.message(lobby.messageId) }, modalId(type), fields)
          : emulator.submitModal(dan(), opened.get(type)!, modalId(type), fields)),
        says: new RegExp(`^❌ [^]*(?:${says.source})`),
      };
    }));
    await expectAllRefused(cases);
  });

  it('GIVEN each corpus value forged into each select of each modal THEN each is refused naming the field', async () => {
    const cases = SELECTS.flatMap(([type, input, says]) => strings.map(({ label, text }): HostileCase => ({
      label: `${type}.${input} ← ${label} (forged)`,
      send: () => emulator.submitModal(dan(), { channelId: a.channelId, message: emulator.message(lobby.messageId) }, modalId(type), { ...VALID[type], [input]: [text] }),
      says: new RegExp(`^❌ [^]*(?:${says.source})`),
    })));
    await expectAllRefused(cases);
  });
});

describe('(b) slash command options', () => {
  const slash = (user: string, name: string, options: Record<string, string | number>) => () => a.emulator.slash(a.user(user), a.guildId, a.channelId, name, options);
  const ids = [...HOSTILE_PROJECT_IDS.map((id) => ({ label: shown(id), text: id })), ...strings];

  it('GIVEN hostile project ids for /cloud-deploy and /cloud-create-project THEN each is refused: not found, or not a valid id', async () => {
    await expectAllRefused([
      ...ids.map(({ label, text }) => ({ label: `/cloud-deploy project ${label}`, send: slash('dan', 'cloud-deploy', { project: text }), says: /^🔍 Project '[^]*' was not found in this server\.$/ })),
      ...ids.map(({ label, text }) => ({
        label: `/cloud-create-project project_id ${label}`, send: slash('alice', 'cloud-create-project', { project_id: text, budget_limit: 10.5, provider: 'sandbox' }),
        says: /^❌ [^]*project_id '[^]*' must be 3-40 characters: lowercase letters, digits and hyphens/,
      })),
    ]);
  });

  it('GIVEN hostile /cloud-quota lists and limits THEN each is refused naming the option', async () => {
    await expectAllRefused([
      ...strings.map(({ label, text }) => ({ label: `allowed_regions ${label}`, send: slash('alice', 'cloud-quota', { project: 'target', allowed_regions: text }), says: /^❌ [^]*allowed_regions: '[^]*' is not a Sandbox region/ })),
      ...strings.map(({ label, text }) => ({ label: `allowed_machine_types ${label}`, send: slash('alice', 'cloud-quota', { project: 'target', allowed_machine_types: text }), says: /^❌ [^]*allowed_machine_types: '[^]*' is not a Sandbox machine type/ })),
      ...[-1, 0, 1e308].map((n) => ({ label: `max_resources ${n}`, send: slash('alice', 'cloud-quota', { project: 'target', max_resources: n }), says: /^❌ [^]*max_resources must be a whole number from 1 to 1000/ })),
      ...[-1, 1e308].map((n) => ({ label: `max_monthly_cost ${n}`, send: slash('alice', 'cloud-quota', { project: 'target', max_monthly_cost: n + 0.5 }), says: /^❌ [^]*max_monthly_cost must be a number of US dollars/ })),
    ]);
  });

  it('GIVEN a 100 KB (or too short) /cloud-unlock reason THEN it is refused and nothing is audited', async () => {
    await expectAllRefused(['a'.repeat(100_000), 'b'.repeat(501), 'no', '  \n\t '].map((reason) => ({
      label: `reason ${shown(reason)} (${reason.length})`, send: slash('alice', 'cloud-unlock', { project: 'target', reason }), says: /^❌ [^]*reason must say why, in 3 to 500 characters/,
    })));
    expect((await queryAudit(db.sql, { eventType: 'lock_force_released' }))).toEqual([]);
  });

  it('GIVEN hostile tag names, diff refs and rollback commits THEN each is refused privately and git is untouched', async () => {
    // Plain names such as 'NaN' or '10.5' are valid tag names; the rest of the corpus is not.
    const tags = strings.filter(({ text }) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text));
    const refOrMissing = /^(❌ [^]*is not a valid commit reference|🔍 commit '[^]*' is not in project target's history|🔍 '[^]*' is not a tag of project target)/;
    await expectAllRefused([
      ...tags.map(({ label, text }) => ({ label: `/cloud-git-tag tag ${label}`, send: slash('dan', 'cloud-git-tag', { project: 'target', tag: text }), says: /^❌ [^]*tag [^]* is not valid/ })),
      ...strings.map(({ label, text }) => ({ label: `/cloud-git-diff from ${label}`, send: slash('dan', 'cloud-git-diff', { project: 'target', from: text }), says: refOrMissing })),
      ...strings.map(({ label, text }) => ({ label: `/cloud-git-diff to ${label}`, send: slash('dan', 'cloud-git-diff', { project: 'target', from: 'HEAD', to: text }), says: refOrMissing })),
      ...strings.map(({ label, text }) => ({ label: `/cloud-rollback commit ${label}`, send: slash('alice', 'cloud-rollback', { project: 'target', commit: text }), says: refOrMissing })),
    ]);
    expect(git('tag', '--list')).toBe('');
    expect(git('rev-list', '--all')).toBe(before.commits);
  });
});

describe('(c) spreadsheet cells', () => {
  const COLUMNS = [...new Set(['type', 'name', ...HOSTILE_TARGETS.map((t) => t.field), 'ports', 'source_ranges'])];
  const cell = (v: unknown) => `"${typed(v).replace(/"/g, '""')}"`;

  /** One CSV per corpus value: a row per hostile target (type, field), each otherwise valid. */
  function hostileCsv(value: unknown): string {
    const rows = HOSTILE_TARGETS.map(({ type, field }, i) => {
      const row: Record<string, unknown> = { ...BASE_FIELDS[type], name: `probe-${i}`, [field]: value };
      return COLUMNS.map((c) => (row[c] === undefined ? '' : cell(row[c]))).join(',');
    });
    return [COLUMNS.join(','), ...rows].join('\r\n');
  }

  it('GIVEN a CSV per corpus value, with the value in every targeted cell THEN each import is refused counting every bad cell, and opens no lobby', async () => {
    const file = (value: unknown, i: number) => emulator.attachment(`hostile-${i}.csv`, hostileCsv(value));
    await expectAllRefused(HOSTILE_VALUES.map(([label, value], i) => ({
      label: `/cloud-import ${label}`,
      send: () => emulator.slash(dan(), a.guildId, a.channelId, 'cloud-import', { project: 'target', file: file(value, i) }),
      // Fifteen targeted cells, some breaking two rules: at least 15 problems, listed from row 2.
      says: new RegExp(`^❌ hostile-${i}\\.csv: (it is a binary file, not CSV text$|(1[5-9]|[2-9]\\d) problems; nothing was imported\\n• Row 2, )`),
    })));
  });
});

describe('(c2) hostile files as attachments', () => {
  it('GIVEN a workbook hiding a worksheet part, JSON nested 100,000 levels, null, and prototype names THEN each import is refused privately and opens no lobby', async () => {
    const parts = [...unzipBounded(await template('sandbox'))].map(([name, data]) => ({ name, data }));
    const merged = Buffer.from('<worksheet><sheetData/><mergeCells><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>');
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const files: Array<[string, string | Buffer, RegExp]> = [
      ['hidden.xlsx', zip([...parts, { name: 'evil/xl/worksheets/sheet9.xml', data: merged }]), /^❌ hidden\.xlsx: it cannot be read as an Excel workbook \(\.xlsx\): 'evil\/xl\/worksheets\/sheet9\.xml' is not where a workbook keeps that part/],
      ['deep.json', `[{"type":"compute_vm","name":${deep}}]`, /^❌ resources\[0\]: name is nested more than 8 levels deep/],
      ['null.json', 'null', /^❌ null\.json: it must hold a JSON array of resources/],
      ['proto.json', '[{"type":"compute_vm","name":"web-9","machine_type":"__proto__"}]', /^❌ resources\[0\] \(web-9\): machine_type '__proto__' is not a Sandbox machine type/],
    ];
    await expectAllRefused(files.map(([name, content, says]) => ({
      label: `/cloud-import ${name}`,
      send: () => emulator.slash(dan(), a.guildId, a.channelId, 'cloud-import', { project: 'target', file: emulator.attachment(name, content) }),
      says,
    })));
  });

  it('GIVEN Discord failing to hand over the attachment THEN the member is told to upload it again, not that something broke', async () => {
    emulator.faults.serverError('GET /attachments/:channelId/:attachmentId/:filename', { count: 1, status: 503 });
    await expectAllRefused([{
      label: '/cloud-import with the CDN answering 503',
      send: () => emulator.slash(dan(), a.guildId, a.channelId, 'cloud-import', { project: 'target', file: emulator.attachment('ok.csv', 'type,name\ncompute_vm,web-9\n') }),
      says: /^📡 file: Discord did not hand over the attachment \(HTTP 503\); upload it again$/,
    }]);
  });
});

describe('(d) payloads no honest client sends', () => {
  it('GIVEN garbled, unknown or mistyped custom ids on an old message THEN each click is told the control is no longer supported', async () => {
    const sid = lobby.sessionId;
    const garbled = [
      'garbage', '💥', 'v1', 'v1:', 'v1:approve', 'v1:approve:', `v2:approve:${sid}`, `v0:plan:${sid}`, `v1:nope:${sid}`, `V1:approve:${sid}`,
      `v1:approve:${sid}:extra:more`, `v1:approve:../../etc/passwd`, `v1:approve:${sid};rm`, `v1:approve:${'x'.repeat(80)}`, `v1:add:${sid}:../..`,
      `v1:modal:${sid}:compute_vm`, `v1:rmsel:${sid}`, `v1:type:${sid}`, `v1:approve:${sid} `, `v1:approve:${sid}\n`,
    ];
    const message = await leftoverMessage(emulator, a.channelId, buttonRows(garbled));
    await expectAllRefused(garbled.map((id) => ({
      label: `button ${shown(id)}`, send: () => emulator.clickButton(alice(), message, id), says: /^This control is no longer supported\. Open a new lobby with \/cloud-deploy\.$/,
    })));
  });

  it('GIVEN custom ids naming a session of another guild THEN every action says the session does not exist, and that session is untouched', async () => {
    const actions = ['add', 'rm', 'plan', 'approve', 'override', 'cancel'];
    const inA = await leftoverMessage(emulator, a.channelId, buttonRows(actions.map((x) => `v1:${x}:${foreign.sessionId}`)));
    const inB = await leftoverMessage(emulator, b.channelId, buttonRows(actions.map((x) => `v1:${x}:${lobby.sessionId}`)));
    await expectAllRefused([
      ...actions.map((x) => ({ label: `guild A admin clicks ${x} of guild B's session`, send: () => emulator.clickButton(alice(), inA, `v1:${x}:${foreign.sessionId}`), says: /^🔍 This deployment session no longer exists\.$/ })),
      ...actions.map((x) => ({ label: `guild B admin clicks ${x} of guild A's session`, send: () => emulator.clickButton(b.user('mallory'), inB, `v1:${x}:${lobby.sessionId}`), says: /^🔍 This deployment session no longer exists\.$/ })),
    ]);
    expect(db.value('SELECT state FROM sessions WHERE id = ?', foreign.sessionId)).toBe('DRAFT');
  });

  it('GIVEN an admin of guild B, a mere member of guild A, clicking guild A\'s lobby THEN each action is refused', async () => {
    await expectAllRefused(['add', 'rm', 'plan', 'cancel'].map((x) => ({
      label: `mallory clicks ${x}`, send: () => a.click('mallory', lobby, x), says: /^🚫 Only the session owner or a project admin/,
    })));
  });

  it('GIVEN modal submits and selects for sessions that do not exist, belong elsewhere, or name no resource type THEN each is refused', async () => {
    const vm: ModalFields = { name: 'probe', machine_type: ['small'], disk: '10' };
    const submit = (customId: string, fields: ModalFields = vm) => () => emulator.submitModal(dan(), { channelId: a.channelId }, customId, fields);
    const selects = await leftoverMessage(emulator, a.channelId, [
      { type: 1, components: [{ type: 3, custom_id: `v1:type:${lobby.sessionId}`, options: [{ label: 'nuke', value: 'nuke' }, { label: 'traversal', value: '../../etc' }] }] },
      { type: 1, components: [{ type: 3, custom_id: `v1:rmsel:${lobby.sessionId}`, options: [{ label: 'x', value: '../../../etc/passwd' }, { label: 'y', value: 'web-1\u0000' }] }] },
      { type: 1, components: [{ type: 3, custom_id: `v1:region:${lobby.sessionId}:compute_vm`, options: [{ label: 'mars', value: 'mars-1' }, { label: 'proto', value: '__proto__' }] }] },
      { type: 1, components: [{ type: 3, custom_id: `v1:zone:${lobby.sessionId}:compute_vm.local`, options: [{ label: 'z', value: 'local-z' }] }] },
      { type: 1, components: [{ type: 3, custom_id: `v1:dir:${lobby.sessionId}:firewall_rule.local`, options: [{ label: 'd', value: 'sideways' }] }] },
    ]);
    const editSelect = await leftoverMessage(emulator, a.channelId, [
      { type: 1, components: [{ type: 3, custom_id: `v1:edsel:${lobby.sessionId}`, options: [{ label: 'x', value: '../../../etc/passwd' }] }] },
    ]);
    const pageButton = await leftoverMessage(emulator, a.channelId, [{ type: 1, components: [{ type: 2, style: 2, label: 'next', custom_id: `v1:rpage:${lobby.sessionId}:warp_drive.1n` }] }]);
    const editButtons = [
      `v1:keep:${lobby.sessionId}:compute_vm-0123456789.local.local-a`, `v1:keep:${lobby.sessionId}:compute_vm-nothex.local.local-a`,
      `v1:retry:${lobby.sessionId}:00000000-0000-4000-8000-000000000000`, `v1:pick:${lobby.sessionId}:nuke.1n`, `v1:modal:${lobby.sessionId}:compute_vm-0123456789.local.local-a`,
    ];
    const edits = await leftoverMessage(emulator, a.channelId, buttonRows(editButtons.slice(0, 4)));
    const click = (customId: string) => () => emulator.clickButton(dan(), edits, customId);
    const select = (customId: string, value: string) => () => emulator.selectMenu(dan(), selects, customId, [value]);
    await expectAllRefused([
      { label: 'modal for an unknown session', send: submit('v1:modal:00000000-0000-4000-8000-000000000000:compute_vm'), says: /^🔍 This deployment session no longer exists\.$/ },
      { label: 'modal for another guild\'s session', send: submit(`v1:modal:${foreign.sessionId}:compute_vm`), says: /^🔍 This deployment session no longer exists\.$/ },
      { label: 'modal naming no resource type', send: submit(`v1:modal:${lobby.sessionId}:warp_drive`), says: /^❌ [^]*type must be one of compute_vm/ },
      { label: 'modal with a traversal for a type', send: submit(`v1:modal:${lobby.sessionId}:..`), says: /^❌ [^]*type must be one of compute_vm/ },
      { label: 'modal without its resource type', send: submit(`v1:modal:${lobby.sessionId}`), says: /^❌ [^]*type must be one of compute_vm/ },
      { label: 'modal whose fields are all missing', send: submit(`v1:modal:${lobby.sessionId}:compute_vm`, {}), says: /^❌ [^]*name/ },
      { label: 'type select with a type that is not offered', send: select(`v1:type:${lobby.sessionId}`, 'nuke'), says: /^❌ [^]*type must be one of compute_vm/ },
      { label: 'type select with a traversal', send: select(`v1:type:${lobby.sessionId}`, '../../etc'), says: /^❌ [^]*type must be one of compute_vm/ },
      { label: 'modal placed in a region the cloud does not have', send: submit(`v1:modal:${lobby.sessionId}:compute_vm.mars-1.local-a`), says: /^❌ region 'mars-1' is not a Sandbox region/ },
      { label: 'modal placed in another region\'s zone', send: submit(`v1:modal:${lobby.sessionId}:compute_vm.local.eu-west-1a`), says: /^❌ 'eu-west-1a' is not a choice here; use one of local-a, local-b$/ },
      { label: 'region select with a region that is not offered', send: select(`v1:region:${lobby.sessionId}:compute_vm`, 'mars-1'), says: /^❌ region 'mars-1' is not a Sandbox region/ },
      { label: 'region select with a prototype name', send: select(`v1:region:${lobby.sessionId}:compute_vm`, '__proto__'), says: /^❌ region '__proto__' is not a Sandbox region/ },
      { label: 'zone select with a zone not in the region', send: select(`v1:zone:${lobby.sessionId}:compute_vm.local`, 'local-z'), says: /^❌ 'local-z' is not a choice here/ },
      { label: 'direction select with no direction', send: select(`v1:dir:${lobby.sessionId}:firewall_rule.local`, 'sideways'), says: /^❌ 'sideways' is not a choice here; use one of ingress, egress$/ },
      { label: 'page button naming no type', send: () => emulator.clickButton(dan(), pageButton, `v1:rpage:${lobby.sessionId}:warp_drive.1n`), says: /^❌ this page button is no longer valid/ },
      { label: 'remove select naming a path', send: select(`v1:rmsel:${lobby.sessionId}`, '../../../etc/passwd'), says: /^🔍 No resource named '\.\.\/\.\.\/\.\.\/etc\/passwd' in this session\.$/ },
      { label: 'remove select with a NUL byte', send: select(`v1:rmsel:${lobby.sessionId}`, 'web-1\u0000'), says: /^🔍 No resource named 'web-1\u0000' in this session\.$/ },
      { label: 'edit select naming a path', send: () => emulator.selectMenu(dan(), editSelect, `v1:edsel:${lobby.sessionId}`, ['../../../etc/passwd']), says: /^🔍 No resource named '\.\.\/\.\.\/\.\.\/etc\/passwd' in this session\.$/ },
      { label: 'keep button for a resource that is not there', send: click(editButtons[0]!), says: /^🔍 The resource being edited is no longer in this session/ },
      { label: 'keep button with a forged reference', send: click(editButtons[1]!), says: /^❌ this control is no longer valid/ },
      { label: 'edit and retry for a draft that was never kept', send: click(editButtons[2]!), says: /^🔍 What you typed into that form is no longer kept/ },
      { label: 'resource page button for no purpose', send: click(editButtons[3]!), says: /^❌ this page button is no longer valid/ },
      { label: 'edit modal for a resource that is not there', send: submit(editButtons[4]!), says: /^🔍 The resource being edited is no longer in this session/ },
    ]);
  });

  it('GIVEN guild-only commands and buttons used in a DM THEN each says Cloud Engine works inside a server', async () => {
    const dm = emulator.state.openDm(alice()).id;
    const message = await leftoverMessage(emulator, dm, buttonRows([`v1:approve:${lobby.sessionId}`, `v1:cancel:${lobby.sessionId}`]));
    const commands: Array<[string, Record<string, string | number>]> = [
      ['cloud-deploy', { project: 'target' }], ['cloud-create-project', { project_id: 'from-dm', budget_limit: 10.5 }], ['cloud-unlock', { project: 'target', reason: 'from a DM' }],
      ['cloud-quota', { project: 'target', max_resources: 1 }], ['cloud-sessions', {}], ['cloud-audit', {}], ['cloud-git-tag', { project: 'target', tag: 'dm' }],
      ['cloud-rollback', { project: 'target', commit: 'HEAD' }], ['cloud-cost', { project: 'target' }], ['cloud-template', {}],
    ];
    await expectAllRefused([
      ...commands.map(([name, options]) => ({ label: `/${name} in a DM`, send: () => emulator.slash(alice(), null, dm, name, options), says: /^Cloud Engine works inside a server, not in DMs\.$/ })),
      ...['approve', 'cancel'].map((x) => ({ label: `${x} button in a DM`, send: () => emulator.clickButton(alice(), message, `v1:${x}:${lobby.sessionId}`), says: /^Cloud Engine works inside a server, not in DMs\.$/ })),
    ]);
  });
});

describe('after every case', () => {
  it(`GIVEN at least 200 hostile cases THEN none ran Terraform, wrote a row, touched the workspace or escaped it`, async () => {
    expect(total).toBeGreaterThanOrEqual(200);
    expect(existsSync('/tmp/ce-pwned')).toBe(false);
    expect(counts()).toEqual(before.counts);
    expect((await listSessionResources(db.sql, lobby.sessionId)).map((s) => s.name)).toEqual(['web-1']);
    expect(db.value('SELECT COUNT(*) FROM plans')).toBe(0);
    expect((await queryAudit(db.sql, { eventType: 'plan_started' }))).toEqual([]);
    expect(tree(dirs.dir)).toEqual(before.tree);
    expect(git('rev-list', '--all')).toBe(before.commits);
    expect(db.value('SELECT state FROM sessions WHERE id = ?', lobby.sessionId)).toBe('DRAFT');
  });
});

describe('a project name two servers both want', () => {
  it("GIVEN guild B's admin creating `target`, the name guild A uses THEN B gets its own project and lobby, and A's is untouched", async () => {
    expect(await b.command('mallory', 'cloud-create-project', { project_id: 'target', budget_limit: 10.5, provider: 'sandbox' })).toContain('Project **target** created');
    const theirs = await b.openLobby('mallory', 'target');
    expect(db.rows('SELECT id, guild_id FROM projects WHERE name = ? ORDER BY id', 'target')).toEqual(
      [{ id: `${a.guildId}/target`, guild_id: a.guildId }, { id: `${b.guildId}/target`, guild_id: b.guildId }].sort((x, y) => x.id.localeCompare(y.id)));
    expect(db.value('SELECT project_id FROM sessions WHERE id = ?', theirs.sessionId)).toBe(`${b.guildId}/target`);
    expect(db.value('SELECT project_id FROM sessions WHERE id = ?', lobby.sessionId)).toBe(`${a.guildId}/target`);
    // Guild A's project: same members, same repository, its session still its own draft.
    expect(db.rows('SELECT user_id, role FROM project_members WHERE project_id = ? ORDER BY role', `${a.guildId}/target`)).toHaveLength(2);
    expect(git('rev-list', '--all')).toBe(before.commits);
    expect(db.value('SELECT state FROM sessions WHERE id = ?', lobby.sessionId)).toBe('DRAFT');
  });
});
