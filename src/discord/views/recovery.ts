import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import type { ApplyProgressReport, RecoveryAction, RecoveryView } from '../../core/recoveryView.js';
import { encodeId } from '../customId.js';
import { clampEmbed, LIMITS, linesWithin } from './limits.js';
import { relativeTime, STATE_COLOR } from './format.js';

export const RECOVERY_LABELS: Record<RecoveryAction, string> = { replan: 'Re-plan', refresh: 'Refresh-only plan', rollback: 'Roll back' };

const names = (addresses: string[]) => addresses.map((a) => `\`${a}\``);

function progressText(p: ApplyProgressReport): string {
  const from = p.source === 'output' ? "Terraform's output" : 'the saved state';
  const head = `From ${from}: **${p.created.length}** created, **${p.changed.length}** changed, **${p.destroyed.length}** destroyed; **${p.notDone.length}** not done`
    + (p.unknown.length ? `, **${p.unknown.length}** the state cannot confirm` : '') + '.';
  const lists = ([['Not done', p.notDone], ['Unconfirmed', p.unknown]] as const).filter(([, list]) => list.length);
  // What is left of the field is shared by the lists, each cut with a count of the rest.
  const room = Math.floor((LIMITS.fieldValue - head.length) / Math.max(1, lists.length)) - 20;
  return [head, ...lists.map(([label, list]) => `${label}: ${linesWithin(names(list), room, ', ')}`)].join('\n');
}

/** The card's facts as embed fields: in the lobby among its own, in the thread as an embed of their own. */
export function recoveryFields(r: RecoveryView): APIEmbedField[] {
  const state = r.savedState
    ? `Serial **${r.savedState.serial}**, saved ${relativeTime(r.savedState.savedAt)}${r.savedState.byThisApply ? ' by this apply' : ' (this apply saved none; the project\'s newest)'} · ${r.resourcesInState} resources in it`
    : 'No state saved: nothing was applied yet.';
  const lock = r.lock.free ? '🔓 Free' : `🔒 Held by session \`${r.lock.sessionId.slice(0, 8)}\` of <@${r.lock.userId}> since ${relativeTime(r.lock.since)}: the actions below are refused until it is released.`;
  const lastGood = r.lastGood ? `Commit \`${r.lastGood.commit.slice(0, 7)}\`, deployed ${relativeTime(r.lastGood.deployedAt)}` : 'None yet: no deployment of this project succeeded.';
  const started = r.lastStarted
    ? [{ name: '↪️ Last started', value: `${RECOVERY_LABELS[r.lastStarted.action]}${r.lastStarted.userId ? ` by <@${r.lastStarted.userId}>` : ''} ${relativeTime(r.lastStarted.at)}${r.lastStarted.sessionId ? ` (session \`${r.lastStarted.sessionId.slice(0, 8)}\`)` : ''}` }]
    : [];
  return [
    { name: '🩹 Saved state', value: state },
    { name: `🧾 Before it stopped (${r.plannedChanges} planned)`, value: progressText(r.progress) },
    { name: '🔐 Project lock', value: lock, inline: true },
    { name: '⏪ Last good deployment', value: lastGood, inline: true },
    {
      name: '🛠️ Ways out (each a new session: plan, policy, approval)',
      value: '**Re-plan**: this session\'s approved configuration, planned from the current state.\n'
        + '**Refresh-only plan**: see what really exists; applying it saves the refreshed state.\n'
        + '**Roll back**: plan the last good deployment\'s configuration.',
    },
    ...started,
  ];
}

/** The card on its own, for the apply's thread (under the apply's summary). */
export function recoveryEmbed(r: RecoveryView, project: string): APIEmbed {
  return clampEmbed({ title: `🩹 Recover ${project}`, color: STATE_COLOR[r.state], fields: recoveryFields(r) });
}

/** Re-plan, Refresh-only plan, Roll back: ids carry the stopped session's id only, so they work after a restart. */
export function recoveryComponents(r: RecoveryView): Array<APIActionRowComponent<APIButtonComponent>> {
  const style: Record<RecoveryAction, ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger> = { replan: ButtonStyle.Primary, refresh: ButtonStyle.Secondary, rollback: ButtonStyle.Danger };
  return [{
    type: ComponentType.ActionRow,
    components: r.actions.map(({ action, bar }) => ({
      type: ComponentType.Button, custom_id: encodeId('recover', r.sessionId, action), label: RECOVERY_LABELS[action], style: style[action],
      // The lock comes and goes between redraws: a click while it is held is refused with who holds it.
      disabled: bar === 'no_deployment' || bar === 'superseded',
    })),
  }];
}
