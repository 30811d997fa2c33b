/**
 * The bot's life as a process: start-up errors an operator can act on, command registration as
 * its own script, a restart between plan and approve, a clean SIGTERM during an apply, a crash
 * during an apply, and an admin's budget override. Every bot is `node bin/bot.js`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, startEmulator, type Emulator } from '../emulator/index.js';
import { botDirs, REPO_ROOT, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { answer, Callback, contentOf, Driver, isEphemeral, textOf, type Lobby } from './helpers/driver.js';
import { boardIn } from './helpers/stream.js';

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;

beforeAll(async () => {
  emulator = await startEmulator({
    guilds: [{
      name: 'Ops',
      roles: [{ name: 'Admin', permissions: Permission.Administrator }],
      channels: [{ name: 'infra' }],
      members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }, { username: 'ann' }],
    }],
  });
  const guild = emulator.state.guildByName('Ops');
  d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'infra').id);
  dirs = botDirs(emulator, guild.id);
  bot = await startReadyBot(emulator, dirs.env);
  await Promise.all(([['ops', 1000], ['slow', 1000], ['crash', 1000], ['lab', 1], ['halt', 1000]] as const).map(async ([project, budget]) => {
    await d.command('alice', 'cloud-create-project', { project_id: project, budget_limit: budget, provider: 'sandbox' });
    await d.command('alice', 'cloud-grant', { user: d.user('dan'), project, role: 'deployer' });
    await d.command('alice', 'cloud-grant', { user: d.user('ann'), project, role: 'approver' });
  }));
});

afterAll(async () => {
  await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
});

async function plannedLobby(project: string, vm: Record<string, string | string[]>): Promise<Lobby> {
  const lobby = await d.openLobby('dan', project);
  await d.addResource('dan', lobby, 'compute_vm', { machine_type: ['small'], disk: '10', ...vm }, { zone: 'local-a' });
  await d.lobbyUntil(lobby, (t) => t.includes(`**${String(vm.name)}**`));
  await d.press('dan', lobby, 'plan');
  await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan: 1 to add'));
  return lobby;
}

async function threadOf(lobby: Lobby): Promise<string> {
  const call = await emulator.waitFor((c) => c.method === 'POST' && c.path.endsWith(`/messages/${lobby.messageId}/threads`), 10_000);
  return (call.response as { id: string }).id;
}

const threadText = (threadId: string) => d.messagesIn(threadId).map(textOf);

describe('start-up', () => {
  /** Runs a bin script to completion without blocking the emulator, which lives in this process. */
  const run = (script: string, env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(REPO_ROOT, script)], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) =>
        resolve({ status: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });

  it('GIVEN no DISCORD_TOKEN THEN exits 78 with one line that says what to set, no stack', async () => {
    const res = await run('bin/bot.js', { DATABASE_PATH: join(dirs.dir, 'unused.db') });
    expect(res.status).toBe(78);
    expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^cloud-engine: DISCORD_TOKEN is not set\. Set it to your bot's token/)]);
  });

  it('GIVEN Terraform missing THEN exits 78 naming TERRAFORM_BIN', async () => {
    const res = await run('bin/bot.js', { ...dirs.env, TERRAFORM_BIN: '/nonexistent/terraform' });
    expect(res.status).toBe(78);
    expect(res.stderr).toMatch(/^cloud-engine: Terraform was not found at '\/nonexistent\/terraform'.*set TERRAFORM_BIN\.\n$/);
  });

  it('GIVEN npm run register-commands THEN the commands are registered to the guild without starting the bot', async () => {
    const mark = emulator.calls.length;
    const res = await run('bin/register-commands.js', dirs.env);
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(`Registered 25 slash commands to guild ${d.guildId}.\n`);
    const put = emulator.calls.slice(mark).find((c) => c.method === 'PUT');
    expect(put?.path).toBe(`/applications/${emulator.botUser.id}/guilds/${d.guildId}/commands`);
  });
});

describe('restarts and shutdowns', () => {
  it('GIVEN the bot restarts between plan and approve THEN Approve on the old lobby message still deploys', async () => {
    const lobby = await plannedLobby('ops', { name: 'web-1' });
    expect(await bot.stop()).toBe(0);
    bot = await startReadyBot(emulator, dirs.env);
    expect((await d.press('ann', lobby, 'approve')).type).toBe(Callback.deferUpdate);
    const threadId = await threadOf(lobby);
    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'));
    expect(threadText(threadId).at(-1)).toContain('✅ **Apply complete** · 1 created');
  });

  it('GIVEN SIGTERM during an apply THEN Terraform is interrupted safely, the thread gets a final message and the process exits 0', async () => {
    const lobby = await plannedLobby('slow', { name: 'slow-1', boot_seconds: '60' });
    await d.press('ann', lobby, 'approve');
    const threadId = await threadOf(lobby);
    await emulator.waitFor(() => threadText(threadId).some((t) => t.includes('`terraform_data.slow-1` · creating')), 15_000);
    const code = await bot.stop('SIGTERM');
    expect(code, bot.output().slice(-3000)).toBe(0);
    expect(threadText(threadId).at(-1)).toMatch(/^⏹️ \*\*Apply interrupted\*\*/);
    const board = boardIn(d.messagesIn(threadId))!;
    // Terraform reports the interrupted boot as an error on the resource: the board and an error message say so.
    expect([board.status, board.lines]).toEqual(['interrupted', ['❌ `terraform_data.slow-1` · failed']]);
    expect(threadText(threadId).filter((t) => t.startsWith('❌ **Terraform reported an error** on `terraform_data.slow-1`'))).toHaveLength(1);
    expect(d.lobbyText(lobby)).toContain('INTERRUPTED');
    bot = await startReadyBot(emulator, dirs.env);
  });

  it('GIVEN a crash during an apply THEN the next start marks it INTERRUPTED and says so in its thread', async () => {
    const lobby = await plannedLobby('crash', { name: 'slow-2', boot_seconds: '60' });
    await d.press('ann', lobby, 'approve');
    const threadId = await threadOf(lobby);
    await emulator.waitFor(() => threadText(threadId).some((t) => t.includes('`terraform_data.slow-2` · creating')), 15_000);
    await bot.crash();
    bot = await startReadyBot(emulator, dirs.env);
    await d.lobbyUntil(lobby, (t) => t.includes('INTERRUPTED'));
    await emulator.waitFor(() => threadText(threadId).at(-1)?.includes('The process running this apply stopped (crash, kill or restart') === true, 10_000);
    // The board the dead process left showing "creating" says it stopped.
    expect(boardIn(d.messagesIn(threadId))!.status).toBe('interrupted');
  });
});

describe('budget override', () => {
  it('GIVEN a plan over budget THEN an approver is refused and an admin approves with an audited override', async () => {
    const lobby = await plannedLobby('lab', { name: 'pricey' });
    expect(d.lobbyText(lobby)).toMatch(/🚫 \$[\d.]+ over the \$1\.00 budget/);
    const refused = await d.press('ann', lobby, 'approve');
    expect(isEphemeral(refused)).toBeTruthy();
    expect(contentOf(refused)).toContain('exceeds the $1.00 budget');
    expect(refused.data?.components).toEqual([]);
    const offered = d.click('alice', lobby, 'approve');
    expect(contentOf(await answer(offered))).toContain('As a project admin you may approve anyway');
    const confirm = emulator.clickButton(d.user('alice'), offered.originalMessage()!, `v1:override:${lobby.sessionId}`);
    expect(contentOf(await answer(confirm))).toContain('Approved with a budget override');
    const threadId = await threadOf(lobby);
    await d.lobbyUntil(lobby, (t) => t.includes('APPLIED') && t.includes(`💸 Budget override by <@${d.user('alice')}>`));
    expect(threadText(threadId).at(-1)).toContain('✅ **Apply complete**');
    const audit = await d.command('alice', 'cloud-audit', { project: 'lab', event: 'budget_override' });
    expect(audit).toContain('budget_override by alice on lab/');
  });
});

describe('review settings, stopping an apply and the audit export, from Discord', () => {
  it('GIVEN a project admin THEN /cloud-settings shows and changes the review rules, which an approver cannot', async () => {
    expect(await d.command('alice', 'cloud-settings', { project: 'halt' })).toContain('• Self-approval: off');
    expect(await d.command('alice', 'cloud-settings', { project: 'halt', self_approval: true })).toContain('• Self-approval: on — a deployer may approve their own low-risk plan');
    expect(await d.command('ann', 'cloud-settings', { project: 'halt', auto_tag: true })).toMatch(/^🚫 /);
    expect(await d.command('alice', 'cloud-settings', { project: 'halt' })).toContain('• Auto-tag: off');
  });

  it('GIVEN labels: THEN /cloud-settings sets the labels every resource of the project carries, refuses bad ones naming labels, and labels: none clears them', async () => {
    expect(await d.command('alice', 'cloud-settings', { project: 'halt' })).toContain('• Labels on every resource: none');
    expect(await d.command('alice', 'cloud-settings', { project: 'halt', labels: 'owner=web, environment=prod' }))
      .toContain("• Labels on every resource: `environment=prod, owner=web` — a resource's own label wins");
    const refused = await d.command('alice', 'cloud-settings', { project: 'halt', labels: 'owner=Web Team' });
    expect(refused).toMatch(/^❌ /);
    expect(refused).toContain("labels: value 'Web Team' of 'owner' must be 0-63 characters: lowercase letters, digits, _ and -");
    expect(await d.command('ann', 'cloud-settings', { project: 'halt', labels: 'owner=ann' })).toMatch(/^🚫 /);
    expect(await d.command('ann', 'cloud-settings', { project: 'halt' })).toContain('• Labels on every resource: `environment=prod, owner=web`');
    expect(await d.command('alice', 'cloud-settings', { project: 'halt', labels: 'none' })).toContain('• Labels on every resource: none');
  });

  it('GIVEN an apply running THEN /cloud-stop from its owner interrupts it: the thread and the lobby say INTERRUPTED; with nothing running it says so', async () => {
    expect(await d.command('dan', 'cloud-stop', { project: 'halt' })).toMatch(/^⚠️ No apply is running in project halt/);
    const lobby = await plannedLobby('halt', { name: 'slow-3', boot_seconds: '60' });
    await d.press('ann', lobby, 'approve');
    const threadId = await threadOf(lobby);
    await emulator.waitFor(() => threadText(threadId).some((t) => t.includes('`terraform_data.slow-3` · creating')), 15_000);
    expect(await d.command('dan', 'cloud-stop', { project: 'halt' })).toMatch(new RegExp(`^🛑 <@${d.user('dan')}> asked the apply of session \`${lobby.sessionId.slice(0, 8)}\` in \\*\\*halt\\*\\* to stop`));
    await d.lobbyUntil(lobby, (t) => t.includes('INTERRUPTED'));
    await emulator.waitFor(() => /^⏹️ \*\*Apply interrupted\*\*/.test(threadText(threadId).at(-1) ?? ''), 15_000);
  });

  it('GIVEN /cloud-audit with export THEN every matching event comes back as one CSV attachment, the export itself recorded', async () => {
    const { handle } = await d.slash('alice', 'cloud-audit', { project: 'halt', export: true });
    await handle.waitFor((c) => c.method === 'PATCH', 30_000);
    const message = handle.originalMessage()!;
    expect(textOf(message)).toMatch(/^📜 \d+ audit event\(s\), newest first\.$/);
    const csv = (await (await fetch(message.attachments[0]!.url)).text()).split('\r\n').filter(Boolean);
    expect(csv[0]).toMatch(/^id,timestamp,event_type,/);
    expect(csv.map((l) => l.split(',')[2])).toEqual(expect.arrayContaining(['audit_exported', 'settings_updated', 'apply_cancel_requested', 'project_created']));
    expect(csv).toHaveLength(Number(/^📜 (\d+)/.exec(textOf(message))![1]) + 1);
  });
});
