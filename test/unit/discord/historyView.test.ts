import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../src/core/history.js';
import { gitDiffMessage, gitLogMessage } from '../../../src/discord/views/history.js';

const entry = (i: number, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  hash: `${i}`.padStart(40, 'a'), shortHash: `${i}`.padStart(7, 'a'), author: 'ann', authorId: 'u1', approver: null, date: '2026-11-28T10:15:00Z',
  message: `Deploy ${i} resources via session abcd1234 (ann)\n\nbody`, tags: [], deployment: null, ...extra,
});

describe('history views', () => {
  it('GIVEN commits THEN one line each with hash, time, author, subject, tags and the deployment outcome', () => {
    const approver = { name: 'bob', id: 'u2' };
    const text = gitLogMessage('shop', [entry(2, { approver, tags: ['v1.0.0'], deployment: { id: 'd', status: 'succeeded', sessionId: 's', toAdd: 0, toChange: 1, toDestroy: 1 } }), entry(1)]);
    expect(text.split('\n')).toEqual([
      '🗂️ History of **shop**, newest first:',
      '`aaaaaa2` 2026-11-28 10:15 **ann** — Deploy 2 resources via session abcd1234 (ann) · approved by **bob** 🏷️ v1.0.0 · ✅ +0 ~1 -1',
      '`aaaaaa1` 2026-11-28 10:15 **ann** — Deploy 1 resources via session abcd1234 (ann)',
    ]);
  });

  it('GIVEN a long history THEN stays within one message and says how many commits are not shown', () => {
    const text = gitLogMessage('shop', Array.from({ length: 50 }, (_, i) => entry(i)));
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toMatch(/\+\d+ more$/);
  });

  it('GIVEN a diff too long for a message THEN attaches it as a .diff file', () => {
    const diff = { from: 'a'.repeat(40), to: 'b'.repeat(40), text: '+x\n'.repeat(1000), filesChanged: 2 };
    const long = gitDiffMessage('shop', diff);
    expect(long.files?.[0]?.name).toBe('shop-aaaaaaa-bbbbbbb.diff');
    expect(gitDiffMessage('shop', { ...diff, text: '-a\n+b\n' }).content).toContain('```diff\n-a\n+b\n```');
    expect(gitDiffMessage('shop', { ...diff, text: '' }).content).toContain('No differences.');
  });
});
