import { processTag, type CoreDeps } from './deps.js';
import { NOTICE_EVENTS, noticeOf, type SessionNotice } from '../domain/notices.js';
import type { PlanRecord } from '../domain/plans.js';
import type { Lock } from '../domain/runs.js';
import type { Session } from '../domain/sessions.js';

/** How long one process may take to announce an event before another takes it up (well within Discord's nonce memory). */
const CLAIM_MS = 60_000;
/** Older events are no news: a process down for longer than this does not post them when it is back. */
const NEWS_MS = 7 * 24 * 3_600_000;

/** What the session's lobby must say happened to it, while it still matters. */
export async function currentNotice(deps: CoreDeps, session: Session, plan: PlanRecord | undefined, lock: Lock | undefined): Promise<SessionNotice | undefined> {
  const row = await deps.store.audit.latestOfSession(session.id, NOTICE_EVENTS);
  const notice = row && noticeOf(row);
  if (!notice) return undefined;
  if (notice.kind === 'expired') return session.state === 'EXPIRED' ? notice : undefined;
  // A force-unlock stops mattering once the session holds the project again, or has planned since.
  const replanned = plan !== undefined && plan.createdAt > notice.at;
  return replanned || lock?.sessionId === session.id ? undefined : notice;
}

export interface PendingNotice {
  session: Session;
  notice: SessionNotice;
}

/**
 * Session events no process has announced yet (whichever process they happened in), each claimed for
 * this process: no other announces it unless this one lets its claim expire. Events of sessions without
 * a message to answer (sessions the CLI ran) are marked done at once.
 */
export async function claimNotices(deps: CoreDeps, limit = 20): Promise<PendingNotice[]> {
  const now = deps.clock.now();
  const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
  const claimed: PendingNotice[] = [];
  for (const row of await deps.store.announcements.pending(NOTICE_EVENTS, at(-NEWS_MS), now.toISOString(), limit)) {
    if (!await deps.store.announcements.claim(row.id, processTag(deps), now.toISOString(), at(CLAIM_MS))) continue;
    const session = await deps.store.sessions.get(row.sessionId!);
    const notice = noticeOf(row);
    if (session?.channelId && session.messageId && notice) claimed.push({ session, notice });
    else await noticeAnnounced(deps, row.id);
  }
  return claimed;
}

/** The event was posted: no process announces it again. */
export const noticeAnnounced = (deps: CoreDeps, auditId: number) => deps.store.announcements.finish(auditId, processTag(deps));
