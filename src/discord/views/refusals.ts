import type { Refusal } from '../../domain/errors.js';
import { allows, SESSION_STATES, type SessionAction } from '../../domain/sessions.js';
import { STATE_BADGE } from './format.js';

const DONE: Record<SessionAction, string> = { edit: 'changed', plan: 'planned', approve: 'approved', cancel: 'cancelled' };

/** A refusal the core gave as data, in the lobby's words. */
export function refusalText(r: Refusal): string {
  switch (r.kind) {
    case 'session_state': {
      const allowed = SESSION_STATES.filter((s) => allows(s, r.action)).map((s) => STATE_BADGE[s]);
      return `This session is ${STATE_BADGE[r.state]}, so it can't be ${DONE[r.action]} — only a session that is ${allowed.join(' or ')} can.`;
    }
  }
}
