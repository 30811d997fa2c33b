/**
 * `/cloud-policy` (issue 19), `node bin/bot.js` against the Discord emulator with real SQLite and real git:
 * an admin uploads a pack file as an attachment and it is committed; the list shows its rule; a member who
 * is not an admin, a hostile file and a file over the limit are refused privately and nothing is committed;
 * the rule option of set-level completes the pack's rule ids.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Permission, type Emulator } from '../emulator/index.js';
import { answer, Callback, isEphemeral, textOf, type Driver } from './helpers/driver.js';
import { startBotWorld, type BotWorld } from './helpers/world.js';
import { NO_LARGE_VMS } from '../helpers/packs.js';

let world: BotWorld;
let emulator: Emulator;
let d: Driver;

beforeAll(async () => {
  world = await startBotWorld({
    name: 'Packs', roles: [{ name: 'Admin', permissions: Permission.Administrator }], channels: [{ name: 'deploys' }],
    members: [{ username: 'alice', roles: ['Admin'], owner: true }, { username: 'dan' }],
  }, 'deploys');
  ({ emulator, d } = world);
  expect(await d.command('alice', 'cloud-create-project', { project_id: 'pack', budget_limit: 1000, provider: 'sandbox' })).toContain('created');
  expect(await d.command('alice', 'cloud-grant', { user: d.user('dan'), project: 'pack', role: 'approver' })).toContain('approver');
}, 60_000);

afterAll(async () => expect(await world?.stop()).toBe(0));

const repo = () => join(world.dirs.dir, 'runs', d.guildId, 'pack');
const git = (...args: string[]) => execFileSync('git', ['-C', repo(), ...args], { encoding: 'utf8' }).trim();

/** The bot's private answer to `/cloud-policy <sub>`: deferred ephemerally, then edited. */
async function policy(user: string, sub: string, options: Record<string, unknown>): Promise<string> {
  const { handle, callback } = await d.slash(user, `cloud-policy ${sub}`, options as never);
  expect(callback.type).toBe(Callback.deferReply);
  expect(isEphemeral(callback)).toBeTruthy();
  await handle.waitFor((c) => c.method === 'PATCH', 30_000);
  return textOf(handle.originalMessage());
}

describe('/cloud-policy', () => {
  it('GIVEN an admin attaches a pack file to upload THEN it is committed by them, and the reply says older plans must be planned again', async () => {
    const text = await policy('alice', 'upload', { project: 'pack', file: emulator.attachment('team.yaml', NO_LARGE_VMS) });
    expect(text).toMatch(/📜 Committed `policies\/team\.yaml` \(`no-large-vms`\) in \*\*pack\*\* \(commit `[0-9a-f]{8}`; the pack has \d+ rules now\)/);
    expect(text).toContain('plan them again before approval');
    expect(git('show', 'HEAD:policies/team.yaml')).toBe(NO_LARGE_VMS.trim());
    expect(git('log', '-1', '--format=%an')).toBe(`alice (${d.user('alice')})`);
  });

  it('GIVEN /cloud-policy list THEN the rules show with their level and source, the project file among the defaults', async () => {
    const text = await policy('dan', 'list', { project: 'pack' });
    expect(text).toContain('🛡️ Policy pack of pack');
    expect(text).toMatch(/Files: `policies\/team\.yaml`/);
    expect(text).toContain('⛔ `no-large-vms` · hard-mandatory · resource · `policies/team.yaml`');
    expect(text).toContain('⛔ `public-bucket` · hard-mandatory · resource · default');
  });

  it('GIVEN a member who is not an admin, a rule with a CEL error, or a file over 256 KiB THEN each is refused privately and HEAD does not move', async () => {
    const head = git('rev-parse', 'HEAD');
    expect(await policy('dan', 'upload', { project: 'pack', file: emulator.attachment('mine.yaml', NO_LARGE_VMS.replace('no-large-vms', 'mine')) })).toMatch(/project admin/i);
    const broken = await policy('alice', 'upload', { project: 'pack', file: emulator.attachment('broken.yaml', NO_LARGE_VMS.replace('"large"', '"large" &&')) });
    expect(broken).toMatch(/❌ policies\/broken\.yaml, rule 'no-large-vms' \(rules\[0\]\): expression is not valid CEL/);
    const big = await policy('alice', 'upload', { project: 'pack', file: emulator.attachment('big.yaml', `# ${'x'.repeat(300 * 1024)}\n${NO_LARGE_VMS}`) });
    expect(big).toMatch(/❌ file: it is 301 KiB; at most 256 KiB is allowed/);
    expect(git('rev-parse', 'HEAD')).toBe(head);
  });

  it('GIVEN someone typing in set-level’s rule option THEN the pack’s rule ids are offered; GIVEN a rule turned off THEN it is still offered, as off', async () => {
    const typed = async (rule: string) => {
      const callback = await answer(emulator.autocomplete(d.user('alice'), d.guildId, d.channelId, 'cloud-policy set-level', { project: 'pack', rule }, 'rule'));
      expect(callback.type).toBe(Callback.autocomplete);
      return (callback.data!.choices as Array<{ name: string; value: string }>);
    };
    expect(await typed('no-lar')).toEqual([{ name: 'no-large-vms · hard-mandatory', value: 'no-large-vms' }]);
    const text = await policy('alice', 'set-level', { project: 'pack', rule: 'missing-labels', level: 'off' });
    expect(text).toMatch(/`missing-labels` is now \*\*off\*\* \(`policies\/levels\.yaml`\) in \*\*pack\*\*/);
    expect(await typed('missing')).toEqual([{ name: 'missing-labels · off', value: 'missing-labels' }]);
  });
});
