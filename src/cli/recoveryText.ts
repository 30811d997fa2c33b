import type { RecoveryAction, RecoveryBar, RecoveryView } from '../core/recoveryView.js';

const FLAG: Record<RecoveryAction, string> = { replan: '--replan', refresh: '--refresh', rollback: '--rollback' };
const WHAT: Record<RecoveryAction, string> = {
  replan: "plan this session's approved configuration again, from the current state",
  refresh: 'a refresh-only plan: see what really exists; applying it saves the refreshed state',
  rollback: "plan the last good deployment's configuration",
};
const BARRED: Record<RecoveryBar, string> = {
  locked: 'refused while the project is locked',
  no_deployment: 'no successful deployment to return to',
  not_allowed: 'you may not (rollback needs a project admin, the others a deployer)',
  superseded: 'a later apply ran after this one: recover from that one',
};

const list = (label: string, addresses: string[]) => (addresses.length ? [`    ${label}: ${addresses.join(', ')}`] : []);

/** The recovery card as the terminal shows it: the same facts and choices as the lobby's, as commands. */
export function recoveryLines(r: RecoveryView): string[] {
  const p = r.progress;
  const lock = r.lock.free ? 'free' : `held by session ${r.lock.sessionId} (user ${r.lock.userId}) since ${r.lock.since}`;
  return [
    `Recovery for session ${r.sessionId} (${r.state})`,
    `  Saved state: ${r.savedState ? `serial ${r.savedState.serial}, saved ${r.savedState.savedAt}${r.savedState.byThisApply ? ' by this apply' : " (this apply saved none; the project's newest)"}, ${r.resourcesInState} resources in it` : 'none'}`,
    `  Before it stopped (from ${p.source === 'output' ? "Terraform's output" : 'the saved state'}, ${r.plannedChanges} planned): ${p.created.length} created, ${p.changed.length} changed, ${p.destroyed.length} destroyed, ${p.notDone.length} not done${p.unknown.length ? `, ${p.unknown.length} the state cannot confirm` : ''}`,
    ...list('not done', p.notDone), ...list('unconfirmed', p.unknown),
    `  Project lock: ${lock}`,
    `  Last good deployment: ${r.lastGood ? `commit ${r.lastGood.commit.slice(0, 12)}, deployed ${r.lastGood.deployedAt}` : 'none'}`,
    ...(r.lastStarted ? [`  Last started: ${FLAG[r.lastStarted.action]} by ${r.lastStarted.userId ?? 'the system'} at ${r.lastStarted.at}${r.lastStarted.sessionId ? ` (session ${r.lastStarted.sessionId})` : ''}`] : []),
    'Ways out (each a new session, planned and approved as usual; add --yes to apply it):',
    ...r.actions.map(({ action, bar }) => `  cloud-engine recover --session ${r.sessionId} ${FLAG[action].padEnd(10)} ${WHAT[action]}${bar ? ` — ${BARRED[bar]}` : ''}`),
  ];
}

/** What to run to apply the recovery just planned. */
export const applyRecoveryHint = (sessionId: string, action: RecoveryAction) =>
  `Next: review the plan above, then apply it with: cloud-engine recover --session ${sessionId} ${FLAG[action]} --yes`;
