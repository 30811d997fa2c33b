import type { App } from '../../app.js';
import { CoreError } from '../../domain/errors.js';
import type { HistoryEntry } from '../../core/history.js';
import { numberFlag, parseFlags, requireFlag } from '../args.js';
import type { Actor } from '../../policy/permissions.js';
import { projectScope } from '../operator.js';
import { APPROVAL_FLAGS, planThenApplyIfAsked } from '../sessionRun.js';
import { withApp } from '../withApp.js';
import type { CliCommand, CliContext } from '../types.js';

const usage = [
  'cloud-engine git log      --project <id> [--limit <n>] [--json]',
  '       cloud-engine git diff     --project <id> <from> [to] [--json]     (no <to>: <from> against its parent)',
  '       cloud-engine git tag      --project <id> <tag> [--commit <ref>] [--message <text>] [--json]',
  '       cloud-engine git rollback --project <id> <commit> [--yes] [--budget-override] [--accept-risk] [--override-policy <reason>]   (plans the old configuration; --yes applies it)',
  '       cloud-engine git remote   --project <id> <https-or-ssh-url> [--auto-push]   (no credentials in the URL: git takes them from its credential helper or SSH agent)',
].join('\n');

const OPTIONS = { project: { type: 'string' }, guild: { type: 'string' }, limit: { type: 'string' }, commit: { type: 'string' }, message: { type: 'string' }, json: { type: 'boolean' }, yes: { type: 'boolean' }, ...APPROVAL_FLAGS, 'auto-push': { type: 'boolean' } } as const;
type Values = ReturnType<typeof parseFlags<typeof OPTIONS>>['values'];

function logLines(entries: HistoryEntry[]): string[] {
  return entries.map((e) => {
    const tags = e.tags.length ? ` [${e.tags.join(', ')}]` : '';
    const outcome = e.deployment ? ` (${e.deployment.status}: +${e.deployment.toAdd} ~${e.deployment.toChange} -${e.deployment.toDestroy})` : '';
    const approved = e.approver ? `, approved by ${e.approver.name}` : '';
    return `${e.shortHash}  ${e.date.slice(0, 16).replace('T', ' ')}  ${e.author.slice(0, 20).padEnd(20)} ${e.message.split('\n')[0]}${approved}${outcome}${tags}`;
  });
}

async function rollbackSub(app: App, ctx: CliContext, actor: Actor, name: string, ref: string, values: Values): Promise<number> {
  const outcome = await app.orchestrator.rollback(actor, name, ref);
  ctx.io.out(`Rollback to ${outcome.commit.slice(0, 8)}: session ${outcome.session.id.slice(0, 8)} holds that configuration (committed as "Rollback to …" only once applied).`);
  return planThenApplyIfAsked(app, ctx.io, actor, outcome, values);
}

async function runSub(app: App, ctx: CliContext, sub: string, args: string[], values: Values, scope: { actor: Actor; name: string }): Promise<number> {
  const { actor, name } = scope;
  const print = (data: unknown, text: string[]) => ctx.io.out(values.json ? JSON.stringify(data, null, 2) : text.join('\n'));
  switch (sub) {
    case 'log': {
      const entries = await app.orchestrator.gitLog(actor, name, numberFlag(values.limit, 'limit', 1, 1000) ?? 20);
      return print(entries, entries.length ? logLines(entries) : [`Project ${name} has no commits.`]), 0;
    }
    case 'diff': {
      const d = await app.orchestrator.gitDiff(actor, name, requireFlag(args[0], '<from> (positional)', usage), args[1]);
      return print(d, [`${d.from.slice(0, 7)}..${d.to.slice(0, 7)}: ${d.filesChanged} file(s) changed`, '', d.text.trimEnd()]), 0;
    }
    case 'tag': {
      const t = await app.orchestrator.gitTag(actor, name, requireFlag(args[0], '<tag> (positional)', usage), values.commit, values.message);
      return print(t, [`Tagged ${t.commit.slice(0, 7)} as ${t.tag} in project ${name}.`]), 0;
    }
    case 'remote': {
      const autoPush = values['auto-push'] ?? false;
      const { pushed } = await app.orchestrator.gitRemote(actor, name, requireFlag(args[0], '<url> (positional)', usage), autoPush);
      const said = pushed ? (pushed.ok ? 'Pushed; every deployment will be pushed too.' : `Push failed: ${pushed.error ?? 'unknown error'}`) : 'Not pushed (pass --auto-push to push now and after every deployment).';
      print({ project: name, auto_push: autoPush, pushed }, [`Remote set for ${name}. ${said}`]);
      return pushed && !pushed.ok ? 1 : 0;
    }
    case 'rollback':
      return rollbackSub(app, ctx, actor, name, requireFlag(args[0], '<commit> (positional)', usage), values);
    default:
      throw new CoreError('validation', `unknown subcommand '${sub}'.\nUsage: ${usage}`);
  }
}

export const gitCommand: CliCommand = {
  name: 'git',
  summary: "A project's deployment history: log, diff, tag, rollback, remote",
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, OPTIONS, usage);
    if (values.help || !positionals.length) return ctx.io.out(usage), values.help ? 0 : 1;
    const [sub, ...args] = positionals as [string, ...string[]];
    const projectId = requireFlag(values.project, 'project', usage);
    return withApp(ctx.config, { skipTerraformCheck: sub !== 'rollback', readsOnly: sub === 'log' || sub === 'diff' }, async (app) => {
      return await runSub(app, ctx, sub, args, values, await projectScope(app, projectId, values.guild));
    });
  },
};
