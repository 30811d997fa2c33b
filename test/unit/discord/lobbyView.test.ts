import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canApprove, renderLobby } from '../../../src/discord/views/lobby.js';
import { LIMITS } from '../../../src/discord/views/limits.js';
import { admin, bucket, dev, sandboxProject, testApp, vm, type TestApp } from '../../helpers/app.js';

let t: TestApp;

beforeEach(async () => {
  t = await testApp();
  await sandboxProject(t.app, 'shop', 1000);
});
afterEach(() => t.cleanup());

const buttons = async (sessionId: string) => renderLobby(await t.app.orchestrator.sessionView(dev, sessionId)).components[0]?.components.map((b) => [(b as { label: string }).label, b.disabled]);

describe('the lobby view', () => {
  it('GIVEN a new session THEN shows DRAFT, the owner and expiry, and only Add and Cancel are usable', async () => {
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    const { embeds } = renderLobby(await t.app.orchestrator.sessionView(dev, s.id));
    const fields = Object.fromEntries(embeds[0]!.fields!.map((f) => [f.name, f.value]));
    expect(embeds[0]!.title).toBe('☁️ Deployment · shop');
    expect(fields).toMatchObject({ Provider: 'Sandbox', Owner: `<@${dev.userId}>`, Status: '📝 DRAFT' });
    expect(fields['⏰ Expires']).toMatch(/^<t:\d+:R> if idle$/);
    expect(await buttons(s.id)).toEqual([['Add Resource', false], ['Remove Resource', true], ['Refresh', true], ['Approve & Deploy', true], ['Cancel', false]]);
  });

  it('GIVEN resources THEN lists each with its key settings and monthly cost, and totals against the budget', async () => {
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    await t.app.orchestrator.addResource(dev, s.id, vm('web-1'));
    await t.app.orchestrator.addResource(dev, s.id, bucket('logs'));
    const embed = renderLobby(await t.app.orchestrator.sessionView(dev, s.id)).embeds[0]!;
    expect(embed.description).toMatch(/^\*\*Resources \(2\)\*\*\n• \*\*web-1\*\* · Virtual Machine — small, 20 GB standard disk, local-a · \$[\d.]+\/mo\n• \*\*logs\*\* · Storage Bucket — standard/);
    expect(embed.fields!.find((f) => f.name === '💰 Estimated cost')!.value).toMatch(/^\*\*\$[\d.]+\/month\*\* \(\$[\d.]+\/hour\)\nBudget: [\d.]+% of the \$1,000\.00 budget$/);
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
});
