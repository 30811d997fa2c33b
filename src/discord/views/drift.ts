import type { APIEmbed } from 'discord.js';
import type { DriftReport } from '../../domain/drift.js';
import { clampEmbed, linesWithin, LIMITS } from './limits.js';
import { relativeTime } from './format.js';

const DRIFT_COLOR = 0xe67e22;
const CLEAN_COLOR = 0x2ecc71;

/** A value as a reader compares it: JSON in inline code, or "none" where the side has no such field. */
const shown = (v: unknown) => (v === undefined ? '*none*' : `\`${JSON.stringify(v).replace(/`/g, 'ˋ').slice(0, 200)}\``);

/** What `/cloud-drift` found: each drifted resource, missing or changed attribute by attribute (deployed → observed). */
export function driftEmbed(project: string, r: DriftReport): APIEmbed {
  if (!r.drifted.length) {
    return { title: `No drift in ${project}`, description: `The ${r.resources} deployed resource(s) are as deployed (checked ${relativeTime(r.checkedAt)}).`, color: CLEAN_COLOR };
  }
  const lines = r.drifted.flatMap((d) => d.kind === 'missing'
    ? [`**${d.name}** (${d.type}): missing — deleted outside Cloud Engine`]
    : [`**${d.name}** (${d.type}): changed`, ...d.attributes.map((a) => `• ${a.attribute}: ${shown(a.deployed)} → ${shown(a.observed)}`)]);
  return clampEmbed({
    title: `Drift in ${project}: ${r.drifted.length} of ${r.resources} resource(s)`,
    description: linesWithin([...lines, '', `Checked ${relativeTime(r.checkedAt)}, deployed → observed.`], LIMITS.embedDescription),
    color: DRIFT_COLOR,
  });
}
