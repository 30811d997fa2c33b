import type { APIEmbedField } from 'discord.js';
import type { PendingNotice } from '../../core/notices.js';
import type { NoticeActor, SessionNotice } from '../../domain/notices.js';
import { projectName } from '../../domain/projects.js';
import { allows, type Session } from '../../domain/sessions.js';
import { quotedText, relativeTime } from './format.js';
import { LIMITS, truncate } from './limits.js';

/** A member as a mention (shown as their name, pinging nobody: every message allows no mentions); the operator by login. */
const who = (by: NoticeActor) => (by.operator ? `the operator **${by.name ?? by.id}** (command line)` : `<@${by.id}>`);

/** How long a session sat idle before it expired, when the row says. */
export const idleFor = (minutes: number | null) => (minutes === null ? 'without activity' : `after ${minutes} minute${minutes === 1 ? '' : 's'} without activity`);

/** What the force-unlock cut short, from the state the session was in; and what its owner can still do. */
function consequence(heldIn: Session['state'] | null, session: Session): string {
  const cut = heldIn === 'APPLYING' ? 'Its apply was interrupted; the state Terraform had written was saved.'
    : heldIn === 'PLANNING' ? 'Its plan was stopped.'
      : heldIn === 'PLANNED' ? 'Its plan can no longer be approved.' : '';
  const next = allows(session.state, 'plan') ? ' **Refresh** plans again once the project is free.' : '';
  return `${cut}${next}`.trim();
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `subject` names the session as the reader sees it ("this session" in its own lobby). */
function sentence(notice: SessionNotice, session: Session, subject: string): string {
  if (notice.kind === 'expired') {
    return `⌛ ${capital(subject)} expired ${relativeTime(notice.at)}, ${idleFor(notice.idleMinutes)}; the project is free for others. Open a new lobby with \`/cloud-deploy\`.`;
  }
  return `🔓 ${capital(who(notice.by))} force-released the project's lock held by ${subject} ${relativeTime(notice.at)}: “${quotedText(notice.reason, 500)}”. ${consequence(notice.heldIn, session)}`.trim();
}

/** The lobby's own account of what happened to it. */
export function noticeField(notice: SessionNotice, session: Session): APIEmbedField {
  return { name: notice.kind === 'expired' ? '⌛ Expired' : '🔓 Lock force-released', value: truncate(sentence(notice, session, 'this session'), LIMITS.fieldValue) };
}

/** The reply to the lobby that tells its channel. */
export function noticeAnnouncement({ notice, session }: PendingNotice): string {
  return truncate(sentence(notice, session, `session \`${session.id.slice(0, 8)}\` of **${projectName(session.projectId)}**`), LIMITS.content);
}
