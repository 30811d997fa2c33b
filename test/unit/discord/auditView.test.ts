import { describe, expect, it } from 'vitest';
import { AUDIT_EVENT_LABELS, auditLine, eventTypeChoices } from '../../../src/discord/views/audit.js';
import { AUDIT_EVENT_TYPES, type AuditRow } from '../../../src/domain/audit.js';
import { projectKey } from '../../../src/domain/projects.js';

const row = (over: Partial<AuditRow>): AuditRow => ({
  id: 1, timestamp: '2026-12-05T10:00:00.000Z', eventType: 'budget_override', userId: '200000000000000001', userName: 'alice', guildId: 'g', projectId: projectKey('g', 'shop'),
  sessionId: 'abcdef123456', action: 'approve_over_budget', status: 'success', details: {}, error: null, ip: null, ...over,
});

describe('audit lines', () => {
  it('GIVEN details the log keeps in micro-dollars THEN the line names who acted and shows the amounts in dollars, other details as they are', () => {
    const line = auditLine(row({ details: { projected_monthly_micros: 120_000_001, budget_limit_micros: 100_000_000, reason: 'launch' } }));
    expect(line).toBe('2026-12-05T10:00:00.000Z success budget_override by alice on shop/abcdef12 {"projected_monthly_micros":"$120.00","budget_limit_micros":"$100.00","reason":"launch"}');
  });

  it('GIVEN a row from before names were recorded THEN the name looked up is shown, else the id', () => {
    const old = row({ userName: null });
    expect(auditLine(old, new Map([['200000000000000001', 'alice']]))).toContain(' by alice on ');
    expect(auditLine(old)).toContain(' by 200000000000000001 on ');
  });

  it('GIVEN an idle session expired by the system THEN the line says so in words, with how long it was idle and its state', () => {
    const line = auditLine(row({ eventType: 'session_expired', userId: null, userName: null, guildId: null, action: 'expired', details: { ttl_minutes: 60, from_state: 'PLANNED', expired_at: 'x' } }));
    expect(line).toBe('2026-12-05T10:00:00.000Z success session_expired by system on shop/abcdef12 — the session expired after 60 minutes without activity (it was PLANNED); its lock was released');
  });

  it('GIVEN a force-unlock from the CLI THEN the line names the operator, what it cut short and why', () => {
    const line = auditLine(row({
      eventType: 'lock_force_released', userId: 'cli-root', userName: 'root', guildId: null, action: 'force_unlock',
      details: { reason: 'owner on holiday', holder: '2', session_state: 'APPLYING', interrupted: true },
    }));
    expect(line).toBe('2026-12-05T10:00:00.000Z success lock_force_released by root (operator, CLI) on shop/abcdef12 — force-released the lock (the session was APPLYING); its apply was interrupted: "owner on holiday"');
  });
});

describe('event type choices', () => {
  it('GIVEN nothing typed yet THEN the first 25 event types are offered, each a valid choice', () => {
    const choices = eventTypeChoices('');
    expect(choices).toHaveLength(25);
    expect(choices.map((c) => c.value)).toEqual(AUDIT_EVENT_TYPES.slice(0, 25));
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
  });

  it('GIVEN a word of the meaning or part of the type THEN matching types come, those starting with it first', () => {
    expect(eventTypeChoices('unlock').map((c) => c.value)).toEqual(['run_interrupt_requested', 'lock_force_released', 'lock_force_release_refused']);
    expect(eventTypeChoices('expired').map((c) => c.value)).toEqual(['session_expired', 'lease_expired']);
    expect(eventTypeChoices('plan ').map((c) => c.value).slice(0, 3)).toEqual(['plan_started', 'plan_completed', 'plan_failed']);
    expect(eventTypeChoices('Lock Force').map((c) => c.value)).toEqual(['lock_force_released', 'lock_force_release_refused']);
    expect(eventTypeChoices('no such thing')).toEqual([]);
  });

  it('GIVEN every event type THEN each has words, so none is offered bare', () => {
    for (const t of AUDIT_EVENT_TYPES) expect(AUDIT_EVENT_LABELS[t].length, t).toBeGreaterThan(5);
  });
});
