import { CoreError } from '../../domain/errors.js';
import type { ReviewSettings } from '../../core/projectAdmin.js';
import { parseFlags, requireFlag } from '../args.js';
import { projectScope } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const usage = 'cloud-engine settings --project <id> [--self-approval on|off] [--auto-tag on|off] [--json]   (no setting: show them)';

function onOff(value: string | undefined, flag: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new CoreError('validation', `--${flag} must be on or off, got '${value.slice(0, 40)}'.\nUsage: ${usage}`);
}

const shown = (s: Required<ReviewSettings>) => [
  `self-approval: ${s.allowSelfApproval ? 'on (a deployer may approve their own plan)' : 'off (another member approves)'}`,
  `auto-tag:      ${s.autoTag ? 'on (each applied deployment is tagged in the project repository)' : 'off'}`,
];

export const settingsCommand: CliCommand = {
  name: 'settings',
  summary: "Show or change a project's review settings (self-approval, auto-tag)",
  usage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { project: { type: 'string' }, guild: { type: 'string' }, 'self-approval': { type: 'string' }, 'auto-tag': { type: 'string' }, json: { type: 'boolean' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const projectId = requireFlag(values.project, 'project', usage);
    const allowSelfApproval = onOff(values['self-approval'], 'self-approval');
    const autoTag = onOff(values['auto-tag'], 'auto-tag');
    const changing = allowSelfApproval !== undefined || autoTag !== undefined;
    return withApp(ctx.config, { skipTerraformCheck: true, readsOnly: !changing }, async (app) => {
      const { actor, name } = await projectScope(app, projectId, values.guild);
      const settings = changing
        ? await app.orchestrator.setReviewSettings(actor, name, { ...(allowSelfApproval !== undefined ? { allowSelfApproval } : {}), ...(autoTag !== undefined ? { autoTag } : {}) })
        : await app.orchestrator.reviewSettings(actor, name);
      if (values.json) return ctx.io.out(JSON.stringify({ self_approval: settings.allowSelfApproval, auto_tag: settings.autoTag })), 0;
      for (const line of shown(settings)) ctx.io.out(line);
      return 0;
    });
  },
};
