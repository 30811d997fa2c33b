import type { SessionState } from '../domain/sessions.js';

/** The session state machine (ARCHITECTURE.md). Anything not listed here cannot happen. */
export const TRANSITIONS: Record<SessionState, readonly SessionState[]> = {
  DRAFT: ['PLANNING', 'CANCELLED', 'EXPIRED'],
  PLANNING: ['PLANNED', 'PLAN_FAILED', 'INTERRUPTED'],
  PLANNED: ['APPLYING', 'DRAFT', 'PLANNING', 'CANCELLED', 'EXPIRED'],
  PLAN_FAILED: ['DRAFT', 'PLANNING', 'CANCELLED', 'EXPIRED'],
  APPLYING: ['APPLIED', 'FAILED', 'INTERRUPTED'],
  APPLIED: [],
  FAILED: [],
  INTERRUPTED: [],
  CANCELLED: [],
  EXPIRED: [],
};

/** States from which `to` may be entered: the `from` set of a compare-and-set. */
export function sourcesOf(to: SessionState): SessionState[] {
  return (Object.keys(TRANSITIONS) as SessionState[]).filter((from) => TRANSITIONS[from].includes(to));
}

export const EDITABLE: readonly SessionState[] = ['DRAFT', 'PLANNED', 'PLAN_FAILED'];
export const HOLDS_LOCK: readonly SessionState[] = ['PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPLYING'];
