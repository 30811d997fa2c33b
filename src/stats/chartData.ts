import type { DayCount } from '../domain/stats.js';

/** One bar of the time panel: a day, or a week in long windows. */
export interface Bucket { label: string; succeeded: number; failed: number; interrupted: number }

/** Past this many days a bar per day is a few pixels wide: the panel shows a bar per week instead. */
export const DAILY_UP_TO = 62;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-06-05` → `5 Jun` (with the year: `5 Jun 2025`); fixed English, whatever the host's locale. */
export function dayLabel(date: string, withYear = false): string {
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1]}${withYear ? ` ${year}` : ''}`;
}

/** The window's first and last day, the year once when both share it: `1 Jun – 30 Jun 2025`. */
export function windowLabel(perDay: DayCount[]): string {
  const first = perDay[0]?.date;
  const last = perDay.at(-1)?.date;
  if (!first || !last) return '';
  if (first === last) return dayLabel(last, true);
  return `${dayLabel(first, first.slice(0, 4) !== last.slice(0, 4))} – ${dayLabel(last, true)}`;
}

/**
 * The bars of the time panel, oldest first: a bar per day up to DAILY_UP_TO days, else per 7 days
 * counted back from the last day (so the newest bar is always a whole week ending today; the oldest
 * may be shorter), each labelled with its first day.
 */
export function timeBuckets(perDay: DayCount[]): { unit: 'day' | 'week'; buckets: Bucket[] } {
  const bucket = (days: DayCount[]): Bucket => ({
    label: dayLabel(days[0]!.date),
    succeeded: days.reduce((n, d) => n + d.succeeded, 0),
    failed: days.reduce((n, d) => n + d.failed, 0),
    interrupted: days.reduce((n, d) => n + d.interrupted, 0),
  });
  if (perDay.length <= DAILY_UP_TO) return { unit: 'day', buckets: perDay.map((d) => bucket([d])) };
  const weeks: Bucket[] = [];
  for (let end = perDay.length; end > 0; end -= 7) weeks.unshift(bucket(perDay.slice(Math.max(0, end - 7), end)));
  return { unit: 'week', buckets: weeks };
}

/** A label cut to `max` characters with an ellipsis, so one long name cannot squeeze its panel. */
export const shorten = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
