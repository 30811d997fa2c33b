import type { StoredMessage } from '../../emulator/index.js';

const FENCED = /^```\n([\s\S]*)\n```$/;

/**
 * Terraform's output as the bot streamed it into a thread: the lines of every code-block message,
 * in the order the messages were posted. Other messages (header, summary) are skipped.
 */
export function streamedLines(messages: StoredMessage[]): string[] {
  return messages.flatMap((m) => {
    const body = FENCED.exec(m.content)?.[1];
    return body === undefined ? [] : body.split('\n');
  });
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
