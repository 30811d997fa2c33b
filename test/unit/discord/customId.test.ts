import { describe, expect, it } from 'vitest';
import { ACTIONS, CUSTOM_ID_MAX, decodeId, encodeId, type ActionKey } from '../../../src/discord/customId.js';

const SESSION = '3f2c9a1e-7b4d-4e8a-9c1f-0a2b3c4d5e6f';

describe('custom id codec', () => {
  it('GIVEN every action THEN encodes v1:<action>:<sessionId> and decodes it back', () => {
    for (const action of Object.keys(ACTIONS) as ActionKey[]) {
      const id = encodeId(action, SESSION);
      expect(id).toBe(`v1:${ACTIONS[action]}:${SESSION}`);
      expect(decodeId(id)).toEqual({ action, sessionId: SESSION });
    }
  });

  it('GIVEN an argument THEN carries it as a fourth part within 100 characters', () => {
    const id = encodeId('modal', SESSION, 'storage_bucket');
    expect(id.length).toBeLessThanOrEqual(CUSTOM_ID_MAX);
    expect(decodeId(id)).toEqual({ action: 'modal', sessionId: SESSION, arg: 'storage_bucket' });
  });

  it('GIVEN something this bot did not make THEN decodes to undefined instead of throwing', () => {
    for (const raw of ['', 'apply', 'v2:add:abc', 'v1:launch:abc', 'v1:add:', 'v1:add:a:b:c', `v1:add:${'x'.repeat(120)}`, 'v1:modal:abc:bad arg']) {
      expect(decodeId(raw)).toBeUndefined();
    }
  });

  it('GIVEN an id that would not survive the trip THEN refuses to encode it', () => {
    expect(() => encodeId('add', 'has:colon')).toThrow(/bad session id/);
    expect(() => encodeId('modal', SESSION, 'x'.repeat(61))).toThrow(/bad argument/);
    expect(() => encodeId('modal', 'y'.repeat(60), 'x'.repeat(60))).toThrow(/longer than 100/);
  });
});
