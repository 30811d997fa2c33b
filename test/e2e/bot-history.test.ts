/**
 * A project's history through the bot: two deployments (opened from imported files), then
 * /cloud-git-log, /cloud-git-tag, /cloud-git-diff (between two commits, and from one to the latest) and
 * /cloud-git-remote with a push. Files themselves (template, refusals, export) are covered by sheets.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, startEmulator, type Emulator } from '../emulator/index.js';
import { botDirs, startReadyBot, type BotDirs, type BotProcess } from './helpers/botProcess.js';
import { Driver, type Lobby } from './helpers/driver.js';

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
  await d.command('alice', 'cloud-grant', { user: d.user('ann'), project: 'data', role: 'approver' });
});

afterAll(async () => {
  await bot?.stop();
  await emulator?.close();
  dirs?.cleanup();
  if (gitConfig) rmSync(gitConfig, { recursive: true, force: true });
});

/** Imports `resources` into a new lobby, plans it and has ann approve it. */
async function deploy(resources: object[]): Promise<void> {
  await d.command('alice', 'cloud-import', { project: 'data', file: emulator.attachment('resources.json', JSON.stringify(resources)) });
  const message = d.messagesIn(d.channelId).filter((m) => m.embeds.length && m.components.length).at(-1)!;
  const lobby: Lobby = { messageId: message.id, sessionId: String((message.components[0]!.components as Array<{ custom_id: string }>)[0]!.custom_id).split(':')[2]! };
  await d.press('alice', lobby, 'plan');
  await d.lobbyUntil(lobby, (t) => t.includes('📋 Plan:'));
  await d.press('ann', lobby, 'approve');
  await d.lobbyUntil(lobby, (t) => t.includes('APPLIED'));
}

describe('history', () => {
  let latest = '';
  let first = '';

  it('GIVEN two deployments THEN /cloud-git-log lists them newest first with who deployed and what it did', async () => {
    await deploy([{ type: 'compute_vm', name: 'web-1', machine_type: 'small' }, { type: 'storage_bucket', name: 'logs', storage_gb: 10 }]);
    await deploy([{ type: 'compute_vm', name: 'web-1', machine_type: 'large' }]);
    const deployments = (await d.command('alice', 'cloud-git-log', { project: 'data' })).split('\n').filter((l) => l.includes('✅'));
    expect(deployments).toEqual([expect.stringMatching(/\*\*ann\*\* — Deploy 1 resources.* · ✅ \+0 ~1 -1$/), expect.stringMatching(/\*\*ann\*\* — Deploy 2 resources.* · ✅ \+2 ~0 -0$/)]);
    [latest = '', first = ''] = deployments.map((l) => /`([0-9a-f]{7})`/.exec(l)![1]!);
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
});
