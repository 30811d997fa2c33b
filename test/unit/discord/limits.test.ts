import { describe, expect, it } from 'vitest';
import { clampEmbed, LIMITS, linesWithin, truncate } from '../../../src/discord/views/limits.js';

const size = (e: ReturnType<typeof clampEmbed>) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

describe('Discord limits', () => {
  it('GIVEN text over the limit THEN truncates it with an ellipsis to exactly the limit', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });

  it('GIVEN more lines than fit THEN keeps whole lines and says how many are left out', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `resource-${i}`);
    const text = linesWithin(lines, 200);
    expect(text.length).toBeLessThanOrEqual(200);
    const shown = text.split('\n');
    expect(shown.at(-1)).toBe(`+${100 - (shown.length - 1)} more`);
    expect(shown.slice(0, -1)).toEqual(lines.slice(0, shown.length - 1));
  });

  it('GIVEN an oversized embed THEN every limit holds: title, description, 25 fields, 1,024 per value, 6,000 in all', () => {
    const embed = clampEmbed({
      title: 't'.repeat(300), description: 'd'.repeat(5000),
      fields: Array.from({ length: 40 }, (_, i) => ({ name: `field ${i}`, value: 'v'.repeat(2000) })),
      footer: { text: 'Session 1234' },
    });
    expect(embed.title!.length).toBe(LIMITS.embedTitle);
    expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.embedDescription);
    expect(embed.fields!.length).toBeLessThanOrEqual(LIMITS.embedFields);
    expect(embed.fields!.every((f) => f.value.length <= LIMITS.fieldValue)).toBe(true);
    expect(size(embed)).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('GIVEN more than 25 fields that fit in size THEN the last field says how many were left out', () => {
    const embed = clampEmbed({ fields: Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, value: 'x' })) });
    expect(embed.fields).toHaveLength(25);
    expect(embed.fields!.at(-1)!.value).toBe('+6 more fields');
  });
});
