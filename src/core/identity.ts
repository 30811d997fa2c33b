import { getProject, type Project } from '../db/projects.js';
import type { Actor } from '../policy/permissions.js';
import { identitySchema, type CloudIdentity } from '../resources/identity.js';
import type { Provider } from '../resources/types.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import { CoreError, validationError } from '../domain/errors.js';
import { updateSettings } from './projectAdmin.js';

export type { CloudIdentity };

/** A raw identity from an adapter, checked: each bad field is named with what is allowed. */
export function parseIdentity(raw: unknown): CloudIdentity {
  const parsed = identitySchema.safeParse(raw);
  if (!parsed.success) throw validationError(parsed.error.issues.map((i) => `${i.path.join('.') || 'identity'}: ${i.message}`));
  return parsed.data;
}

const stored = (project: Project): CloudIdentity | undefined => {
  const raw = project.settings.cloud_identity;
  return raw === undefined ? undefined : identitySchema.safeParse(raw).data;
};

export type IdentityUse =
  | { kind: 'identity'; identity: CloudIdentity }
  | { kind: 'none' }
  | { kind: 'default' }
  | { kind: 'missing' };

/** What a run of this project on `provider` will deploy as; the lobby shows it before anyone plans. */
export function identityUse(deps: CoreDeps, project: Project, provider: Provider): IdentityUse {
  if (provider === 'sandbox') return { kind: 'none' };
  const identity = stored(project);
  if (identity?.provider === provider) return { kind: 'identity', identity };
  return deps.allowDefaultCredentials ? { kind: 'default' } : { kind: 'missing' };
}

/** The identity set for this project on `provider`, if any (no refusal: for comparing against a plan). */
export function currentIdentity(deps: CoreDeps, projectId: string, provider: Provider): CloudIdentity | undefined {
  const use = identityUse(deps, getProject(deps.db, projectId)!, provider);
  return use.kind === 'identity' ? use.identity : undefined;
}

/** The identity a plan or apply runs with; a cloud project without one is refused unless the operator allows the default. */
export function runIdentity(deps: CoreDeps, projectId: string, provider: Provider): CloudIdentity | undefined {
  const use = identityUse(deps, getProject(deps.db, projectId)!, provider);
  if (use.kind === 'missing') {
    throw new CoreError('forbidden', `Project ${projectId} has no ${provider} identity, so it would deploy with the bot's own credentials. A project admin sets one with /cloud-credentials or cloud-engine credentials; the operator may allow the bot's own with CLOUD_DEFAULT_CREDENTIALS=allow.`);
  }
  return use.kind === 'identity' ? use.identity : undefined;
}

/** What Terraform's environment gains for this identity: Azure's app registration and its secret, read at run time. */
export function identityEnv(identity: CloudIdentity | undefined, secrets: Record<string, string>): Record<string, string> {
  if (identity?.provider !== 'azure') return {};
  const secret = secrets[identity.secret_env];
  if (!secret) throw new CoreError('forbidden', `${identity.secret_env} is not set in the bot's environment; the operator sets it to the client secret of app ${identity.client_id}.`);
  return { ARM_CLIENT_ID: identity.client_id, ARM_TENANT_ID: identity.tenant_id, ARM_SUBSCRIPTION_ID: identity.subscription_id, ARM_CLIENT_SECRET: secret };
}

/** A project's identity and what its runs deploy as, for a viewer of the project. */
export function projectIdentity(deps: CoreDeps, actor: Actor, projectId: string): { project: Project; use: IdentityUse } {
  const project = authorize(deps, actor, projectId, 'project.view');
  return { project, use: identityUse(deps, project, project.defaultProvider) };
}

/** Sets (or with null clears) a project's identity: a project admin, for the project's own cloud. */
export function setIdentity(deps: CoreDeps, actor: Actor, projectId: string, identity: CloudIdentity | null): Project {
  const project = authorize(deps, actor, projectId, 'project.admin');
  if (identity && identity.provider !== project.defaultProvider) {
    throw validationError([`provider: project ${projectId} deploys to ${project.defaultProvider}, not ${identity.provider}`]);
  }
  updateSettings(deps, actor, project.id, { cloud_identity: identity ?? undefined });
  return getProject(deps.db, project.id)!;
}
