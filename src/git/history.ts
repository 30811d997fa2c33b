import type { GitRunner } from './client.js';

export interface LogEntry {
  hash: string;
  shortHash: string;
  /** The Discord user name without the ` (id)` suffix our commits carry: who wrote the deployment (its session's author). */
  author: string;
  /** The Discord user id, or null for commits Cloud Engine made itself (the initial one). */
  authorId: string | null;
  /** Who approved the deployment, from its `Approved-by:` trailer; null on commits without one (the initial one, older ones). */
  approver: { name: string; id: string } | null;
  date: string;
  /** The commit message without the `Approved-by:` trailer. */
  message: string;
  tags: string[];
}

export interface DiffResult { from: string; to: string; text: string; filesChanged: number }

/** Git's well-known empty tree (SHA-1 repositories, which is what `init` creates): the "parent" of a root commit. */
export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

const FIELD = '\x1f';
const RECORD = '\x1e';
const FORMAT = ['%H', '%h', '%an', '%ae', '%aI', '%D', '%B'].join('%x1f') + '%x1e';

/** The trailer commitDeployment writes: `Approved-by: Name (id) <id@users.discord>`, alone on the last line. */
const APPROVED_BY = /\n+Approved-by: (.*) \(([A-Za-z0-9_.-]+)\) <\2@users\.discord>\s*$/;

export function parseLogRecord(record: string): LogEntry {
  const [hash = '', shortHash = '', name = '', email = '', date = '', decorations = '', body = ''] = record.split(FIELD);
  const authorId = /^([A-Za-z0-9_.-]+)@users\.discord$/.exec(email)?.[1] ?? null;
  const suffix = authorId ? ` (${authorId})` : '';
  const approved = APPROVED_BY.exec(body);
  return {
    hash, shortHash, date, authorId,
    author: suffix && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name,
    approver: approved ? { name: approved[1]!, id: approved[2]! } : null,
    message: (approved ? body.slice(0, approved.index) : body).trim(),
    tags: decorations.split(', ').filter((d) => d.startsWith('tag: ')).map((d) => d.slice('tag: '.length)),
  };
}

export async function readLog(git: GitRunner, limit: number): Promise<LogEntry[]> {
  const out = await git(['log', `--max-count=${limit}`, '--decorate-refs=refs/tags/', `--format=${FORMAT}`, 'HEAD', '--']);
  return out.split(RECORD).map((r) => r.replace(/^\n/, '')).filter((r) => r.length > 0).map(parseLogRecord);
}

/** Both ends are resolved full hashes (or EMPTY_TREE as `from`). */
export async function readDiff(git: GitRunner, from: string, to: string): Promise<DiffResult> {
  const base = ['diff', '--no-color', '--no-ext-diff', '--no-textconv', from, to, '--'];
  const [text, names] = await Promise.all([git(base), git([...base.slice(0, -1), '--name-only', '-z', '--'])]);
  return { from, to, text, filesChanged: names.split('\0').filter(Boolean).length };
}
