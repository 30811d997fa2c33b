import { Auditor } from '../../core/audit.js';
import { CoreError } from '../../core/errors.js';
import { systemClock } from '../../core/ports.js';
import { openDatabase, type Db } from '../../db/database.js';
import { migrate } from '../../db/migrate.js';
import { getProject } from '../../db/projects.js';
import { ProjectRepos, type LogEntry } from '../../git/projectRepo.js';
import { numberFlag, parseFlags, requireFlag } from '../args.js';
import { operatorActor } from '../operator.js';
import type { CliCommand, CliContext } from '../types.js';

const usage = [
  'cloud-engine git log  --project <id> [--limit <n>] [--json]',
  '       cloud-engine git diff --project <id> <from> [to] [--json]     (no <to>: <from> against its parent)',
  '       cloud-engine git tag  --project <id> <tag> [--commit <ref>] [--message <text>] [--json]',
].join('\n');

const OPTIONS = { project: { type: 'string' }, limit: { type: 'string' }, commit: { type: 'string' }, message: { type: 'string' }, json: { type: 'boolean' } } as const;

type Values = ReturnType<typeof parseFlags<typeof OPTIONS>>['values'];

function logLines(entries: LogEntry[]): string[] {
  return entries.map((e) => {
    const tags = e.tags.length ? ` [${e.tags.join(', ')}]` : '';
    return `${e.shortHash}  ${e.date.slice(0, 16).replace('T', ' ')}  ${e.author.slice(0, 20).padEnd(20)} ${e.message.split('\n')[0]}${tags}`;
  });
}

async function runSub(sub: string, args: string[], values: Values, projectId: string, repos: ProjectRepos, db: Db, ctx: CliContext): Promise<void> {
  const print = (data: unknown, text: string[]) => ctx.io.out(values.json ? JSON.stringify(data, null, 2) : text.join('\n'));
  if (sub === 'log') {
    const entries = await repos.log(projectId, numberFlag(values.limit, 'limit', 1, 1000) ?? 20);
    return print(entries, entries.length ? logLines(entries) : [`Project ${projectId} has no commits.`]);
  }
  if (sub === 'diff') {
    const d = await repos.diff(projectId, requireFlag(args[0], '<from> (positional)', usage), args[1]);
    return print(d, [`${d.from.slice(0, 7)}..${d.to.slice(0, 7)}: ${d.filesChanged} file(s) changed`, '', d.text.trimEnd()]);
  }
  if (sub === 'tag') {
    const t = await repos.tag(projectId, requireFlag(args[0], '<tag> (positional)', usage), values.commit, values.message);
    new Auditor(db, systemClock).record(operatorActor(), { eventType: 'git_tagged', projectId, sessionId: null, action: 'tag', status: 'success', details: { ...t, via: 'cli' } });
    return print(t, [`Tagged ${t.commit.slice(0, 7)} as ${t.tag} in project ${projectId}.`]);
  }
  throw new CoreError('validation', `unknown subcommand '${sub}'.\nUsage: ${usage}`);
}

export const gitCommand: CliCommand = {
  name: 'git',
  summary: "Read a project's deployment history (log, diff) and tag commits",
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, OPTIONS, usage);
    if (values.help || !positionals.length) return ctx.io.out(usage), values.help ? 0 : 1;
    const [sub, ...args] = positionals as [string, ...string[]];
    const projectId = requireFlag(values.project, 'project', usage);
    const db = openDatabase(ctx.config.DATABASE_PATH);
    try {
      migrate(db);
      if (!getProject(db, projectId)) throw new CoreError('not_found', `project ${projectId} does not exist`);
      await runSub(sub, args, values, projectId, new ProjectRepos(ctx.config.TERRAFORM_RUNS_DIR), db, ctx);
      return 0;
    } finally {
      db.close();
    }
  },
};
