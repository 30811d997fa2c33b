import type { ProjectKey } from './projects.js';
import type { Provider } from './resources.js';

export const SESSION_STATES = ['DRAFT', 'PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPLYING', 'APPLIED', 'FAILED', 'INTERRUPTED', 'CANCELLED', 'EXPIRED'] as const;

export type SessionState = (typeof SESSION_STATES)[number];

export const FINAL_STATES: readonly SessionState[] = ['APPLIED', 'FAILED', 'INTERRUPTED', 'CANCELLED', 'EXPIRED'];

/**
 * Why a session exists: an edit of the project (`deploy`), or one started by an action on it: a rollback, drift
 * adopted or reverted, recovery after an interrupted apply (re-plan, refresh), an environment's expiry.
 */
export const SESSION_PURPOSES = ['deploy', 'rollback', 'adopt', 'revert', 'replan', 'refresh', 'expiry'] as const;
export type SessionPurpose = (typeof SESSION_PURPOSES)[number];
/** A purpose's name, as every adapter shows it (like a provider's label). */
export const PURPOSE_LABELS: Record<SessionPurpose, string> = {
  deploy: 'deployment', rollback: 'rollback', adopt: 'drift adoption', revert: 'drift revert', replan: 'recovery re-plan', refresh: 'state refresh', expiry: 'environment expiry',
};

/**
 * How the session's configuration is planned: as usual; refresh-only (the state follows what really exists,
 * nothing is created, changed or destroyed); or as usual but replacing the given Terraform addresses.
 */
export type PlanMode = { kind: 'normal' } | { kind: 'refresh_only' } | { kind: 'replace'; addresses: string[] };
export const NORMAL_PLAN: PlanMode = { kind: 'normal' };

/**
 * Purposes whose configuration is what the action chose (the real values, the deployed specs, nothing at all):
 * planned as it is or cancelled, never edited. A rollback or a re-plan only starts from a configuration.
 */
const FIXED_PURPOSES: readonly SessionPurpose[] = ['adopt', 'revert', 'refresh', 'expiry'];
export const isFixed = (s: Pick<Session, 'purpose' | 'planMode'>): boolean => FIXED_PURPOSES.includes(s.purpose) || s.planMode.kind !== 'normal';

export interface Session {
  id: string;
  projectId: ProjectKey;
  guildId: string;
  userId: string;
  userName: string;
  provider: Provider;
  state: SessionState;
  channelId: string | null;
  messageId: string | null;
  threadId: string | null;
  /** The apply's status board in its thread, once posted. */
  boardMessageId: string | null;
  error: string | null;
  /** For a rollback: the commit whose configuration this session holds (committed as "Rollback to …" once applied). */
  rollbackOf: string | null;
  purpose: SessionPurpose;
  planMode: PlanMode;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
}

/** Where a session's lobby, apply thread and status board live, so any bot process can edit them. */
export interface MessageRefs {
  channelId?: string;
  messageId?: string;
  threadId?: string;
  boardMessageId?: string;
}

/**
 * What someone typed into a form the core refused, kept so they can correct it instead of typing it again:
 * the form (an adapter's key for it) and its values, as that adapter's fields hold them. Only its author
 * may read it, and only until it expires.
 */
export interface FormDraft {
  id: string;
  sessionId: string;
  userId: string;
  form: string;
  values: Record<string, string | string[]>;
  createdAt: string;
  expiresAt: string;
}

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

export const HOLDS_LOCK: readonly SessionState[] = ['PLANNING', 'PLANNED', 'PLAN_FAILED', 'APPLYING'];

/** What a user may do to a session in each state; the core enforces it and adapters offer only these. */
export type SessionAction = 'edit' | 'plan' | 'approve' | 'cancel';

const EDITABLE_ACTIONS: readonly SessionAction[] = ['edit', 'plan', 'cancel'];
export const ACTIONS: Record<SessionState, readonly SessionAction[]> = {
  DRAFT: EDITABLE_ACTIONS,
  PLANNING: [],
  PLANNED: [...EDITABLE_ACTIONS, 'approve'],
  PLAN_FAILED: EDITABLE_ACTIONS,
  APPLYING: [],
  APPLIED: [],
  FAILED: [],
  INTERRUPTED: [],
  CANCELLED: [],
  EXPIRED: [],
};

export const allows = (state: SessionState, action: SessionAction): boolean => ACTIONS[state].includes(action);

/** States whose resources can still change (and that can be planned or cancelled). */
export const EDITABLE: readonly SessionState[] = SESSION_STATES.filter((s) => allows(s, 'edit'));
