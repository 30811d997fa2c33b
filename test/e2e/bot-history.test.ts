/**
 * A project's history through the bot: two deployments (opened from imported files), then
 * /cloud-git-log, /cloud-stats, /cloud-git-tag, /cloud-git-diff (between two commits, and from one to the latest) and
 * /cloud-git-remote with a push, and /cloud-drift once the sandbox cloud changed out of band. Files themselves (template, refusals, export) are covered by sheets.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadImage } from '@napi-rs/canvas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, startEmulator, type Emulator } from '../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { Driver, type Lobby } from './helpers/driver.js';
import { threadOf } from './helpers/lobbies.js';
import { REPO_ROOT } from '../helpers/app.js';

let emulator: Emulator;
let dirs: BotDirs;
let bot: BotProcess;
let d: Driver;
let gitConfig: string;
let remote: string;
const REMOTE_URL = 'https://git.example.test/acme/data.git';

beforeAll(async () => {
  emulator = await startEmulator({
    guilds: [{
      name: 'History', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'infra' }],
      members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'ann' }],
    }],
  });
  const guild = emulator.state.guildByName('History');
  d = new Driver(emulator, guild.id, emulator.state.channelByName(guild.id, 'infra').id);
  // The operator's git config sends the project's https remote to a local bare repository (no server here).
  gitConfig = mkdtempSync(join(tmpdir(), 'ce-gitconfig-'));
  remote = join(gitConfig, 'remote.git');
  execFileSync('git', ['init', '--bare', '-q', remote]);
  mkdirSync(join(gitConfig, 'git'));
  writeFileSync(join(gitConfig, 'git', 'config'), `[url "${remote}"]\n\tinsteadOf = ${REMOTE_URL}\n`);
  dirs = botDirs(emulator, guild.id, { XDG_CONFIG_HOME: gitConfig });
  bot = await startReadyBot(emulator, dirs.env);
  await d.command('alice', 'cloud-create-project', { project_id: 'data', budget_limit: 1000, provider: 'sandbox' });
  // Risk tiers are bot-policy.test.ts's subject: here every tier needs one approver, as before tiers.
  expect(await d.command('alice', 'cloud-settings', { project: 'data', approvals: '1/1/1' })).toContain('1/1/1');
  await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'data', role: 'approver' });
});

afterAll(async () => {
  await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
  if (gitConfig) rmSync(gitConfig, { recursive: true, force: true });
});

/** Imports `resources` into a new lobby, plans it and has ann approve it; returns the apply's thread. */
async function deploy(resources: object[]): Promise<string> {
  await d.command('alice', 'cloud-import', { project: 'data', file: emulator.attachment('resources.json', JSON.stringify(resources)) });
  const message = d.messagesIn(d.channelId).filter((m) => m.embeds.length && m.components.length).at(-1)!;
  const lobby: Lobby = { messageId: message.id, sessionId: String((message.components[0]!.components as Array<{ custom_id: string }>)[0]!.custom_id).split(':')[2]! };
  await d.press('alice', lobby, 'plan');
  await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan:'));
  await d.press('ann', lobby, 'approve');
  await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'));
  return threadOf(emulator, lobby);
}

describe('history', () => {
  let latest = '';
  let first = '';

  it('GIVEN two deployments alice wrote and ann approved THEN /cloud-git-log lists them newest first with their author, approver and what they did', async () => {
    await deploy([{ type: 'compute_vm', name: 'web-1', machine_type: 'small' }, { type: 'storage_bucket', name: 'logs', storage_gb: 10 }]);
    await deploy([{ type: 'compute_vm', name: 'web-1', machine_type: 'large' }]);
    const deployments = (await d.command('alice', 'cloud-git-log', { project: 'data' })).split('\n').filter((l) => l.includes('✅'));
    expect(deployments).toEqual([
      expect.stringMatching(/\*\*alice\*\* — Deploy 1 resources via session \w+ \(alice\) · approved by \*\*ann\*\*.* · ✅ \+0 ~1 -1$/),
      expect.stringMatching(/\*\*alice\*\* — Deploy 2 resources via session \w+ \(alice\) · approved by \*\*ann\*\*.* · ✅ \+2 ~0 -0$/),
    ]);
    [latest = '', first = ''] = deployments.map((l) => /`([0-9a-f]{7})`/.exec(l)![1]!);
  });

  it('GIVEN those deployments THEN /cloud-stats credits their author as top deployer, not the approver, and attaches the chart as a PNG', async () => {
    const { handle } = await d.slash('alice', 'cloud-stats', { days: 7 });
    await handle.waitFor((c) => c.method === 'PATCH', 30_000);
    const message = handle.originalMessage()!;
    const embed = message.embeds[0] as { fields: Array<{ name: string; value: string }>; image: { url: string } };
    expect(embed.fields.find((f) => f.name === 'Top deployers')?.value).toBe(`1. <@${d.user('alice')}> · 2`);
    expect(embed.image.url).toBe('attachment://deployments.png');
    expect(message.attachments.map((a) => a.filename)).toEqual(['deployments.png']);
    const chart = await loadImage(Buffer.from(await (await fetch(message.attachments[0]!.url)).arrayBuffer()));
    expect({ width: chart.width, height: chart.height }).toEqual({ width: 1760, height: 1200 });
  });

  it('GIVEN a tag on the first deployment THEN /cloud-git-diff from it shows what the second changed', async () => {
    expect(await d.command('alice', 'cloud-git-tag', { project: 'data', tag: 'v1.0.0', commit: first })).toBe(`🏷️ **data**: tagged \`${first}\` as **v1.0.0**.`);
    const diff = await d.command('alice', 'cloud-git-diff', { project: 'data', from: 'v1.0.0', to: latest });
    expect(diff).toMatch(/^-\s+"?machine_type"?\s*[:=]\s*"small"/m);
    expect(diff).toMatch(/^\+\s+"?machine_type"?\s*[:=]\s*"large"/m);
  });

  it('GIVEN only from THEN /cloud-git-diff compares it with the latest commit, as its help says; a ref that is not a commit reference is refused, naming the option, before git runs', async () => {
    const diff = await d.command('alice', 'cloud-git-diff', { project: 'data', from: first });
    expect(diff).toMatch(new RegExp(`^🔀 \\*\\*data\\*\\* \`${first}\` → \`${latest}\`: \\d+ files? changed`));
    expect(diff).toMatch(/^\+\s+"?machine_type"?\s*[:=]\s*"large"/m);
    expect(await d.command('alice', 'cloud-git-diff', { project: 'data', from: 'v1.0.0' })).toBe(diff);
    expect(await d.command('alice', 'cloud-git-diff', { project: 'data', from: latest })).toMatch(/: 0 files changed\. No differences\.$/);
    const out = join(gitConfig, 'diff-output');
    const hostile: Array<[Record<string, string>, string]> = [
      [{ from: `--output=${out}` }, 'from'], [{ from: first, to: `--output=${out}` }, 'to'], [{ from: `${first}..HEAD` }, 'from'], [{ from: 'HEAD:cloud-engine.json' }, 'from'], [{ from: '-p' }, 'from'],
    ];
    for (const [refs, field] of hostile) {
      expect(await d.command('alice', 'cloud-git-diff', { project: 'data', ...refs }), JSON.stringify(refs)).toMatch(new RegExp(`^❌ ${field}: ".*" is not a valid commit reference: use a commit hash, a tag name, or HEAD`));
    }
    expect(existsSync(out)).toBe(false);
  });

  it('GIVEN /cloud-git-remote with auto_push THEN the history is pushed and the URL is never repeated; a local path or credentials are refused', async () => {
    for (const url of [remote, `file://${remote}`, 'https://deployer:hunter2secret@git.example.test/acme/data.git']) {
      const refused = await d.command('alice', 'cloud-git-remote', { project: 'data', url, auto_push: true });
      expect(refused, url).toMatch(/^❌ the remote URL /);
      expect(refused).not.toContain('hunter2secret');
    }
    const reply = await d.command('alice', 'cloud-git-remote', { project: 'data', url: REMOTE_URL, auto_push: true });
    expect(reply).toBe('🔗 Remote set for **data**. Pushed; every deployment will be pushed too.');
    expect(execFileSync('git', ['--git-dir', remote, 'log', '--oneline', '--all'], { encoding: 'utf8' })).toContain(latest);
  });

  it('GIVEN auto_push and a remote that refuses THEN the deploy thread says the commit was not pushed and why; once it is back the next deploy says it was pushed', async () => {
    const summary = (threadId: string) => d.messagesIn(threadId).map((m) => m.content).at(-1) ?? '';
    rmSync(remote, { recursive: true, force: true });
    const failed = summary(await deploy([{ type: 'compute_vm', name: 'web-1', machine_type: 'medium' }]));
    expect(failed).toMatch(/^✅ \*\*Apply complete\*\*/);
    expect(failed).toMatch(/\n⚠️ \*\*The commit was not pushed\*\* to the project's git remote: .*remote\.git.* It stays in the project's repository; fix the remote/);
    execFileSync('git', ['init', '--bare', '-q', remote]);
    const pushed = summary(await deploy([{ type: 'compute_vm', name: 'web-1', machine_type: 'large' }]));
    expect(pushed).toContain("\n⬆️ Pushed to the project's git remote.");
  });

  it('GIVEN the sandbox cloud changed out of band (cloud-engine sandbox tamper) THEN /cloud-drift shows, privately, the resource and attribute deployed → observed; before that, no drift', async () => {
    const drift = async () => {
      const { handle } = await d.slash('alice', 'cloud-drift', { project: 'data' });
      await handle.waitFor((c) => c.method === 'PATCH', 60_000);
      const message = handle.originalMessage()!;
      expect(message.flags & 64).toBe(64);
      return message.embeds[0] as { title: string; description: string };
    };
    expect((await drift()).title).toBe('No drift in data');
    execFileSync(process.execPath, [join(REPO_ROOT, 'bin', 'cloud-engine.js'), 'sandbox', 'tamper', '--project', 'data', '--resource', 'web-1', '--set', 'machine_type=xlarge'], {
      cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...dirs.env, LOG_LEVEL: 'warn' },
    });
    const found = await drift();
    expect(found.title).toBe('Drift in data: 1 of 1 resource(s)');
    expect(found.description).toContain('**web-1** (compute_vm): changed\n• machine_type: `"large"` → `"xlarge"`');
  });
});
