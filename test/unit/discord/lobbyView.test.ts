import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canApprove, renderLobby } from '../../../src/discord/views/lobby.js';
import { costDiffField } from '../../../src/discord/views/costDiff.js';
import { LIMITS } from '../../../src/discord/views/limits.js';
import { micros } from '../../../src/domain/money.js';
import type { CostDiffLine } from '../../../src/cost/index.js';
import { startPlannedSession } from '../../../src/core/plannedSession.js';
import { admin, approver, bucket, dbOf, dev, keyOf, sandboxProject, testApp, vm, type TestApp } from '../../helpers/app.js';
import { textOf } from '../../e2e/helpers/driver.js';

let t: TestApp;

beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app, 'shop', 1000);
});
afterEach(() => t.cleanup());

const buttons = async (sessionId: string) => renderLobby(await t.app.orchestrator.sessionView(dev, sessionId)).components.map((row) => row.components.map((b) => [(b as { label: string }).label, b.disabled]));

describe('the lobby view', () => {
  it('GIVEN SSH open to the world, overridden with a reason holding a newline and markdown THEN the policy field shows the tier, the finding and the reason on one line as typed, and Approve counts votes', async () => {
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await o.addResource(dev, s.id, { type: 'firewall_rule', name: 'ssh-in', ports: ['22'], source_ranges: ['0.0.0.0/0'], labels: { owner: 'ops', environment: 'dev' } });
    await o.plan(dev, s.id);
    await o.overridePolicy(admin, s.id, 'VPN is down **today**\nApprovals **2/2**');
    const view = await o.sessionView(dev, s.id);
    const policy = renderLobby(view).embeds[0]!.fields!.find((f) => f.name === '🛡️ Policy')!.value;
    expect(policy).toMatch(/^Risk 🔴 high: `ssh-in` opens to the whole internet; 1 policy finding\nApprovals \*\*0\/2\*\*\n/);
    expect(policy).toContain('🟠 `world-open-admin-port` on `ssh-in`');
    expect(policy).toContain(`overridden by <@${admin.userId}>: VPN is down \\*\\*today\\*\\* Approvals \\*\\*2/2\\*\\*`);
    expect(policy.split('\n').filter((l) => l.startsWith('Approvals'))).toHaveLength(1);
    expect((await buttons(s.id))[1]).toEqual([['Refresh', false], ['Approve (0/2)', false], ['Cancel', false]]);
  });

  it('GIVEN a new session THEN shows DRAFT, the owner and expiry, and only Add and Cancel are usable', async () => {
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    const { embeds } = renderLobby(await t.app.orchestrator.sessionView(dev, s.id));
    const fields = Object.fromEntries(embeds[0]!.fields!.map((f) => [f.name, f.value]));
    expect(embeds[0]!.title).toBe('☁️ Deployment · shop');
    expect(fields).toMatchObject({ Provider: 'Sandbox', Owner: `<@${dev.userId}>`, Status: '📝 DRAFT' });
    expect(fields['⏰ Expires']).toMatch(/^<t:\d+:R> if idle$/);
    expect(await buttons(s.id)).toEqual([[['Add Resource', false], ['Edit Resource', true], ['Remove Resource', true]], [['Refresh', true], ['Approve & Deploy', true], ['Cancel', false]]]);
  });

  it('GIVEN a session an expiry started holding nothing THEN the lobby names its purpose, offers no edit, and may still be planned and cancelled', async () => {
    const o = t.app.orchestrator;
    const { session, outcome } = await startPlannedSession(o.deps, dev, (await t.app.store.projects.get(keyOf('shop')))!, { purpose: 'expiry', provider: 'sandbox', specs: [] });
    await outcome;
    expect(renderLobby(await o.sessionView(dev, session.id)).embeds[0]!.title).toBe('☁️ Environment expiry · shop');
    expect(await buttons(session.id)).toEqual([[['Add Resource', true], ['Edit Resource', true], ['Remove Resource', true]], [['Refresh', false], ['Approve & Deploy', false], ['Cancel', false]]]);
  });

  it('GIVEN resources THEN lists each with its key settings and monthly cost, and totals against the budget', async () => {
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    await t.app.orchestrator.addResource(dev, s.id, vm('web-1'));
    await t.app.orchestrator.addResource(dev, s.id, bucket('logs'));
    const embed = renderLobby(await t.app.orchestrator.sessionView(dev, s.id)).embeds[0]!;
    expect(embed.description).toMatch(/^\*\*Resources \(2\)\*\*\n• \*\*web-1\*\* · Virtual Machine — small, 20 GB standard disk, local-a · \$[\d.]+\/mo\n• \*\*logs\*\* · Storage Bucket — standard/);
    expect(embed.fields!.find((f) => f.name === '💰 Estimated cost')!.value).toMatch(/^\*\*\$[\d.]+\/month\*\* \(\$[\d.]+\/hour\)\nBudget: [\d.]+% of the \$1,000\.00 budget$/);
  });

  it('GIVEN a public bucket THEN its line is marked public first; a private one carries no mark', async () => {
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    await t.app.orchestrator.addResource(dev, s.id, { ...bucket('site'), public_access: 'yes' });
    await t.app.orchestrator.addResource(dev, s.id, bucket('logs'));
    const lines = renderLobby(await t.app.orchestrator.sessionView(dev, s.id)).embeds[0]!.description!.split('\n');
    expect(lines.find((l) => l.includes('**site**'))).toMatch(/^• \*\*site\*\* · Storage Bucket — 🌐 public, standard, /);
    expect(lines.find((l) => l.includes('**logs**'))).not.toContain('public');
  });

  it('GIVEN a successful plan THEN shows the seed summary line and enables Approve; an edit afterwards disables it again', async () => {
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    await t.app.orchestrator.addResource(dev, s.id, vm('web-1'));
    await t.app.orchestrator.plan(dev, s.id);
    const view = await t.app.orchestrator.sessionView(dev, s.id);
    expect(renderLobby(view).embeds[0]!.fields!.find((f) => f.name === '📋 Plan')!.value).toMatch(/^📋 Plan: 1 to add, 0 to change, 0 to destroy\n```\n\+ create terraform_data\.web-1\n```$/);
    expect(canApprove(view)).toBe(true);
    await t.app.orchestrator.addResource(dev, s.id, bucket('logs'));
    const edited = await t.app.orchestrator.sessionView(dev, s.id);
    expect(canApprove(edited)).toBe(false);
    expect(renderLobby(edited).embeds[0]!.fields!.find((f) => f.name === '📋 Plan')!.value).toContain('Click **Refresh** to plan again');
  });

  it('GIVEN a finished session THEN the lobby keeps its record but offers no buttons', async () => {
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    await t.app.orchestrator.cancel(dev, s.id);
    const lobby = renderLobby(await t.app.orchestrator.sessionView(dev, s.id));
    expect(lobby.components).toEqual([]);
    expect(lobby.embeds[0]!.fields!.find((f) => f.name === 'Status')!.value).toBe('🚫 CANCELLED');
  });

  it('GIVEN sixty resources THEN the embed stays within Discord limits and says how many are not shown', async () => {
    await t.app.orchestrator.setQuota(admin, 'shop', { maxResources: 100 });
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    for (let i = 0; i < 60; i++) await t.app.orchestrator.addResource(dev, s.id, vm(`web-with-a-long-descriptive-name-${i}`));
    const embed = renderLobby(await t.app.orchestrator.sessionView(dev, s.id)).embeds[0]!;
    expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed.description).toMatch(/\n\+\d+ more$/);
    const total = embed.title!.length + embed.description!.length + embed.footer!.text.length + embed.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('GIVEN a session adding resources THEN the lobby shows the run-rate before → after and each resource’s change', async () => {
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    expect(renderLobby(await t.app.orchestrator.sessionView(dev, s.id)).embeds[0]!.fields!.find((f) => f.name === '📊 Run-rate change')).toBeUndefined();
    await t.app.orchestrator.addResource(dev, s.id, vm('web-1', { machine_type: 'large' }));
    await t.app.orchestrator.addResource(dev, s.id, bucket('logs'));
    const field = renderLobby(await t.app.orchestrator.sessionView(dev, s.id)).embeds[0]!.fields!.find((f) => f.name === '📊 Run-rate change')!;
    expect(field.value).toMatch(/^\$0\.00 → \*\*\$([\d.]+)\/month\*\* \(\+\$\1\)\n\+ \*\*web-1\*\* · Virtual Machine: \+\$[\d.]+\n\+ \*\*logs\*\* · Storage Bucket: \+\$[\d.]+$/);
  });

  it('GIVEN a diff of 200 resources THEN the field stays within 1,024 characters, largest changes first, and counts the rest', () => {
    const line = (i: number): CostDiffLine => ({ name: `resource-${i}`, type: 'compute_vm', change: i % 2 ? 'added' : 'changed', before_monthly: micros(i % 2 ? 0 : 1_000_000), after_monthly: micros(1_000_000 + i * 10_000), delta_monthly: micros(i % 2 ? 1_000_000 + i * 10_000 : i * 10_000) });
    const resources = [...Array.from({ length: 200 }, (_, i) => line(i)), { ...line(0), name: 'same', change: 'unchanged' as const, delta_monthly: micros(0) }];
    const field = costDiffField({ before_monthly: micros(5_000_000), after_monthly: micros(9_000_000), delta_monthly: micros(4_000_000), complete: false, resources })!;
    expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    const lines = field.value.split('\n');
    expect(lines[0]).toBe('$5.00 → **$9.00/month** (+$4.00) — incomplete: some prices unknown');
    expect(lines[1]).toBe('1 resource unchanged');
    expect(lines[2]).toBe('+ **resource-199** · Virtual Machine: +$2.99');
    expect(lines.at(-1)).toMatch(/^\+\d+ more$/);
    expect(lines.length - 3 + Number(lines.at(-1)!.match(/\d+/)![0])).toBe(200);
  });

  it('GIVEN every state a session ends in THEN its lobby says what became of it and advises no button it no longer has', async () => {
    const o = t.app.orchestrator;
    const ended = async (end: (id: string) => Promise<unknown>) => {
      const s = await o.startSession(dev, 'shop');
      await o.addResource(dev, s.id, vm(`web-${s.id.slice(0, 4)}`));
      await o.plan(dev, s.id);
      await end(s.id);
      return renderLobby(await o.sessionView(dev, s.id));
    };
    const forced = (state: string, error: string) => async (id: string) => {
      dbOf(t.app).prepare('UPDATE sessions SET state = ?, error = ? WHERE id = ?').run(state, error, id);
      dbOf(t.app).prepare('DELETE FROM locks WHERE session_id = ?').run(id);
    };
    const lobbies = {
      APPLIED: await ended(async (id) => { await o.approve(approver, id); await (await o.apply(id, approver.userName)).result; }),
      CANCELLED: await ended((id) => o.cancel(dev, id)),
      EXPIRED: await ended(async () => { t.clock.advance(61 * 60_000); await o.expireIdle(); }),
      FAILED: await ended(forced('FAILED', 'terraform apply failed: boom')),
      INTERRUPTED: await ended(forced('INTERRUPTED', 'The process running this apply stopped.')),
    };
    for (const [state, lobby] of Object.entries(lobbies)) {
      const text = textOf({ content: '', embeds: lobby.embeds } as never);
      expect(lobby.components, state).toEqual([]);
      expect(text, state).toMatch(/start a new session with `\/cloud-deploy`/i);
      expect(text, state).not.toMatch(/Click|Refresh|Add Resource|Approve|button/);
    }
    expect(textOf({ content: '', embeds: lobbies.CANCELLED.embeds } as never)).toContain('📋 Plan: 1 to add, 0 to change, 0 to destroy — not applied.');
  });
});
