import type { LeaseView } from '../../core/expiry.js';
import { CoreError } from '../../domain/errors.js';
import type { EnvLease } from '../../domain/expiry.js';
import { formatUsd, micros, toUsd } from '../../domain/money.js';
import { parseFlags, requireFlag } from '../args.js';
import { projectScope } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const usage = 'cloud-engine lease --project <id> [--guild <id>] show | extend [--by <12h|3d>] | end | set --ttl <7d> [--json]\n'
  + "       (a project's environment lease: destroyed --ttl after its last apply, 1h to 90d; extend defaults to the lease's length)";

const SUBCOMMANDS = ['show', 'extend', 'end', 'set'] as const;

function leaseLines(v: LeaseView): string[] {
  const { lease } = v;
  if (!lease) return [`project ${v.project.name} has no environment lease: it runs until someone destroys it`];
  const state: Record<EnvLease['status'], string> = {
    active: lease.endsAt ? `active, ends ${lease.endsAt}` : 'active, starts counting at the first apply',
    expiring: `ended: destroy session ${lease.destroySessionId?.slice(0, 8) ?? '(starting)'} is under way`,
    expired: `expired and destroyed; it ran up ${formatUsd(lease.costMicros ?? micros(0))}`,
    stopped: `ended, but its destroy was stopped (${lease.stopReason ?? 'stopped'}); extend, end, or destroy it now from Discord`,
  };
  return [
    `lease:           ${lease.ttlSeconds % 86_400 === 0 ? `${lease.ttlSeconds / 86_400}d` : `${Math.round(lease.ttlSeconds / 3600)}h`} after the last apply`,
    `status:          ${state[lease.status]}`,
    `expiry approval: ${v.expiryApproval} (${v.expiryApproval === 'auto' ? 'the system approves the destroy plan when policy allows it' : 'one approver approves the destroy plan'})`,
    `deployed:        ${formatUsd(v.deployedMonthly)}/month${v.budget > 0 ? ` of a ${formatUsd(v.budget)} budget${v.deployedMonthly > v.budget ? ' (over budget: only an approver may extend)' : ''}` : ''}`,
  ];
}

export const leaseCommand: CliCommand = {
  name: 'lease',
  summary: "Show, extend, end or set a project's environment lease (environments that expire)",
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, { project: { type: 'string' }, guild: { type: 'string' }, by: { type: 'string' }, ttl: { type: 'string' }, json: { type: 'boolean' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const sub = positionals[0] ?? 'show';
    if (!(SUBCOMMANDS as readonly string[]).includes(sub) || positionals.length > 1) throw new CoreError('validation', `unknown subcommand '${positionals.join(' ').slice(0, 40)}'; use ${SUBCOMMANDS.join(', ')}.\nUsage: ${usage}`);
    const ref = requireFlag(values.project, 'project', usage);
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: sub === 'show' }, async (app) => {
      const { actor, name } = await projectScope(app, ref, values.guild);
      const o = app.orchestrator;
      if (sub === 'extend') await o.extendLease(actor, name, values.by);
      if (sub === 'end') await o.endLease(actor, name);
      if (sub === 'set') await o.setLease(actor, name, requireFlag(values.ttl, 'ttl', usage));
      const view = await o.leaseOf(actor, name);
      if (values.json) {
        const l = view.lease;
        ctx.io.out(JSON.stringify({
          project: name, expiry_approval: view.expiryApproval, deployed_monthly_usd: toUsd(view.deployedMonthly), budget_usd: toUsd(view.budget),
          lease: l ? { ttl_seconds: l.ttlSeconds, ends_at: l.endsAt, status: l.status, stop_reason: l.stopReason, destroy_session_id: l.destroySessionId, cost_usd: l.costMicros === null ? null : toUsd(l.costMicros) } : null,
        }, null, 2));
      } else leaseLines(view).forEach((line) => ctx.io.out(line));
      return 0;
    });
  },
};
