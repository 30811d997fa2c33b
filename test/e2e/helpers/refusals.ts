import type { Emulator, InteractionHandle } from '../../emulator/index.js';
import { answer, Callback, contentOf, isEphemeral, textOf } from './driver.js';

/** What the member who acted sees in the end: the reply, the edited deferral, or a follow-up. */
export interface Outcome {
  type: number;
  ephemeral: boolean;
  content: string;
}

export async function outcomeOf(handle: InteractionHandle, timeoutMs = 15_000): Promise<Outcome> {
  const callback = await answer(handle);
  if (callback.type !== Callback.deferReply) return { type: callback.type, ephemeral: Boolean(isEphemeral(callback)), content: contentOf(callback) };
  const next = await handle.waitFor((c) => c.method === 'PATCH' || (c.method === 'POST' && c.path.startsWith('/webhooks/')), timeoutMs);
  if (next.method === 'PATCH') return { type: callback.type, ephemeral: Boolean(isEphemeral(callback)), content: textOf(handle.originalMessage()) };
  const followUp = handle.followUps()[0];
  return { type: callback.type, ephemeral: Boolean((followUp?.flags ?? 0) & 64), content: textOf(followUp) };
}

/** One hostile input: how to send it, and what the refusal must say. */
export interface HostileCase {
  label: string;
  send: () => InteractionHandle;
  says: RegExp;
}

function refusalProblem(o: Outcome, says: RegExp): string | undefined {
  if (o.type !== Callback.reply && o.type !== Callback.deferReply) return `answered with callback type ${o.type}, not a message`;
  if (!o.ephemeral) return `answered publicly: ${o.content.slice(0, 160)}`;
  if (o.content.length > 2000) return `answer of ${o.content.length} characters`;
  if (!says.test(o.content)) return `answer does not match ${String(says)}: ${o.content.slice(0, 240)}`;
  return undefined;
}

/**
 * Sends the cases a few at a time (as fast as one bot answers, without flooding the emulator's
 * waiters) and returns one line per case that was not refused clearly and privately.
 */
export async function unrefused(cases: HostileCase[], concurrency = 10): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < cases.length; i += concurrency) {
    await Promise.all(cases.slice(i, i + concurrency).map(async (c) => {
      try {
        const problem = refusalProblem(await outcomeOf(c.send()), c.says);
        if (problem) problems.push(`${c.label}: ${problem}`);
      } catch (e) {
        problems.push(`${c.label}: ${(e as Error).message.split('\n')[0]!.slice(0, 240)}`);
      }
    }));
  }
  return problems;
}

/** A short, printable name for a hostile value. */
export const shown = (value: unknown): string => JSON.stringify(typeof value === 'string' ? value.slice(0, 30) : value)!.slice(0, 40);

/** A hostile value as a member could type it into a text box or option. */
export const typed = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value));

/**
 * Posts a message as the bot would have (an older version, another bot's leftovers), carrying
 * whatever components a test needs members to click; returns its id.
 */
export async function leftoverMessage(emulator: Emulator, channelId: string, components: object[]): Promise<string> {
  const res = await fetch(`${emulator.apiUrl}/v10/channels/${channelId}/messages`, {
    method: 'POST', headers: { authorization: `Bot ${emulator.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ content: 'An old message', components }),
  });
  if (!res.ok) throw new Error(`could not post the leftover message: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Action rows of buttons, five to a row, one per custom id. */
export const buttonRows = (customIds: string[]): object[] => Array.from({ length: Math.ceil(customIds.length / 5) }, (_, r) => ({
  type: 1, components: customIds.slice(r * 5, r * 5 + 5).map((custom_id, i) => ({ type: 2, style: 2, label: `b${r * 5 + i}`, custom_id })),
}));
