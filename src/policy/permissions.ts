import type { Denial } from '../domain/errors.js';
import type { Role } from '../domain/projects.js';

/** Who is acting. Discord fills it from the interaction; the CLI acts as the local operator. */
export interface Actor {
  userId: string;
  userName: string;
  guildId: string;
  /** Administrator / Manage Guild, or the configured admin role. */
  isGuildAdmin: boolean;
  /** The local CLI user: whoever runs the binary already owns the data files. */
  operator?: boolean;
}

export type Action =
  | 'project.view'
  | 'project.admin'
  | 'session.start'
  | 'session.edit'
  | 'session.plan'
  | 'session.approve'
  | 'session.cancel';

const RANK: Record<Role, number> = { viewer: 1, deployer: 2, approver: 3, admin: 4 };

/** A project role that approves anyone's plan (a deployer approves only their own, when self-approval is on). */
export const approvesAny = (role: Role) => RANK[role] >= RANK.approver;

export interface PermissionInput {
  actor: Actor;
  action: Action;
  projectGuildId: string;
  role: Role | undefined;
  sessionOwnerId?: string;
  allowSelfApproval?: boolean;
}

export type Verdict = { allowed: true } | { allowed: false; denial: Denial };

const deny = (denial: Denial): Verdict => ({ allowed: false, denial });
const allow: Verdict = { allowed: true };

/** The one place that decides who may do what. Pure: the caller loads roles and the session. */
export function decide(p: PermissionInput): Verdict {
  const { actor, action } = p;
  if (actor.operator) return allow;
  if (actor.guildId !== p.projectGuildId) return deny('other_server');
  const rank = actor.isGuildAdmin ? RANK.admin : p.role ? RANK[p.role] : 0;
  const isOwner = p.sessionOwnerId !== undefined && p.sessionOwnerId === actor.userId;
  switch (action) {
    case 'project.view':
      return rank >= RANK.viewer ? allow : deny('not_member');
    case 'project.admin':
      return rank >= RANK.admin ? allow : deny('not_project_admin');
    case 'session.start':
      return rank >= RANK.deployer ? allow : deny('not_deployer');
    case 'session.edit':
    case 'session.plan':
    case 'session.cancel':
      if (isOwner && rank >= RANK.deployer) return allow;
      return rank >= RANK.admin ? allow : deny('not_session_owner');
    case 'session.approve':
      if (rank < RANK.approver && !(isOwner && p.allowSelfApproval && rank >= RANK.deployer)) {
        return deny('not_approver');
      }
      if (isOwner && !p.allowSelfApproval) return deny('self_approval_off');
      return allow;
  }
}
