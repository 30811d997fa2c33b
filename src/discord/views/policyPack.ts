import type { APIEmbed } from 'discord.js';
import type { PolicyChange, PolicyListing } from '../../core/policyAdmin.js';
import type { PolicyTestResult } from '../../core/policyTest.js';
import type { PolicyRule } from '../../domain/policy.js';
import { findingLines, LEVEL_ICON } from './policy.js';
import { clampEmbed, LIMITS, linesWithin, truncate } from './limits.js';

const ruleLine = (r: PolicyRule) =>
  `${LEVEL_ICON[r.level]} \`${r.id}\` · ${r.level} · ${r.scope} · ${r.source === 'default' ? 'default' : `\`${r.source}\``}\n${r.description}\n\`${truncate(r.expression.replace(/\s+/g, ' '), 160).replace(/`/g, "'")}\``;

/** The project's rules, as many as fit (with a count of the rest), and what the pack is made of. */
export function policyListEmbed(project: string, l: PolicyListing): APIEmbed {
  const head = [
    `${l.rules.length} rules; digest \`${l.digest.slice(0, 12)}\`; policy checks **${l.policyChecks ? 'on' : 'off'}**.`,
    `Files: ${l.files.length ? l.files.map((f) => `\`${f}\``).join(', ') : 'none — the default pack only'}.`,
    ...(l.off.length ? [`Off: ${l.off.map((id) => `\`${id}\``).join(', ')}.`] : []),
  ].join('\n');
  return clampEmbed({
    title: `🛡️ Policy pack of ${project}`,
    description: `${truncate(head, 1000)}\n\n${linesWithin(l.rules.map(ruleLine), LIMITS.embedDescription - Math.min(head.length, 1000) - 2, '\n\n')}`,
  });
}

/** The findings of a test as a private reply; nothing was recorded. */
export function policyTestText(r: PolicyTestResult): string {
  const against = r.tested.kind === 'plan' ? `plan \`${r.tested.planId.slice(0, 8)}\` (session \`${r.tested.sessionId.slice(0, 8)}\`)` : 'the plan document';
  const pack = r.candidate ? `the pack with \`${r.candidate.path}\` as attached (not uploaded)` : 'the pack';
  const found = r.findings.length + r.ruleErrors.length;
  const head = [
    `🧪 Tested ${pack}, ${r.ruleCount} rules, against ${against} in ${Math.round(r.ms)} ms: ${found ? `${r.findings.length} finding(s), ${r.ruleErrors.length} rule error(s)` : 'nothing found'}.`,
    ...(r.policyChecks ? [] : ["Policy checks are off for this project: its plans are not checked (`/cloud-settings policy_checks`)."]),
  ].join('\n');
  const lines = findingLines(r);
  return lines.length ? `${head}\n${linesWithin(lines, LIMITS.content - head.length - 1)}` : head;
}

const STALE = 'Plans not yet applied in this project were checked against the old pack: plan them again before approval.';

/** What a committed pack change did, or that nothing changed. */
export function policyChangeText(project: string, c: PolicyChange, what: string): string {
  if (!c.commit) return truncate(`📜 \`${c.path}\` in **${project}** already holds exactly this; nothing was committed.`, LIMITS.content);
  return truncate(`📜 ${what} in **${project}** (commit \`${c.commit.slice(0, 8)}\`; the pack has ${c.ruleCount} rules now).\n${STALE}`, LIMITS.content);
}
