import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { SessionView } from '../../core/views.js';
import { PROVIDER_LABELS } from '../../domain/resources.js';
import { encodeId, type ActionKey } from '../customId.js';
import { clampEmbed, LIMITS, linesWithin, truncate } from './limits.js';
import { STATE_BADGE, STATE_COLOR, hourlyUsd, keySettings, relativeTime, typeLabel, userRef } from './format.js';
import { planField } from './plan.js';
import { policyField, policyHolds } from './policy.js';
import { costDiffField } from './costDiff.js';
import { allows, FINAL_STATES, isFixed, PURPOSE_LABELS, type SessionState } from '../../domain/sessions.js';
import { noticeField } from './notices.js';
import { warningLine } from './warnings.js';
import { formatUsd } from '../../domain/money.js';
import { recoveryComponents, recoveryFields } from './recovery.js';

export interface LobbyMessage {
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
}


/** The resources, as many as fit in `max` characters (the embed's 6,000 are shared with its fields), the rest counted. */
function resourceList(view: SessionView, max: number): string {
  if (!view.resources.length) return FINAL_STATES.includes(view.session.state) ? '_No resources._' : '_No resources yet. Click **Add Resource** to describe one._';
  const lines = view.resources.map(({ spec, estimate }) => {
    const cost = estimate.price_unknown ? 'price unknown' : `${formatUsd(estimate.monthly)}/mo`;
    return `• **${spec.name}** · ${typeLabel(spec.type)} — ${keySettings(spec)} · ${cost}`;
  });
  const head = `**Resources (${lines.length})**`;
  return `${head}\n${linesWithin(lines, Math.max(40, max - head.length - 1))}`;
}

/** A session that is over has no buttons: what its owner can do instead. */
const AFTER: Partial<Record<SessionState, string>> = {
  APPLIED: 'Deployed. To change it, start a new session with `/cloud-deploy`: it starts from what the project runs now.',
  FAILED: 'The apply failed (see the error and the apply thread). Start a new session with `/cloud-deploy` to plan from where things stand.',
  INTERRUPTED: 'The run stopped before it finished. Start a new session with `/cloud-deploy` to plan from where things stand.',
  CANCELLED: 'Cancelled; nothing was deployed. Start a new session with `/cloud-deploy`.',
  EXPIRED: 'Expired after being idle; nothing was deployed. Start a new session with `/cloud-deploy`.',
};

const RECOVER = 'The apply stopped part-way. Choose a way out with the buttons below: each opens a new session to review and approve.';

function costField(view: SessionView): APIEmbedField {
  const b = view.budget;
  const usage = b.compliant
    ? b.usage_pct === null ? 'no budget set' : `${b.usage_pct}% of the ${formatUsd(b.limit)} budget`
    : `🚫 ${formatUsd(b.overage)} over the ${formatUsd(b.limit)} budget`;
  const unknown = view.complete ? '' : '\n❔ Some prices are unknown; the total is incomplete.';
  return { name: '💰 Estimated cost', value: `**${formatUsd(view.totalMonthly)}/month** (${hourlyUsd(view.totalHourly)}/hour)\nBudget: ${usage}${unknown}` };
}

function notices(view: SessionView): APIEmbedField[] {
  const fields: APIEmbedField[] = [];
  const { session, plan } = view;
  if (session.error && !['DRAFT', 'PLANNED'].includes(session.state)) fields.push({ name: '❗ Error', value: truncate(session.error, LIMITS.fieldValue) });
  const warnings = (plan?.status === 'succeeded' ? plan.warnings : []).filter((w) => w.kind !== 'recommendation').map(warningLine);
  if (warnings.length) fields.push({ name: '⚠️ Warnings', value: linesWithin(warnings, LIMITS.fieldValue) });
  const recs = view.resources.flatMap(({ spec, estimate }) => estimate.recommendations.map((r) => `💡 ${spec.name}: ${r.message}`));
  if (recs.length) fields.push({ name: '💡 Recommendations', value: linesWithin(recs, LIMITS.fieldValue) });
  if (view.lock && view.lock.sessionId !== session.id && allows(session.state, 'edit')) {
    fields.push({ name: '🔒 Project locked', value: `Session \`${view.lock.sessionId.slice(0, 8)}\` of <@${view.lock.userId}> holds the plan/apply lock.` });
  }
  return fields;
}

/** Who a plan of this session deploys as, before anyone plans. */
export function identityText(use: SessionView['identity']): string {
  switch (use.kind) {
    case 'none': return 'no cloud account (sandbox)';
    case 'default': return "the bot's own credentials (allowed by the operator)";
    case 'missing': return '⚠️ no identity set: plans are refused until a project admin runs /cloud-credentials';
    case 'identity': {
      const [i, b] = [use.identity, use.binding];
      return truncate(i.provider === 'aws' ? `AWS role \`${i.role_arn}\` (external id \`${b.external_id}\`)`
        : i.provider === 'gcp' ? `service account \`${i.service_account}\` (bound by the operator's \`${b.binding_env}\`)`
          : `Azure app \`${i.client_id}\` in subscription \`${i.subscription_id}\` (secret in the operator's \`${b.secret_env}\`)`, LIMITS.fieldValue);
    }
  }
}

/** The lobby's kind of session; a refresh-only plan says so, as it changes no resource. */
function purposeTitle(session: SessionView['session']): string {
  const label = PURPOSE_LABELS[session.purpose];
  return `${label[0]!.toUpperCase()}${label.slice(1)}${session.planMode.kind === 'refresh_only' ? ' (refresh-only)' : ''}`;
}

export function lobbyEmbed(view: SessionView): APIEmbed {
  const { session, project } = view;
  const final = FINAL_STATES.includes(session.state);
  const fields: APIEmbedField[] = [
    { name: 'Provider', value: PROVIDER_LABELS[session.provider], inline: true },
    { name: '🔑 Deploys as', value: identityText(view.identity), inline: true },
    { name: 'Owner', value: userRef(session.userId, session.userName), inline: true },
    { name: 'Status', value: STATE_BADGE[session.state], inline: true },
    costField(view),
    ...[costDiffField(view.costDiff)].filter((f) => f !== undefined),
    planField(view),
    ...[policyField(view)].filter((f) => f !== undefined),
    ...notices(view),
    ...(view.notice ? [noticeField(view.notice, session)] : []),
    ...(view.recovery ? recoveryFields(view.recovery) : []),
    ...(final ? [{ name: '⏭️ Next', value: view.recovery ? RECOVER : AFTER[session.state]! }] : [{ name: '⏰ Expires', value: `${relativeTime(session.expiresAt)} if idle`, inline: true }]),
  ];
  const title = `☁️ ${purposeTitle(session)} · ${project.name}`;
  const footer = truncate(`Session ${session.id.slice(0, 8)}${project.description ? ` · ${project.description}` : ''}`, LIMITS.footer);
  const fieldsSize = fields.reduce((n, f) => n + Math.min(f.name.length, LIMITS.fieldName) + Math.min(f.value.length, LIMITS.fieldValue), 0);
  return clampEmbed({
    title,
    description: resourceList(view, Math.min(LIMITS.embedDescription, LIMITS.embedTotal - title.length - footer.length - fieldsSize)),
    color: STATE_COLOR[session.state],
    fields,
    footer: { text: footer },
    timestamp: session.updatedAt,
  });
}

/** Approve is offered only for a successful, current plan of a session holding its project; the orchestrator re-checks on click. */
export function canApprove(view: SessionView): boolean {
  const holds = policyHolds(view);
  return allows(view.session.state, 'approve') && view.plan?.status === 'succeeded' && !view.planStale && view.lock?.sessionId === view.session.id && !holds.hard && !holds.needsOverride;
}

/** "Approve & Deploy", or with the votes so far when the plan's tier needs more than one. */
function approveLabel(view: SessionView): string {
  const a = view.approvals;
  return a && a.required > 1 ? `Approve (${Math.min(a.counted, a.required)}/${a.required})` : 'Approve & Deploy';
}

type ActionStyle = ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger;

const button = (action: ActionKey, sessionId: string, label: string, style: ActionStyle, disabled: boolean): APIButtonComponent => ({
  type: ComponentType.Button, custom_id: encodeId(action, sessionId), label, style, disabled,
});

/** Two rows: what the session holds (add, edit, remove), then what happens to it (plan, approve, cancel). */
export function lobbyComponents(view: SessionView): Array<APIActionRowComponent<APIButtonComponent>> {
  const { session } = view;
  if (view.recovery) return recoveryComponents(view.recovery);
  if (FINAL_STATES.includes(session.state)) return [];
  const open = allows(session.state, 'edit');
  // A session an action started holds what the action chose: planned as it is (an expiry's holds nothing), never edited.
  const editable = open && !isFixed(session);
  const empty = view.resources.length === 0;
  const plannable = open && (!empty || session.purpose !== 'deploy');
  return [{
    type: ComponentType.ActionRow,
    components: [
      button('add', session.id, 'Add Resource', ButtonStyle.Primary, !editable),
      button('edit', session.id, 'Edit Resource', ButtonStyle.Secondary, !editable || empty),
      button('remove', session.id, 'Remove Resource', ButtonStyle.Secondary, !editable || empty),
    ],
  }, {
    type: ComponentType.ActionRow,
    components: [
      button('plan', session.id, 'Refresh', ButtonStyle.Secondary, !plannable),
      button('approve', session.id, approveLabel(view), ButtonStyle.Success, !canApprove(view)),
      ...(policyHolds(view).needsOverride && !policyHolds(view).hard && !view.planStale ? [button('policyOverride', session.id, 'Override policy', ButtonStyle.Secondary, false)] : []),
      button('cancel', session.id, 'Cancel', ButtonStyle.Danger, !open),
    ],
  }];
}

export function renderLobby(view: SessionView): LobbyMessage {
  return { embeds: [lobbyEmbed(view)], components: lobbyComponents(view) };
}
