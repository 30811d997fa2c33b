/** The emulator's model of Discord's per-channel message limit, seen from raw HTTP (no client queueing for us). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../emulator/index.js';

let emulator: Emulator;
let channels: string[];

beforeAll(async () => {
  emulator = await startEmulator({ channelMessageLimit: { count: 3, windowMs: 1000 }, guilds: [{ name: 'G', channels: [{ name: 'a' }, { name: 'b' }] }] });
  const guild = emulator.state.guildByName('G');
  channels = ['a', 'b'].map((n) => emulator.state.channelByName(guild.id, n).id);
});
afterAll(() => emulator?.close());

const call = (method: string, path: string, body: object) => fetch(`${emulator.apiUrl}/v10${path}`, {
  method, headers: { authorization: `Bot ${emulator.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

describe('per-channel message limit', () => {
  it('GIVEN more messages in a window than the limit THEN the extra ones get a 429 with retry-after, nothing is stored for them, and other channels and edits have buckets of their own', async () => {
    const [a, b] = channels as [string, string];
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await call('POST', `/channels/${a}/messages`, { content: `m${i}` }));
    expect(sent.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(sent[2]!.headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = sent[3]!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(1);
    expect((await limited.json() as { global: boolean }).global).toBe(false);
    expect(emulator.messagesIn(a).map((m) => m.content)).toEqual(['m0', 'm1', 'm2']);
    expect((await call('POST', `/channels/${b}/messages`, { content: 'other channel' })).status).toBe(200);
    const first = (await (sent[0]!.json() as Promise<{ id: string }>)).id;
    expect((await call('PATCH', `/channels/${a}/messages/${first}`, { content: 'edited' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, Number(limited.headers.get('retry-after')) * 1000 + 50));
    expect((await call('POST', `/channels/${a}/messages`, { content: 'after the window' })).status).toBe(200);
  });
});
