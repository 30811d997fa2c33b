/**
 * An apply's progress in a Discord thread under Discord's per-channel limit (5 messages per 5 s, and 5
 * edits per 5 s; modelled by the emulator, which answers 429 once a bucket is spent), for 200 and 2,000
 * resources: the status board (one message edited in place, the summary with the log attached) against
 * the reference measured in the same run, every line posted in code blocks of up to 2,000 characters,
 * one message at a time, flushed about once a second — what the bot did before the board.
 *
 * Lines are Terraform's own format and arrive at the pace Terraform 1.11 printed them for 2,000
 * `terraform_data` resources on this kind of machine (4,002 lines in 97 s, measured once with
 * `terraform apply`): 41 lines a second. All streams run side by side, each in its own channel.
 */
import { REST } from 'discord.js';
import pino from 'pino';
import type { ApplyResult } from '../../src/core/applying.js';
import { restOutbox, type Outbox } from '../../src/discord/outbox.js';
import { StatusBoard } from '../../src/discord/statusBoard.js';
import { startEmulator, type Emulator } from '../emulator/index.js';
import { round } from './discord.bench.js';
import type { BenchResult } from './stats.bench.js';

const LINES_PER_S = 41;
const SIZES = [200, 2000];

/** What `terraform apply` prints for `n` resources created ten at a time, then its closing line and the outputs. */
function applyOutput(n: number): string[] {
  const lines: string[] = [];
  const id = (i: number) => `${(i * 2654435761 >>> 0).toString(16).padStart(8, '0')}-8a46-46d0-7e4b-e698e8720fee`;
  for (let i = 0; i < n; i += 10) {
    const wave = Array.from({ length: Math.min(10, n - i) }, (_, k) => i + k);
    for (const k of wave) lines.push(`terraform_data.node_${k}: Creating...`);
    for (const k of wave) lines.push(`terraform_data.node_${k}: Creation complete after 0s [id=${id(k)}]`);
  }
  lines.push('', `Apply complete! Resources: ${n} added, 0 changed, 0 destroyed.`, '', 'Outputs:', '', 'ids = {');
  for (let k = 0; k < n; k++) lines.push(`  "node_${k}" = "${id(k)}"`);
  lines.push('}');
  return lines;
}

async function paced(lines: string[], each: (line: string) => void): Promise<void> {
  const start = performance.now();
  for (const [i, line] of lines.entries()) {
    const due = start + (i * 1000) / LINES_PER_S;
    if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
    each(line);
  }
}

/** The reference: every line posted, in code blocks under 2,000 characters, a flush a second, one send at a time. */
async function streamLines(outbox: Outbox, channelId: string, lines: string[]): Promise<void> {
  let pending: string[] = [];
  let size = 0;
  let sending = Promise.resolve();
  const flush = () => {
    if (!pending.length) return;
    const body = pending.join('\n');
    pending = [];
    size = 0;
    sending = sending.then(async () => void (await outbox.send(channelId, { content: `\`\`\`\n${body}\n\`\`\`` })));
  };
  const timer = setInterval(flush, 1000);
  await paced(lines, (line) => {
    if (size + line.length + 1 > 1990) flush();
    pending.push(line);
    size += line.length + 1;
  });
  clearInterval(timer);
  flush();
  await sending;
  await outbox.send(channelId, { content: '✅ **Apply complete**' });
}

/** The board, as the bot runs it: lines into the board, errors and the summary (with the log) as messages. */
async function streamBoard(outbox: Outbox, channelId: string, lines: string[], n: number): Promise<void> {
  const planned = Array.from({ length: n }, (_, k) => ({ address: `terraform_data.node_${k}`, type: 'terraform_data', name: `node_${k}`, actions: ['create'] }));
  const board = new StatusBoard({ outbox, log: pino({ level: 'silent' }), channelId, header: '🚀 Applying', key: `bench-${n}`, minEditMs: 1000 }, planned);
  await board.open();
  await paced(lines, (line) => void board.progress.feed(line));
  const result = { status: 'succeeded', durationMs: (lines.length * 1000) / LINES_PER_S, stateSerial: 1, commitHash: 'abcdef0', error: null, warnings: [], recorded: true, deployment: { toAdd: n, toChange: 0, toDestroy: 0 } } as unknown as ApplyResult;
  await board.finish(result, lines);
}

interface Measured { messages: number; edits: number; seconds: number; afterLast: number; limited: number }

async function measure(emulator: Emulator, channelId: string, lines: string[], run: () => Promise<void>): Promise<Measured> {
  const start = performance.now();
  await run();
  const seconds = (performance.now() - start) / 1000;
  const calls = emulator.calls.filter((c) => c.path.startsWith(`/channels/${channelId}/messages`));
  return {
    messages: calls.filter((c) => c.method === 'POST' && c.status === 200).length,
    edits: calls.filter((c) => c.method === 'PATCH' && c.status === 200).length,
    seconds,
    afterLast: seconds - lines.length / LINES_PER_S,
    limited: calls.filter((c) => c.status === 429).length,
  };
}

export async function benchBoard(): Promise<BenchResult[]> {
  const emulator = await startEmulator({
    channelMessageLimit: { count: 5, windowMs: 5000 },
    guilds: [{ name: 'Bench', channels: SIZES.flatMap((n) => [{ name: `before-${n}` }, { name: `after-${n}` }]) }],
  });
  const guild = emulator.state.guildByName('Bench');
  const channel = (name: string) => emulator.state.channelByName(guild.id, name).id;
  const outbox = restOutbox(new REST({ api: emulator.apiUrl }).setToken(emulator.token));
  try {
    // Every stream has a channel, so a bucket of its own: all four run side by side.
    return (await Promise.all(SIZES.map(async (n): Promise<BenchResult[]> => {
      const lines = applyOutput(n);
      const [before, after] = await Promise.all([
        measure(emulator, channel(`before-${n}`), lines, () => streamLines(outbox, channel(`before-${n}`), lines)),
        measure(emulator, channel(`after-${n}`), lines, () => streamBoard(outbox, channel(`after-${n}`), lines, n)),
      ]);
      const applySeconds = round(lines.length / LINES_PER_S, 1);
      return [
        { name: `${n} resources: messages posted in the thread`, value: after.messages, unit: 'msgs', reference: before.messages, ratio: round(after.messages / before.messages, 3), note: `${lines.length} lines; board: ${after.edits} edits of one message, the summary carries the log; reference = every line in ≤2,000-char code blocks` },
        { name: `${n} resources: first line → thread complete`, value: round(after.seconds, 1), unit: 's', reference: round(before.seconds, 1), ratio: round(after.seconds / before.seconds, 2), note: `Terraform prints for ${applySeconds} s (${LINES_PER_S} lines/s); 429s answered: board ${after.limited}, reference ${before.limited}` },
        { name: `${n} resources: thread complete after Terraform's last line`, value: round(after.afterLast, 1), unit: 's', reference: round(before.afterLast, 1), ratio: round(after.afterLast / before.afterLast, 2), note: 'how long readers wait for the outcome once the apply is over' },
      ];
    }))).flat();
  } finally {
    await emulator.close();
  }
}
