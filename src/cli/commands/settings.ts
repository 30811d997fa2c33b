import { CoreError } from '../../domain/errors.js';
import { formatUsd, toUsd } from '../../domain/money.js';
import { approvalsText } from '../../domain/policy.js';
import { labelsText } from '../../resources/fields.js';
import type { ReviewSettings, ReviewSettingsView } from '../../core/projectAdmin.js';
import { parseFlags, requireFlag } from '../args.js';
import { projectScope } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const usage = 'cloud-engine settings --project <id> [--self-approval on|off] [--approvals <low/medium/high>] [--cost-threshold <usd>] [--production on|off] [--policy-checks on|off] [--auto-tag on|off] [--labels "k=v, k=v"|none] [--drift off|hourly|daily|weekly] [--expiry-approval auto|approver] [--json]   (no setting: show them)';

function onOff(value: string | undefined, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new CoreError('validation', `--${flag} must be on or off, got '${value.slice(0, 40)}'.\nUsage: ${usage}`);
}

function dollars(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value.trim())) throw new CoreError('validation', `--${flag} must be a number of US dollars a month, got '${value.slice(0, 40)}'.\nUsage: ${usage}`);
  return Number(value);
}

const shown = (s: ReviewSettingsView) => [
  `self-approval:  ${s.allowSelfApproval ? 'on (a deployer may approve their own low-risk plan)' : 'off (another member approves)'}`,
  `approvals:      ${approvalsText(s.approvals)} (low/medium/high risk; the author never counts for medium or high)`,
  `cost-threshold: ${formatUsd(s.costThreshold)}/month (a plan adding more is high risk)`,
  `production:     ${s.production ? 'on (databases need backups and HA)' : 'off'}`,
  `policy-checks:  ${s.policyChecks ? 'on' : 'off (no rule is evaluated)'}`,
  `auto-tag:       ${s.autoTag ? 'on (each applied deployment is tagged in the project repository)' : 'off'}`,
  `labels:         ${Object.keys(s.labels).length ? `${labelsText(s.labels)} (on every resource; a resource's own label wins)` : 'none'}`,
  `drift:          ${s.drift === 'off' ? 'off (checked only when asked: cloud-engine drift)' : `checked ${s.drift}`}${s.driftDefault ? ' (the default for this provider)' : ''}`,
  `expiry-approval: ${s.expiryApproval === 'auto' ? "auto (the system approves a lease's destroy plan when policy allows it)" : "approver (one approver approves a lease's destroy plan)"}`,
];

export const settingsCommand: CliCommand = {
  name: 'settings',
  summary: "Show or change a project's review settings (approvals per risk tier, self-approval, production, policy checks, auto-tag, labels on every resource, the drift schedule, expiry approval)",
  usage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, {
      project: { type: 'string' }, guild: { type: 'string' }, 'self-approval': { type: 'string' }, 'auto-tag': { type: 'string' }, approvals: { type: 'string' },
      'cost-threshold': { type: 'string' }, production: { type: 'string' }, 'policy-checks': { type: 'string' }, labels: { type: 'string' }, drift: { type: 'string' }, 'expiry-approval': { type: 'string' }, json: { type: 'boolean' },
    }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const projectId = requireFlag(values.project, 'project', usage);
    const given: ReviewSettings = Object.fromEntries(Object.entries({
      allowSelfApproval: onOff(values['self-approval'], 'self-approval'), autoTag: onOff(values['auto-tag'], 'auto-tag'), approvals: values.approvals,
      costThresholdUsd: dollars(values['cost-threshold'], 'cost-threshold'), production: onOff(values.production, 'production'), policyChecks: onOff(values['policy-checks'], 'policy-checks'),
      labels: values.labels, drift: values.drift, expiryApproval: values['expiry-approval'],
    }).filter(([, v]) => v !== undefined));
    const changing = Object.keys(given).length > 0;
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: !changing }, async (app) => {
      const { actor, name } = await projectScope(app, projectId, values.guild);
      const settings = changing ? await app.orchestrator.setReviewSettings(actor, name, given) : await app.orchestrator.reviewSettings(actor, name);
      if (values.json) {
        return ctx.io.out(JSON.stringify({
          self_approval: settings.allowSelfApproval, auto_tag: settings.autoTag, approvals: settings.approvals, cost_threshold_usd: toUsd(settings.costThreshold),
          production: settings.production, policy_checks: settings.policyChecks, labels: settings.labels, drift: settings.drift, expiry_approval: settings.expiryApproval,
        })), 0;
      }
      for (const line of shown(settings)) ctx.io.out(line);
      return 0;
    });
  },
};
