import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { BudgetAlertNotice } from '../../../src/core/ports.js';
import { DiscordNotifier } from '../../../src/discord/notifier.js';
import { FakeOutbox } from './fakeOutbox.js';
import { projectKey } from '../../../src/domain/projects.js';
import { fromUsd as usd } from '../../../src/domain/money.js';

const notice: BudgetAlertNotice = {
  projectId: projectKey('g1', 'staging'), guildId: 'g1', sessionId: 'sess-1', threshold: usd(180), estimate: usd(185), budgetLimit: usd(200), overage: usd(0), adminUserIds: ['u1', 'u2'],
};
const quiet = pino({ level: 'silent' });

describe('budget alerts reach people', () => {
  it('GIVEN no alert channel THEN DMs every project admin', async () => {
    const outbox = new FakeOutbox();
    await new DiscordNotifier(outbox, quiet).budgetAlert(notice);
    expect(outbox.sent.map((s) => s.channelId)).toEqual(['dm-u1', 'dm-u2']);
    expect(outbox.textIn('dm-u1')[0]).toContain('🚨 **Budget Alert: staging project**');
  });

  it("GIVEN the project's alert channel THEN posts there, before the configured default", async () => {
    const outbox = new FakeOutbox();
    await new DiscordNotifier(outbox, quiet, 'default-chan').budgetAlert({ ...notice, alertChannelId: 'project-chan' });
    expect(outbox.sent.map((s) => s.channelId)).toEqual(['project-chan']);
    await new DiscordNotifier(outbox, quiet, 'default-chan').budgetAlert(notice);
    expect(outbox.sent.map((s) => s.channelId)).toEqual(['project-chan', 'default-chan']);
    // Only the operator's channel, which hears from every server, is told which server the project is in.
    expect(outbox.sent.map((s) => s.message.content?.split('\n')[0])).toEqual(['🚨 **Budget Alert: staging project**', '🚨 **Budget Alert: staging project** (server g1)']);
  });

  it('GIVEN one admin with closed DMs THEN the others still hear about it', async () => {
    const outbox = new FakeOutbox();
    outbox.fail.send = (channelId) => (channelId === 'dm-u1' ? Object.assign(new Error('Cannot send messages to this user'), { status: 403 }) : undefined);
    await new DiscordNotifier(outbox, quiet).budgetAlert(notice);
    expect(outbox.sent.map((s) => s.channelId)).toEqual(['dm-u2']);
  });

  it('GIVEN no admin reachable at all THEN reports the failure to the caller (the core logs it)', async () => {
    const outbox = new FakeOutbox();
    outbox.fail.dm = () => new Error('down');
    await expect(new DiscordNotifier(outbox, quiet).budgetAlert(notice)).rejects.toThrow(/no project admin of staging could be reached/);
  });
});
