import type { TamperChange } from '../../core/drift.js';
import type { DriftReport } from '../../domain/drift.js';
import { CoreError } from '../../domain/errors.js';
import { parseFlags, requireFlag } from '../args.js';
import { projectScope } from '../operator.js';
import { APPROVAL_FLAGS, planThenApplyIfAsked } from '../sessionRun.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

/** `drift` found drift: its own exit code (README), so a script tells it from a failure (1) or a state refusal (2). */
export const DRIFT_FOUND_EXIT = 8;

const driftUsage = 'cloud-engine drift --project <id> [--guild <id>] [--json]   (exit 0 no drift, 8 drift found)\n'
  + '       cloud-engine drift --project <id> --adopt|--revert [--yes] [--budget-override] [--accept-risk] [--override-policy <reason>]\n'
  + '       (--adopt: a session accepting the real values; --revert: one putting back what was deployed; each planned and, with --yes, applied)';

const shown = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));

function driftLines(name: string, r: DriftReport): string[] {
  if (!r.drifted.length) return [`No drift: the ${r.resources} deployed resource(s) of project ${name} are as deployed.`];
  const lines = [`Drift in project ${name}: ${r.drifted.length} of ${r.resources} deployed resource(s) differ from what was deployed.`];
  for (const d of r.drifted) {
    if (d.kind === 'missing') lines.push(`  ${d.name} (${d.type}): missing — deleted outside Cloud Engine`);
    else {
      lines.push(`  ${d.name} (${d.type}): changed`);
      for (const a of d.attributes) lines.push(`    ${a.attribute}: ${shown(a.deployed)} → ${shown(a.observed)}`);
    }
  }
  lines.push(`→ accept the real values: cloud-engine drift --project ${name} --adopt; or put back what was deployed: cloud-engine drift --project ${name} --revert (add --yes to apply)`);
  return lines;
}

export const driftCommand: CliCommand = {
  name: 'drift',
  summary: 'Check a project for drift: what its cloud holds now against what was deployed',
  usage: driftUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, {
      project: { type: 'string' }, guild: { type: 'string' }, json: { type: 'boolean' }, adopt: { type: 'boolean' }, revert: { type: 'boolean' }, yes: { type: 'boolean' }, ...APPROVAL_FLAGS,
    }, driftUsage);
    if (values.help) return ctx.io.out(driftUsage), 0;
    if (positionals.length) throw new CoreError('validation', `unexpected argument '${positionals[0]!.slice(0, 80)}'.\nUsage: ${driftUsage}`);
    if (values.adopt && values.revert) throw new CoreError('validation', `give --adopt or --revert, not both.\nUsage: ${driftUsage}`);
    const action = values.adopt ? 'adopt' : values.revert ? 'revert' : undefined;
    if (!action && (values.yes || values['budget-override'] || values['accept-risk'] || values['override-policy'] !== undefined)) {
      throw new CoreError('validation', `--yes and the approval flags go with --adopt or --revert.\nUsage: ${driftUsage}`);
    }
    const ref = requireFlag(values.project, 'project', driftUsage);
    return withApp(ctx.config, {}, async (app) => {
      const { actor, name } = await projectScope(app, ref, values.guild);
      if (action) {
        const started = await app.orchestrator.startDriftAction(actor, name, action);
        ctx.io.out(action === 'adopt'
          ? `Adopt the drift of project ${name}: session ${started.session.id.slice(0, 8)} holds the values its cloud holds now.`
          : `Revert the drift of project ${name}: session ${started.session.id.slice(0, 8)} holds what was deployed.`);
        return planThenApplyIfAsked(app, ctx.io, actor, await started.outcome, values);
      }
      const report = await app.orchestrator.detectDrift(actor, name);
      if (values.json) ctx.io.out(JSON.stringify({ project: name, checked_at: report.checkedAt, resources: report.resources, drifted: report.drifted }, null, 2));
      else driftLines(name, report).forEach((l) => ctx.io.out(l));
      return report.drifted.length ? DRIFT_FOUND_EXIT : 0;
    });
  },
};

const sandboxUsage = 'cloud-engine sandbox tamper --project <id> --resource <name> (--set <field>=<value> ... | --delete) [--guild <id>]\n'
  + '       (changes what the sandbox cloud holds, out of band, as someone outside Cloud Engine would; a value that parses as JSON is taken as JSON, else as text)';

/** `field=value` as the sandbox cloud stores it: `4`, `true`, `["a"]` as JSON, anything else as the text typed. */
function parseSet(items: string[]): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const item of items) {
    const at = item.indexOf('=');
    const field = at > 0 ? item.slice(0, at) : '';
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(field)) throw new CoreError('validation', `--set takes <field>=<value> with a field of a-z 0-9 _ starting with a letter, got '${item.slice(0, 80)}'.\nUsage: ${sandboxUsage}`);
    const text = item.slice(at + 1);
    try {
      fields[field] = JSON.parse(text) as unknown;
    } catch {
      fields[field] = text;
    }
  }
  return fields;
}

export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: "Change a sandbox project's cloud out of band (sandbox tamper), to see drift detection find it",
  usage: sandboxUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, {
      project: { type: 'string' }, guild: { type: 'string' }, resource: { type: 'string' }, set: { type: 'string', multiple: true }, delete: { type: 'boolean' },
    }, sandboxUsage);
    if (values.help) return ctx.io.out(sandboxUsage), 0;
    if (positionals[0] !== 'tamper' || positionals.length > 1) {
      throw new CoreError('validation', `${positionals[0] ? `unknown subcommand '${positionals.join(' ').slice(0, 80)}'` : 'a subcommand is required'}.\nUsage: ${sandboxUsage}`);
    }
    const ref = requireFlag(values.project, 'project', sandboxUsage);
    const resource = requireFlag(values.resource, 'resource', sandboxUsage);
    const set = values.set ?? [];
    if (set.length > 0 === Boolean(values.delete)) throw new CoreError('validation', `give either --set <field>=<value> (one or more) or --delete.\nUsage: ${sandboxUsage}`);
    const change: TamperChange = values.delete ? { delete: true } : { set: parseSet(set) };
    return withApp(ctx.config, { skipTerraformCheck: true }, async (app) => {
      const { actor, name } = await projectScope(app, ref, values.guild);
      await app.orchestrator.tamperSandbox(actor, name, resource, change);
      ctx.io.out('delete' in change
        ? `The sandbox cloud of project ${name} no longer holds ${resource} (deleted out of band). Run: cloud-engine drift --project ${name}`
        : `The sandbox cloud of project ${name} now holds ${resource} with ${Object.entries(change.set).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}. Run: cloud-engine drift --project ${name}`);
      return 0;
    });
  },
};
