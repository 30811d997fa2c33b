import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed } from 'discord.js';
import type { DriftedResource, DriftReport, DriftState, TrackedDrift } from '../../domain/drift.js';
import { encodeId } from '../customId.js';
import type { OutgoingMessage } from '../outbox.js';
import { clampEmbed, linesWithin, LIMITS } from './limits.js';
import { relativeTime } from './format.js';

const DRIFT_COLOR = 0xe67e22;
const CLEAN_COLOR = 0x2ecc71;

/** A value as a reader compares it: JSON in inline code, or "none" where the side has no such field. */
const shown = (v: unknown) => (v === undefined ? '*none*' : `\`${JSON.stringify(v).replace(/`/g, 'ˋ').slice(0, 200)}\``);

/** Each drifted resource, missing or changed attribute by attribute (deployed → observed), with since when when kept. */
function driftLines(drifted: Array<DriftedResource & { since?: string }>): string[] {
  return drifted.flatMap((d) => {
    const since = d.since ? ` · since ${relativeTime(d.since)}` : '';
    return d.kind === 'missing'
      ? [`**${d.name}** (${d.type}): missing — deleted outside Cloud Engine${since}`]
      : [`**${d.name}** (${d.type}): changed${since}`, ...d.attributes.map((a) => `• ${a.attribute}: ${shown(a.deployed)} → ${shown(a.observed)}`)];
  });
}

/** What `/cloud-drift` found: each drifted resource, missing or changed attribute by attribute (deployed → observed). */
export function driftEmbed(project: string, r: DriftReport): APIEmbed {
  if (!r.drifted.length) {
    return { title: `No drift in ${project}`, description: `The ${r.resources} deployed resource(s) are as deployed (checked ${relativeTime(r.checkedAt)}).`, color: CLEAN_COLOR };
  }
  return clampEmbed({
    title: `Drift in ${project}: ${r.drifted.length} of ${r.resources} resource(s)`,
    description: linesWithin([...driftLines(r.drifted), '', `Checked ${relativeTime(r.checkedAt)}, deployed → observed.`], LIMITS.embedDescription),
    color: DRIFT_COLOR,
  });
}

const driftButton = (action: 'driftAdopt' | 'driftRevert', project: string, label: string, style: ButtonStyle.Primary | ButtonStyle.Danger): APIButtonComponent => ({
  type: ComponentType.Button, custom_id: encodeId(action, project), label, style,
});

/**
 * The drift thread's starter message while the drift is open: what drifts and since when, the last check,
 * and Adopt / Revert (the buttons carry the project's name only: a click reads the drift as it is then).
 */
export function driftCard(project: string, open: { resources: TrackedDrift[]; since: string }, checkedAt: string | null): OutgoingMessage {
  const row: APIActionRowComponent<APIButtonComponent> = {
    type: ComponentType.ActionRow,
    components: [driftButton('driftAdopt', project, 'Adopt', ButtonStyle.Primary), driftButton('driftRevert', project, 'Revert', ButtonStyle.Danger)],
  };
  const footer = [
    `Drifting since ${relativeTime(open.since)}${checkedAt ? `, last checked ${relativeTime(checkedAt)}` : ''}; deployed → observed.`,
    '**Adopt** accepts the real values (the configuration follows them); **Revert** puts back what was deployed. Each opens a lobby, reviewed and approved like any deployment.',
  ];
  return {
    embeds: [clampEmbed({ title: `⚠️ Drift in ${project}: ${open.resources.length} resource(s)`, description: linesWithin([...driftLines(open.resources), '', ...footer], LIMITS.embedDescription), color: DRIFT_COLOR })],
    components: [row],
  };
}

/** The starter message once the drift is gone: no buttons left to press. */
export function resolvedCard(project: string, state: DriftState): OutgoingMessage {
  return {
    embeds: [{ title: `✅ No drift in ${project}`, description: `The cloud holds what was deployed again${state.checkedAt ? ` (checked ${relativeTime(state.checkedAt)})` : ''}.`, color: CLEAN_COLOR }],
    components: [],
  };
}

/** The thread's first message: what the card above is for. */
export const driftThreadOpenedNote = (project: string) =>
  `🧭 The cloud of **${project}** no longer holds what was deployed. This thread follows the drift until it is gone: each check updates the message above; **Adopt** or **Revert** opens a lobby for review.`;

export const driftThreadClosedNote = (project: string, state: DriftState) =>
  `✅ The drift in **${project}** is gone${state.checkedAt ? `: the check ${relativeTime(state.checkedAt)} found the cloud as deployed` : ''}. This thread is closed.`;

/** Said in the drift's thread when someone starts adopting or reverting it. */
export const driftActionNote = (action: 'adopt' | 'revert', userId: string, lobbyUrl: string) =>
  `${action === 'adopt' ? '📥' : '↩️'} <@${userId}> started **${action === 'adopt' ? 'Adopt' : 'Revert'}**: ${lobbyUrl} — once it is applied, the next check closes this thread.`;
