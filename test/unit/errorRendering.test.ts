/**
 * The core says what a user can do next as data (NextStep); each adapter renders it in its own words.
 * One table, both renderers: every kind reaches the user, in Discord with its commands and buttons, in
 * the CLI with the command line that does it, and neither adapter's words leak into the other.
 */
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { renderCliError } from '../../src/cli/errors.js';
import { errorReply } from '../../src/discord/errors.js';
import { applyNotStartable, budgetExceeded, CoreError, fileInTheWay, lockLost, lostRace, noApplyRunning, noConfigurationAt, noEncryptionKey, noIdentity, noPlan, noState, noSuchProject, noSuchResource, noSuchSession, notAllowed, operatorOnly, projectExists, serverAdminOnly, sessionExpired, sessionStateError, shuttingDown, stalePlan, unlockPending, unrestorable, type Denial, type NextStep } from '../../src/domain/errors.js';
import { projectKey } from '../../src/domain/projects.js';
import { driftRunId } from '../../src/domain/runs.js';
import { SYSTEM_USER_ID } from '../../src/core/drift.js';
import { lockedBy } from '../../src/core/leases.js';
import type { CoreDeps } from '../../src/core/deps.js';
import { micros } from '../../src/domain/money.js';

const USER = '200000000000000002';
/** A project the CLI created without --guild: its commands name it with its server, as --project always takes. */
const SHOP = projectKey('local', 'shop');
const STEPS: Array<[NextStep, RegExp, RegExp]> = [
  [{ kind: 'new_session', projectId: SHOP }, /Start a new one with `\/cloud-deploy`/, /start again: cloud-engine plan --project local\/shop --resources <file>/],
  [{ kind: 'replan', projectId: SHOP, sessionId: 's-1' }, /Click \*\*Refresh\*\* to plan again/, /plan again: cloud-engine plan --project local\/shop/],
  [{ kind: 'wait_or_unlock', projectId: SHOP, holderUserId: USER }, new RegExp(`held by <@${USER}>.*\`/cloud-unlock\``), new RegExp(`held by user ${USER}.*cloud-engine unlock --project local\/shop --reason <why>`)],
  [{ kind: 'pick_deployment', projectId: SHOP }, /from `\/cloud-git-log`/, /cloud-engine git log --project local\/shop/],
  [{ kind: 'set_identity', projectId: SHOP }, /`\/cloud-credentials`[^]*CLOUD_DEFAULT_CREDENTIALS=allow/, /cloud-engine credentials --project local\/shop[^]*CLOUD_DEFAULT_CREDENTIALS=allow/],
];

const discord = (e: CoreError) => errorReply(e, pino({ level: 'silent' }), {}).content ?? '';
const cli = (e: CoreError) => {
  const lines: string[] = [];
  const code = renderCliError(e, { out: () => {}, err: (t) => lines.push(t) });
  return { code, text: lines.join('\n') };
};

describe('what to do next, per adapter', () => {
  it.each(STEPS)('GIVEN a refusal with next step %o THEN Discord names its command or button and the CLI its command line', (next, inDiscord, inCli) => {
    const e = new CoreError('invalid_state', 'This session expired.', [], next);
    const reply = discord(e);
    expect(reply).toMatch(/^⚠️ This session expired\.\n/);
    expect(reply).toMatch(inDiscord);
    expect(reply).not.toMatch(/cloud-engine /);
    const { code, text } = cli(e);
    expect(text).toMatch(/^error: This session expired\.\n  → /);
    expect(text).toMatch(inCli);
    expect(text).not.toMatch(/\/cloud-|<@|Click/);
    expect(code).toBe(2);
  });

  it('GIVEN a project of a Discord server THEN the CLI names it with that server, and Discord by its name alone', () => {
    const e = new CoreError('invalid_state', 'This session expired.', [], { kind: 'new_session', projectId: projectKey('111111111111111111', 'shop') });
    expect(cli(e).text).toContain('cloud-engine plan --project 111111111111111111/shop --resources <file>');
    expect(discord(e)).not.toContain('111111111111111111');
  });

  it('GIVEN a refusal without a next step THEN each adapter shows the message alone', () => {
    const e = new CoreError('locked', 'Project shop is locked by session abcd1234 since 2026-11-28T10:00:00.000Z.');
    expect(discord(e)).toBe('🔒 Project shop is locked by session abcd1234 since 2026-11-28T10:00:00.000Z.');
    expect(cli(e)).toEqual({ code: 5, text: 'error: Project shop is locked by session abcd1234 since 2026-11-28T10:00:00.000Z.' });
  });
});

describe('refusals given as data, per adapter', () => {
  it.each([
    ['APPLIED', 'edit', /^⚠️ This session is ✅ APPLIED, so it can't be changed — only a session that is 📝 DRAFT or 📋 PLANNED or ⚠️ PLAN FAILED can\.$/, 'error: the session is APPLIED; edit needs it to be DRAFT or PLANNED or PLAN_FAILED'],
    ['DRAFT', 'approve', /^⚠️ This session is 📝 DRAFT, so it can't be approved — only a session that is 📋 PLANNED can\.$/, 'error: the session is DRAFT; approve needs it to be PLANNED'],
    ['APPLYING', 'plan', /^⚠️ This session is 🚀 APPLYING, so it can't be planned — only a session that is 📝 DRAFT or 📋 PLANNED or ⚠️ PLAN FAILED can\.$/, 'error: the session is APPLYING; plan needs it to be DRAFT or PLANNED or PLAN_FAILED'],
    ['CANCELLED', 'cancel', /^⚠️ This session is 🚫 CANCELLED, so it can't be cancelled — only a session that is 📝 DRAFT or 📋 PLANNED or ⚠️ PLAN FAILED can\.$/, 'error: the session is CANCELLED; cancel needs it to be DRAFT or PLANNED or PLAN_FAILED'],
  ] as const)('GIVEN a %s session asked to %s THEN each adapter says so in its own words, from the same data', (state, action, inDiscord, inCli) => {
    const e = sessionStateError(state, action);
    expect(e.refusal).toEqual({ kind: 'session_state', state, action });
    expect(discord(e)).toMatch(inDiscord);
    expect(cli(e)).toEqual({ code: 2, text: inCli });
  });

  it('GIVEN a refusal with data and a next step THEN both reach the user', () => {
    const e = sessionStateError('EXPIRED', 'edit', { kind: 'new_session', projectId: SHOP });
    expect(discord(e)).toMatch(/can't be changed[^]*\nStart a new one with `\/cloud-deploy`\.$/);
    expect(cli(e).text).toMatch(/^error: the session is EXPIRED; edit needs it to be DRAFT or PLANNED or PLAN_FAILED\n  → start again: cloud-engine plan --project local\/shop/);
  });
});

describe('a lock held by another session, per adapter', () => {
  const held = (run: { pid: number; host: string } | null) => new CoreError('locked', 'the fallback sentence', [], { kind: 'wait_or_unlock', projectId: SHOP, holderUserId: USER },
    { kind: 'project_locked', projectId: SHOP, sessionId: 'abcd1234-0000', since: '2026-11-28T10:00:00.000Z', run, holder: 'session' });
  it('GIVEN the holder has no live run THEN Discord shows when as a relative timestamp and the CLI the instant itself', () => {
    expect(discord(held(null))).toBe(`🔒 Project shop is locked by session abcd1234 since <t:1795860000:R>.\nIt is held by <@${USER}>: wait for it to finish, or ask an admin to \`/cloud-unlock\` it.`);
    expect(cli(held(null))).toEqual({ code: 5, text: `error: Project shop is locked by session abcd1234 since 2026-11-28T10:00:00.000Z\n  → it is held by user ${USER}: wait for it to finish, or release it with: cloud-engine unlock --project local/shop --reason <why>` });
  });
  it('GIVEN a live run THEN both say which process runs it', () => {
    expect(discord(held({ pid: 4242, host: 'runner-1' }))).toContain('and its Terraform is running right now (process 4242 on runner-1).');
    expect(cli(held({ pid: 4242, host: 'runner-1' })).text).toContain('(a run is in progress: process 4242 on runner-1)');
    expect(discord(held(null))).not.toContain('fallback');
  });
  it('GIVEN a drift check holding the project THEN both say so, with no session id and no one to mention', () => {
    // An ownerless lock: lockedBy needs no deps to tell whether its run is live.
    const check = lockedBy({} as CoreDeps, {
      projectId: SHOP, sessionId: driftRunId('5e2c0000-0000'), userId: SYSTEM_USER_ID, acquiredAt: '2026-11-28T10:00:00.000Z', fence: 1, owner: null,
      runPid: null, runDir: null, heartbeatAt: null, expiresAt: '2026-11-28T10:05:00.000Z', cancelRequestedBy: null,
    });
    expect(discord(check)).toBe('🔒 Project shop is being checked for drift (since <t:1795860000:R>); it is free again as soon as the check ends — try again in a moment.');
    expect(cli(check)).toEqual({ code: 5, text: 'error: project shop is being checked for drift (since 2026-11-28T10:00:00.000Z); it is free again as soon as the check ends — try again in a moment' });
  });
});

describe('what is not there, per adapter', () => {
  it('GIVEN no such project or session THEN Discord speaks of this server and this session, the CLI says where to look', () => {
    expect(discord(noSuchProject('ghost'))).toBe("🔍 Project 'ghost' was not found in this server.");
    expect(cli(noSuchProject('ghost'))).toEqual({ code: 4, text: "error: project 'ghost' was not found in that server (cloud-engine project list shows every project with its server)" });
    expect(discord(noSuchSession())).toBe('🔍 This deployment session no longer exists.');
    expect(cli(noSuchSession()).text).toMatch(/^error: no such session/);
    expect(noSuchProject('x'.repeat(500)).refusal).toEqual({ kind: 'no_such_project', name: 'x'.repeat(40) });
  });
});

describe('someone else got there first, per adapter', () => {
  it.each([
    ['approval', '⚠️ This deployment was already approved.', 'error: the deployment was already approved (by this or another process)'],
    ['session_change', '⚠️ The session changed meanwhile (another plan, approval or cancel); its lobby shows where it stands now.', 'error: the session changed meanwhile (another plan, approval or cancel): run the command again'],
    ['new_plan', '⚠️ This plan was replaced meanwhile; click **Refresh** and approve the new one.', 'error: the plan was replaced meanwhile: plan again, then apply the new plan'],
    ['lock_change', '⚠️ The project lock changed hands meanwhile; try again.', 'error: the project lock changed hands meanwhile: run the command again'],
  ] as const)('GIVEN a lost race to %s THEN the lobby points at its button and the terminal at its command', (to, inDiscord, inCli) => {
    expect(discord(lostRace(to))).toBe(inDiscord);
    expect(cli(lostRace(to))).toEqual({ code: 5, text: inCli });
  });

  it('GIVEN a process shutting down THEN each adapter says to try again its own way', () => {
    expect(discord(shuttingDown())).toBe('⚠️ Cloud Engine is restarting; try again in a minute.');
    expect(cli(shuttingDown())).toEqual({ code: 2, text: 'error: this process is shutting down: run the command again' });
  });
});

describe('rights refusals, per adapter', () => {
  const DENIALS: Denial[] = ['other_server', 'not_member', 'not_project_admin', 'not_deployer', 'not_session_owner', 'not_approver', 'self_approval_off'];
  it('GIVEN each reason the rights check gives THEN the lobby words it (a member is told how to get a role) and the terminal names it', () => {
    const lobby = DENIALS.map((d) => discord(notAllowed(d)));
    expect(new Set(lobby).size).toBe(DENIALS.length);
    expect(lobby.every((l) => l.startsWith('🚫 '))).toBe(true);
    expect(discord(notAllowed('not_member'))).toBe('🚫 You are not a member of this project. Ask a project admin for the viewer role (`/cloud-grant`).');
    expect(discord(notAllowed('self_approval_off'))).toBe('🚫 This project does not allow approving your own plan; ask another approver.');
    expect(cli(notAllowed('not_approver'))).toEqual({ code: 3, text: "error: not allowed: not approver (the CLI acts as the operator; this refusal came from a server member's rights)" });
  });
});

describe('who may, and what it costs, per adapter', () => {
  it('GIVEN a server-admin-only or operator-only action THEN the lobby says who may and how, the terminal names it', () => {
    expect(discord(serverAdminOnly('create_project'))).toBe('🚫 Only a server admin (Administrator or Manage Server) can create projects.');
    expect(cli(serverAdminOnly('read_server_audit'))).toEqual({ code: 3, text: 'error: only a server admin may read server audit' });
    expect(discord(operatorOnly('backup'))).toBe('🚫 Backups are taken by the operator with `cloud-engine backup` on the machine that holds the store.');
    expect(cli(operatorOnly('rekey')).text).toBe('error: only the operator may rekey');
  });

  it('GIVEN a plan over budget THEN both show the amounts in dollars from the same micro-dollars, and the terminal says how to override', () => {
    const e = budgetExceeded(micros(1_234_567_890), micros(1_000_000_000));
    expect(e.refusal).toEqual({ kind: 'over_budget', projected: 1_234_567_890, limit: 1_000_000_000 });
    expect(discord(e)).toBe("💸 The plan's projected $1,234.57/month exceeds the $1,000.00 budget.");
    expect(cli(e)).toEqual({ code: 6, text: "error: the plan's projected $1,234.57/month exceeds the $1,000.00 budget: a project admin can apply it with --budget-override" });
  });
});

describe('sessions, plans, resources and names, per adapter', () => {
  it('GIVEN an expired session, a missing plan or resource, or a taken name THEN each adapter words it, with the next step where there is one', () => {
    expect(discord(sessionExpired({ kind: 'new_session', projectId: SHOP }))).toBe('⚠️ This session expired.\nStart a new one with `/cloud-deploy`.');
    expect(cli(sessionExpired({ kind: 'new_session', projectId: SHOP })).text).toBe('error: the session expired (idle longer than SESSION_TTL_MINUTES)\n  → start again: cloud-engine plan --project local/shop --resources <file>');
    expect(discord(noPlan({ kind: 'replan', projectId: SHOP, sessionId: 's-1' }))).toMatch(/^⚠️ There is no plan to approve yet\.\nClick \*\*Refresh\*\* to plan again/);
    expect(cli(noPlan({ kind: 'replan', projectId: SHOP, sessionId: 's-1' })).text).toMatch(/^error: the session has no successful plan to approve\n  → plan again/);
    expect(discord(noSuchResource('../../etc/passwd'))).toBe("🔍 No resource named '../../etc/passwd' in this session.");
    expect(cli(noSuchResource('web-9'))).toEqual({ code: 4, text: "error: the session has no resource named 'web-9'" });
    expect(discord(projectExists('web'))).toBe("⚠️ A project named 'web' already exists in this server; pick another name, or use that one.");
    expect(cli(projectExists('web'))).toEqual({ code: 5, text: "error: project 'web' already exists in that server (cloud-engine project list)" });
  });
});

describe('runs and states, per adapter', () => {
  it('GIVEN a force-unlock refused under a live run THEN the lobby says to repeat it with interrupt, the terminal to add --interrupt', () => {
    const e = new CoreError('locked', 'fallback', [], undefined, { kind: 'run_in_progress', projectId: SHOP, sessionId: 'abcd1234-0000', run: { pid: 4242, host: 'runner-1' }, heartbeatAt: '2026-11-28T10:00:00.000Z' });
    expect(discord(e)).toMatch(/^🔒 Project shop has a run in progress \(session abcd1234, process 4242 on runner-1, lease renewed <t:1795860000:R>\)\. [^]*`\/cloud-unlock` again with `interrupt: True`/);
    expect(cli(e).text).toMatch(/^error: Project shop has a run in progress \(session abcd1234, process 4242 on runner-1, lease renewed 2026-11-28T10:00:00\.000Z\)\. [^]*Interrupt it first: add --interrupt/);
  });

  it('GIVEN no apply to stop, or no state to show THEN each adapter says which', () => {
    expect(discord(noApplyRunning('halt'))).toBe('⚠️ No apply is running in project halt.');
    expect(cli(noApplyRunning())).toEqual({ code: 2, text: 'error: no apply is running for this session' });
    expect(discord(noState('shop', 3))).toBe('🔍 Project shop has no state version with serial 3.');
    expect(cli(noState('shop')).text).toBe('error: project shop has no saved state yet');
  });
});

describe('a stale plan, per adapter', () => {
  it('GIVEN each way a plan goes stale THEN the lobby and the terminal each say why, and both say to plan again', () => {
    const next = { kind: 'replan', projectId: SHOP, sessionId: 's-1' } as const;
    expect(discord(stalePlan({ why: 'state_moved', plannedSerial: 3, serial: 4 }, next))).toMatch(/^♻️ This plan is stale: the project's state moved on since the plan \(serial 3 → 4\)\.\nClick \*\*Refresh\*\*/);
    expect(cli(stalePlan({ why: 'plan_file' }, next))).toEqual({ code: 5, text: 'error: the plan is stale: its saved plan file is missing or was modified\n  → plan again: cloud-engine plan --project local/shop --resources <file>, then apply the new plan' });
    expect(discord(stalePlan({ why: 'config_changed' }, next))).toContain("the resources, the cloud identity or the project's labels changed after the plan");
    expect(cli(stalePlan({ why: 'not_succeeded' }, next)).text).toContain('it did not succeed or was replaced');
  });
});

describe('locks, identities, commits and keys, per adapter', () => {
  it('GIVEN each of these refusals THEN the lobby and the terminal each word it from the same data', () => {
    const next = { kind: 'replan', projectId: SHOP, sessionId: 's-1' } as const;
    expect(discord(lockLost(SHOP, 'beef1234-0000', next))).toMatch(/^🔒 This session no longer holds the lock of project shop \(it was released or taken over by session beef1234\)\.\nClick/);
    expect(cli(lockLost(SHOP, null, next)).text).toMatch(/^error: the session no longer holds the lock of project shop \(released or taken over\)\n  → plan again/);
    expect(discord(noIdentity(SHOP, 'aws'))).toMatch(/^🚫 Project shop has no AWS identity, so it would deploy with the bot's own credentials\.\n[^]*`\/cloud-credentials`/);
    expect(cli(noIdentity(SHOP, 'aws')).text).toMatch(/^error: project shop has no aws identity[^]*\n  → set one with: cloud-engine credentials --project local\/shop/);
    expect(discord(noConfigurationAt('0123456789abcdef', { kind: 'pick_deployment', projectId: SHOP }))).toMatch(/^❌ Commit `01234567` holds no Cloud Engine configuration; pick a deployment commit\.\n/);
    expect(cli(noEncryptionKey())).toEqual({ code: 1, text: 'error: STATE_ENCRYPTION_KEY (or STATE_ENCRYPTION_KEY_FILE) is not set: there is no key to encrypt with' });
  });
});

describe("the operator's own refusals, and a run's", () => {
  it('GIVEN files in the way or a backup that cannot be restored THEN the terminal says what to do; the lobby, which never does these, points at the operator', () => {
    expect(cli(fileInTheWay('/b/x.backup', 'backup')).text).toBe('error: /b/x.backup already exists; give the backup a new file name');
    expect(cli(fileInTheWay('/b/x.backup', 'backup', true)).text).toBe('error: /b/x.backup was created while the backup ran; it is left as it is — give the backup a new file name');
    expect(cli(unrestorable('/b/y.backup', 'newer_version', '999_x.sql')).text).toBe('error: /b/y.backup cannot be restored: it was written by a newer Cloud Engine (migrations 999_x.sql); restore it with that version');
    expect(discord(unrestorable('/b/y.backup', 'no_migrations', ''))).toBe('❌ That is for the operator, on the machine that holds the store.');
  });
  it('GIVEN an apply that cannot start here, or an unlock still pending THEN each adapter words it', () => {
    expect(discord(applyNotStartable('elsewhere'))).toBe('⚠️ This apply belongs to another Cloud Engine process; it runs there.');
    expect(cli(applyNotStartable('not_approved'))).toEqual({ code: 2, text: 'error: the session is not approved for apply' });
    expect(discord(unlockPending(SHOP, 'abcd1234-0000', '2026-11-28T10:00:00.000Z'))).toBe("⚠️ The lock of shop is still held by session abcd1234, whose run did not stop; it can be released <t:1795860000:R>.");
    expect(cli(unlockPending(SHOP, 'abcd1234-0000', null)).text).toBe('error: the lock of shop is still held by session abcd1234; try again in a moment');
  });
});
