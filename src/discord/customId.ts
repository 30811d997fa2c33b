/**
 * The one codec for component custom ids: `v1:<action>:<sessionId>[:<arg>]` (a drift card's buttons carry
 * the project's name in the id's place: the click's server makes it the project). Ids only — every
 * click reloads the session from the orchestrator, so buttons keep working after a restart and
 * a stale click can never act on state the message happened to show.
 */
export const ACTIONS = {
  add: 'add', // Add Resource button → type select
  type: 'type', // resource type select → region step
  region: 'region', // region select (arg: type) → zone or direction step, or the modal
  regionPage: 'rpage', // region page button (arg: type.<page>p|n)
  zone: 'zone', // a VM's zone select (arg: type.region) → modal
  direction: 'dir', // a firewall rule's direction select (arg: type.region) → modal
  modal: 'modal', // resource modal submit (arg: type[.region[.zone|direction]]; an edit's type is type-<ref>)
  edit: 'edit', // Edit Resource button → resource select
  editSelect: 'edsel', // resource select → its region step (arg of the steps after it: type-<ref>…)
  keep: 'keep', // an edit's Keep button (arg: type-<ref>.region[.detail]) → the modal where it is
  retry: 'retry', // Edit and retry, after a refused modal (arg: the id of what was typed, kept in the store)
  remove: 'rm', // Remove Resource button → resource select
  removeSelect: 'rmsel', // resource select → removed
  pickPage: 'pick', // page button of the Edit / Remove resource select (arg: edit|remove.<page>p|n)
  plan: 'plan', // Refresh: run the plan
  approve: 'approve', // Approve & Deploy
  override: 'override', // Approve with budget override (admins)
  policyOverride: 'pover', // Override policy (admins) → the reason modal
  policyReason: 'preason', // the reason modal's submit → the override is recorded
  cancel: 'cancel', // Cancel the session
  driftAdopt: 'dadopt', // Adopt on a drift thread's card (the id is the project's name) → a lobby accepting the real values
  driftRevert: 'drevert', // Revert on a drift thread's card (the id is the project's name) → a lobby putting back what was deployed
  // A lease reminder's buttons carry the project's name where a session id goes (the server is the clicker's).
  leaseExtend: 'lext', // Extend the project's environment lease
  leaseDestroy: 'ldestroy', // Destroy now: the expiry's destroy session starts at once
  recover: 'recover', // a recovery card's button on an INTERRUPTED / FAILED session (arg: replan|refresh|rollback) → a new session's lobby
} as const;

export type ActionKey = keyof typeof ACTIONS;
export type ActionCode = (typeof ACTIONS)[ActionKey];

export interface CustomId {
  action: ActionKey;
  sessionId: string;
  arg?: string;
}

export const CUSTOM_ID_MAX = 100;
const VERSION = 'v1';
const SESSION_ID = /^[A-Za-z0-9-]{1,64}$/;
const ARG = /^[A-Za-z0-9_.-]{1,60}$/;
const BY_CODE = new Map<string, ActionKey>(Object.entries(ACTIONS).map(([key, code]) => [code, key as ActionKey]));

export function encodeId(action: ActionKey, sessionId: string, arg?: string): string {
  if (!SESSION_ID.test(sessionId)) throw new Error(`custom id: bad session id '${sessionId.slice(0, 70)}'`);
  if (arg !== undefined && !ARG.test(arg)) throw new Error(`custom id: bad argument '${arg.slice(0, 50)}'`);
  const id = [VERSION, ACTIONS[action], sessionId, ...(arg === undefined ? [] : [arg])].join(':');
  if (id.length > CUSTOM_ID_MAX) throw new Error(`custom id longer than ${CUSTOM_ID_MAX} characters: ${id}`);
  return id;
}

/** Undefined for anything this version of the bot did not make: the router logs it and moves on. */
export function decodeId(raw: string): CustomId | undefined {
  if (raw.length > CUSTOM_ID_MAX) return undefined;
  const [version, code, sessionId, arg, ...rest] = raw.split(':');
  const action = code === undefined ? undefined : BY_CODE.get(code);
  if (version !== VERSION || !action || !sessionId || !SESSION_ID.test(sessionId) || rest.length) return undefined;
  if (arg !== undefined && !ARG.test(arg)) return undefined;
  return arg === undefined ? { action, sessionId } : { action, sessionId, arg };
}
