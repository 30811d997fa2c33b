import type { Emulator, StoredMessage } from '../../emulator/index.js';

/**
 * Terraform's output as the bot attached it to an apply's summary: every line, in order. Empty until the
 * summary is posted (and for an apply whose process died: its recovery note carries no log).
 */
export function streamedLines(emulator: Emulator, messages: StoredMessage[]): string[] {
  const logs = messages.flatMap((m) => m.attachments).filter((a) => /^apply-[\w-]+\.log$/.test(a.filename));
  if (logs.length > 1) throw new Error(`${logs.length} apply logs in one thread`);
  const bytes = logs[0] && emulator.fileOf(logs[0].id);
  return bytes ? bytes.toString().replace(/\n$/, '').split('\n') : [];
}

export interface Board {
  /** The message holding it: a thread has exactly one. */
  message: StoredMessage;
  /** One line per resource shown, e.g. "🔄 `terraform_data.web` · creating · 3 s". */
  lines: string[];
  tally: { done: number; running: number; pending: number; failed: number };
  /** "applying", "complete", "failed" or "interrupted". */
  status: string;
}

/** The apply's status board in a thread, as it stands; undefined before it is posted. */
export function boardIn(messages: StoredMessage[]): Board | undefined {
  const boards = messages.filter((m) => m.embeds.some((e) => e.title === 'Apply progress'));
  if (boards.length > 1) throw new Error(`${boards.length} status boards in one thread`);
  const message = boards[0];
  if (!message) return undefined;
  const embed = message.embeds[0]!;
  const footer = String((embed.footer as { text?: string } | undefined)?.text ?? '');
  const n = (re: RegExp) => Number(re.exec(footer)?.[1] ?? 0);
  return {
    message,
    lines: String(embed.description ?? '').split('\n'),
    tally: { done: n(/✅ (\d+) done/), running: n(/🔄 (\d+) running/), pending: n(/(?:⏳|⏸️) (\d+) (?:pending|not started)/), failed: n(/❌ (\d+) failed/) },
    status: /(?:^| · )(applying|complete|failed|interrupted)(?: · |$)/.exec(footer)?.[1] ?? '',
  };
}

/** Lines that occur more than once (blank lines and bare braces, which Terraform repeats, aside). */
export function repeatedLines(lines: string[]): string[] {
  const seen = new Map<string, number>();
  for (const line of lines) if (!/^\s*[{}]?\s*$/.test(line)) seen.set(line, (seen.get(line) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([line, n]) => `${n}× ${line}`);
}

/**
 * What a complete apply of `ids` (resource name → id from the saved state) must have streamed:
 * for each resource one "Creating..." and, after it, one "Creation complete" naming its id, then
 * Terraform's closing line after all of them. Returns the problems found (none = complete).
 */
export function applyStreamProblems(lines: string[], ids: Record<string, string>, total: number): string[] {
  const problems: string[] = [];
  const indexes = (re: RegExp) => lines.flatMap((l, i) => (re.test(l) ? [i] : []));
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let lastComplete = -1;
  for (const [name, id] of Object.entries(ids)) {
    const creating = indexes(new RegExp(`^terraform_data\\.${esc(name)}: Creating\\.\\.\\.$`));
    const complete = indexes(new RegExp(`^terraform_data\\.${esc(name)}: Creation complete after \\d+s \\[id=${esc(id)}\\]$`));
    if (creating.length !== 1 || complete.length !== 1) problems.push(`${name}: ${creating.length}× Creating, ${complete.length}× Creation complete`);
    else if (creating[0]! > complete[0]!) problems.push(`${name}: completed before it started`);
    lastComplete = Math.max(lastComplete, ...complete);
  }
  const closing = indexes(new RegExp(`^Apply complete! Resources: ${total} added, 0 changed, 0 destroyed\\.$`));
  if (closing.length !== 1) problems.push(`${closing.length}× "Apply complete! Resources: ${total} added"`);
  else if (closing[0]! < lastComplete) problems.push('Apply complete! came before a resource completed');
  const repeated = repeatedLines(lines);
  if (repeated.length) problems.push(`repeated: ${repeated.join(' | ')}`);
  return problems;
}
