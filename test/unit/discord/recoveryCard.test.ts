import { describe, expect, it } from 'vitest';
import type { RecoveryView } from '../../../src/core/recoveryView.js';
import { CUSTOM_ID_MAX, decodeId } from '../../../src/discord/customId.js';
import { LIMITS } from '../../../src/discord/views/limits.js';
import { recoveryComponents, recoveryEmbed } from '../../../src/discord/views/recovery.js';

const many = (n: number, what: string) => Array.from({ length: n }, (_, i) => `module.region_${i}.aws_instance.${what}_with_a_long_name_${i}`);

const card = (over: Partial<RecoveryView> = {}): RecoveryView => ({
  sessionId: '6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab', state: 'INTERRUPTED', deploymentId: 'd1',
  savedState: { serial: 7, savedAt: '2026-12-05T22:00:00.000Z', byThisApply: true }, resourcesInState: 400, plannedChanges: 900,
  progress: { source: 'state', created: many(300, 'made'), changed: [], destroyed: [], notDone: many(400, 'left'), unknown: many(200, 'edit') },
  lock: { free: true }, lastGood: null, lastStarted: null,
  actions: [{ action: 'replan' }, { action: 'refresh' }, { action: 'rollback', bar: 'no_deployment' }],
  ...over,
});

describe('the recovery card', () => {
  it('GIVEN 900 planned changes cut off THEN the card stays within the embed limits, counts them all and lists what was not done and what is unconfirmed, each cut with a count', () => {
    const embed = recoveryEmbed(card(), 'shop');
    const size = embed.title!.length + embed.fields!.reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(size).toBeLessThanOrEqual(LIMITS.embedTotal);
    for (const f of embed.fields!) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    const did = embed.fields!.find((f) => f.name.startsWith('🧾'))!;
    expect(did.name).toBe('🧾 Before it stopped (900 planned)');
    expect(did.value).toMatch(/^From the saved state: \*\*300\*\* created, \*\*0\*\* changed, \*\*0\*\* destroyed; \*\*400\*\* not done, \*\*200\*\* the state cannot confirm\.\nNot done: `module[^\n]*, \+\d+ more\nUnconfirmed: `module[^\n]*, \+\d+ more$/);
  });

  it('GIVEN nothing to roll back to THEN three buttons whose ids carry the session and the action, Roll back disabled', () => {
    const [row] = recoveryComponents(card());
    const buttons = row!.components as Array<{ custom_id: string; label: string; disabled: boolean }>;
    expect(buttons.map((b) => [b.label, b.disabled])).toEqual([['Re-plan', false], ['Refresh-only plan', false], ['Roll back', true]]);
    for (const b of buttons) expect(b.custom_id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(buttons.map((b) => decodeId(b.custom_id))).toEqual(['replan', 'refresh', 'rollback'].map((arg) => ({ action: 'recover', sessionId: card().sessionId, arg })));
  });

  it('GIVEN a re-plan started and holding the lock THEN the card names it and the holder; the buttons stay enabled, as a click is refused naming it', () => {
    const held = card({
      lock: { free: false, sessionId: 'abcdef12-0000', userId: '42', since: '2026-12-05T22:00:00.000Z' },
      lastStarted: { action: 'replan', userId: '42', at: '2026-12-05T22:00:00.000Z', sessionId: 'abcdef12-0000' },
      actions: [{ action: 'replan', bar: 'locked' }, { action: 'refresh', bar: 'locked' }, { action: 'rollback', bar: 'locked' }] });
    expect(recoveryEmbed(held, 'shop').fields!.find((f) => f.name === '🔐 Project lock')!.value).toMatch(/^🔒 Held by session `abcdef12` of <@42> since <t:\d+:R>/);
    expect(recoveryEmbed(held, 'shop').fields!.find((f) => f.name === '↪️ Last started')!.value).toMatch(/^Re-plan by <@42> <t:\d+:R> \(session `abcdef12`\)$/);
    expect((recoveryComponents(held)[0]!.components as Array<{ disabled: boolean }>).map((b) => b.disabled)).toEqual([false, false, false]);
  });
});
