import { parseFlags, requireFlag } from '../args.js';
import { operatorActor } from '../operator.js';
import { applyRecoveryHint, recoveryLines } from '../recoveryText.js';
import { APPROVAL_FLAGS, applyOrRelease, approvalFlags, printApplyResult, printPlan } from '../sessionRun.js';
import { withApp } from '../withApp.js';
import type { CliCommand } from '../types.js';
import { RECOVERY_ACTIONS } from '../../core/recoveryView.js';
import { validationError } from '../../domain/errors.js';

const usage = 'cloud-engine recover --session <id> [--json]\n'
  + '       cloud-engine recover --session <id> --replan|--refresh|--rollback [--yes [--budget-override] [--accept-risk] [--override-policy <reason>]]';

const flags = {
  session: { type: 'string' }, replan: { type: 'boolean' }, refresh: { type: 'boolean' }, rollback: { type: 'boolean' },
  yes: { type: 'boolean' }, json: { type: 'boolean' }, ...APPROVAL_FLAGS,
} as const;

/**
 * The recovery card of an INTERRUPTED or FAILED apply, and its three ways out. An action plans a new
 * session and shows the plan; with --yes the operator approves and applies it, as `apply` does; without,
 * the session is cancelled again so nothing stays locked, and the command to apply it is printed.
 */
export const recoverCommand: CliCommand = {
  name: 'recover',
  summary: 'After an interrupted or failed apply: show where things stand, then re-plan, refresh-only plan or roll back',
  usage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, flags, usage);
    if (values.help) return ctx.io.out(usage), 0;
    const sessionId = requireFlag(values.session, 'session', usage);
    const chosen = RECOVERY_ACTIONS.filter((a) => values[a]);
    if (chosen.length > 1) throw validationError([{ field: 'action', message: `choose one of --replan, --refresh, --rollback (got ${chosen.map((a) => `--${a}`).join(' ')})` }]);
    const action = chosen[0];
    if (values.yes && !action) throw validationError([{ field: 'yes', message: '--yes applies a recovery: add --replan, --refresh or --rollback' }]);
    return withApp(ctx.config, action ? {} : { skipTerraformCheck: true }, async (app) => {
      const actor = operatorActor();
      if (!action) {
        const card = await app.orchestrator.recoveryCard(actor, sessionId);
        if (values.json) ctx.io.out(JSON.stringify(card, null, 2));
        else for (const line of recoveryLines(card)) ctx.io.out(line);
        return 0;
      }
      const outcome = await (await app.orchestrator.startRecovery(actor, sessionId, action)).outcome;
      printPlan(ctx.io, outcome);
      const { code, result } = await applyOrRelease(app, ctx.io, actor, outcome, { apply: values.yes ?? false, ...approvalFlags(values) });
      if (result) printApplyResult(ctx.io, result);
      else if (outcome.plan.status === 'succeeded') ctx.io.out(applyRecoveryHint(sessionId, action));
      return code;
    });
  },
};
