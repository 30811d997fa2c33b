import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from 'discord.js';
import { LIMITS } from './limits.js';

/** One page of a list too long for one select (Discord allows 25 options). */
export interface Page<T> {
  at: number;
  pages: number;
  shown: T[];
  /** " (regions 26–40 of 40)" when there is more than one page, else empty. */
  range: string;
}

export function pageOf<T>(items: readonly T[], page: number, noun: string): Page<T> {
  const per = LIMITS.selectOptions;
  const pages = Math.max(1, Math.ceil(items.length / per));
  const at = Math.min(Math.max(0, page), pages - 1);
  const shown = items.slice(at * per, (at + 1) * per);
  return { at, pages, shown, range: pages > 1 ? ` (${noun} ${at * per + 1}–${at * per + shown.length} of ${items.length})` : '' };
}

/** Previous/Next buttons; `idFor` makes each one's custom id (its side keeps the two distinct at the ends). */
export function pagerRow(p: Page<unknown>, idFor: (page: number, side: 'p' | 'n') => string): APIActionRowComponent<APIComponentInMessageActionRow> {
  const turn = (to: number, label: string, side: 'p' | 'n') => ({
    type: ComponentType.Button as const, style: ButtonStyle.Secondary as const, label, disabled: to < 0 || to >= p.pages,
    custom_id: idFor(Math.min(Math.max(to, 0), p.pages - 1), side),
  });
  return { type: ComponentType.ActionRow, components: [turn(p.at - 1, '◀ Previous', 'p'), turn(p.at + 1, 'Next ▶', 'n')] };
}
