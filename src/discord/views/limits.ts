import type { APIEmbed, APIEmbedField } from 'discord.js';

/** Discord's hard limits; a payload over any of them is refused with a 400. */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedTotal: 6000,
  selectOptions: 25,
  optionLabel: 100,
  optionDescription: 100,
  buttonLabel: 80,
  autocompleteChoices: 25,
  choiceName: 100,
  /** Attachments of a server without boosts: 10 MiB; a margin for the multipart envelope. */
  attachmentBytes: 8 * 1024 * 1024,
} as const;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** As many whole lines as fit, then "+N more" so nobody mistakes a cut list for the whole one. */
export function linesWithin(lines: string[], max: number, sep = '\n'): string {
  const fitted = lines.map((l) => truncate(l, max - 12));
  const all = fitted.join(sep);
  if (all.length <= max) return all;
  const out: string[] = [];
  let size = 0;
  for (const [i, line] of fitted.entries()) {
    const next = size + (out.length ? sep.length : 0) + line.length;
    if (next + sep.length + `+${fitted.length - i - 1} more`.length > max) break;
    out.push(line);
    size = next;
  }
  return [...out, `+${fitted.length - out.length} more`].join(sep);
}

const embedSize = (e: APIEmbed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0) +
  (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/**
 * Applies every embed limit: title, description, field count and sizes, then the 6,000 total —
 * trimming the description first (the resource list), then dropping trailing fields.
 */
export function clampEmbed(embed: APIEmbed): APIEmbed {
  const fields: APIEmbedField[] = (embed.fields ?? []).map((f) => ({
    ...f, name: truncate(f.name || '\u200b', LIMITS.fieldName), value: truncate(f.value || '\u200b', LIMITS.fieldValue),
  }));
  const out: APIEmbed = {
    ...embed,
    ...(embed.title !== undefined ? { title: truncate(embed.title, LIMITS.embedTitle) } : {}),
    ...(embed.description !== undefined ? { description: truncate(embed.description, LIMITS.embedDescription) } : {}),
    ...(embed.footer ? { footer: { ...embed.footer, text: truncate(embed.footer.text, LIMITS.footer) } } : {}),
    fields: fields.length > LIMITS.embedFields
      ? [...fields.slice(0, LIMITS.embedFields - 1), { name: '…', value: `+${fields.length - LIMITS.embedFields + 1} more fields` }]
      : fields,
  };
  let over = embedSize(out) - LIMITS.embedTotal;
  if (over > 0 && out.description) {
    out.description = truncate(out.description, Math.max(1, out.description.length - over));
    over = embedSize(out) - LIMITS.embedTotal;
  }
  while (over > 0 && out.fields?.length) {
    out.fields = out.fields.slice(0, -1);
    over = embedSize(out) - LIMITS.embedTotal;
  }
  return out;
}
