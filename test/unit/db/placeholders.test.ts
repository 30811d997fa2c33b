import { describe, expect, it } from 'vitest';
import { taggedBody, toNumbered } from '../../../src/db/sql.js';

describe('SQL written once for both stores', () => {
  it('GIVEN ? and @name placeholders THEN PostgreSQL gets $n in order, a name used twice is one parameter, and quoted text is left alone', () => {
    expect(toNumbered("SELECT * FROM t WHERE a = ? AND b = '?' AND \"c?\" = ? AND d = '@x'", [1, 2])).toEqual({ text: "SELECT * FROM t WHERE a = $1 AND b = '?' AND \"c?\" = $2 AND d = '@x'", values: [1, 2] });
    expect(toNumbered("INSERT INTO t VALUES (@now, @id, @now, 'it''s @not')", { id: 'x', now: 'T', extra: 1 })).toEqual({ text: "INSERT INTO t VALUES ($1, $2, $1, 'it''s @not')", values: ['T', 'x'] });
    expect(toNumbered('UPDATE t SET a = @missingValue', { missingValue: undefined }).values).toEqual([null]);
  });

  it('GIVEN placeholders and values that do not match THEN it refuses instead of sending the statement', () => {
    expect(() => toNumbered('SELECT ?, ?', [1])).toThrow(/more placeholders than the 1 values/);
    expect(() => toNumbered('SELECT ?', [1, 2])).toThrow(/1 placeholders but 2 values/);
    expect(() => toNumbered('SELECT @a', { b: 1 })).toThrow(/@a, which the values lack/);
  });

  it('GIVEN text and bytes in one PostgreSQL body column THEN each comes back as what it was, even bytes that spell text', () => {
    for (const v of ['{"serial":1}', '', Buffer.from('CES1 not really'), Buffer.from([0, 1, 255]), Buffer.alloc(0)]) {
      const back = taggedBody.unbody(taggedBody.body(v));
      expect(back).toEqual(v);
      expect(typeof back).toBe(typeof v);
    }
  });
});
