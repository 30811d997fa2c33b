import type { Actor } from '../policy/permissions.js';
import { identitySchema, type CloudIdentity } from '../resources/identity.js';
import type { Provider } from '../domain/resources.js';
import type { GenerateOptions } from '../terraform/generate/types.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import { CoreError, noIdentity, validationError } from '../domain/errors.js';
import { updateSettings } from './projectAdmin.js';
import { projectKeyParts, projectName, SECRET_VAR_PREFIX, SERVICE_ACCOUNT_VAR_PREFIX, type Project, type ProjectKey } from '../domain/projects.js';

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

/** What the operator's side must hold for an identity to work: the trust policy's external id, or the variable to set. */
export interface IdentityBinding { external_id?: string; secret_env?: string; binding_env?: string }

export type IdentityUse =
  | { kind: 'identity'; identity: CloudIdentity; binding: IdentityBinding }
  | { kind: 'none' }
  | { kind: 'default' }
  | { kind: 'missing' };

/** What a run of this project on `provider` will deploy as; the lobby shows it before anyone plans. */
export function identityUse(deps: CoreDeps, project: Project, provider: Provider): IdentityUse {
  if (provider === 'sandbox') return { kind: 'none' };
  const identity = stored(project);
  if (identity?.provider === provider) return { kind: 'identity', identity, binding: bindingOf(project, identity) };
  // A project with its own identity never falls back to the bot's credentials on another cloud.
  return deps.allowDefaultCredentials && !identity ? { kind: 'default' } : { kind: 'missing' };
}

/** The identity set for this project on `provider`, if any (no refusal: for comparing against a plan). */
export async function currentIdentity(deps: CoreDeps, projectId: ProjectKey, provider: Provider): Promise<CloudIdentity | undefined> {
  const use = identityUse(deps, (await deps.store.projects.get(projectId))!, provider);
  return use.kind === 'identity' ? use.identity : undefined;
}

/** The identity a plan or apply runs with; a cloud project without one is refused unless the operator allows the default. */
export async function runIdentity(deps: CoreDeps, projectId: ProjectKey, provider: Provider): Promise<CloudIdentity | undefined> {
  const use = identityUse(deps, (await deps.store.projects.get(projectId))!, provider);
  if (use.kind === 'missing') {
    throw noIdentity(projectId, provider);
  }
  return use.kind === 'identity' ? use.identity : undefined;
}

function bindingOf(project: Project, identity: CloudIdentity): IdentityBinding {
  if (identity.provider === 'aws') return { external_id: awsExternalId(project) };
  return identity.provider === 'azure' ? { secret_env: projectSecretVar(project.id) } : { binding_env: projectServiceAccountVar(project.id) };
}

/**
 * The operator's variable for one project of one server: `<prefix><SERVER>__<NAME>`, hyphens as
 * underscores. A server id has no double underscore and a name starts with a letter, so the first `__`
 * splits them and no two projects share a variable.
 */
const bindingVar = (prefix: string, key: ProjectKey) => {
  const { guildId, name } = projectKeyParts(key);
  return `${prefix}${guildId.toUpperCase().replace(/-/g, '_')}__${name.toUpperCase().replace(/-/g, '_')}`;
};
/** The operator's variable for a project's Azure client secret: `CLOUD_ENGINE_SECRET_LOCAL__TEAM_C` for local/team-c. */
export const projectSecretVar = (key: ProjectKey) => bindingVar(SECRET_VAR_PREFIX, key);
/** The operator's binding of a GCP service account to a project: `CLOUD_ENGINE_GCP_SA_LOCAL__TEAM_B`. */
export const projectServiceAccountVar = (key: ProjectKey) => bindingVar(SERVICE_ACCOUNT_VAR_PREFIX, key);
/** The external id every AWS run of a project presents: chosen by Cloud Engine, never by the admin, so one project cannot assume another's role. */
export const awsExternalId = (project: Pick<Project, 'guildId' | 'name'>) => `cloud-engine:${project.guildId}:${project.name}`;

/**
 * What Terraform's environment gains for this identity (Azure's app and the project's own secret), after
 * checking the operator's binding: a GCP service account the operator did not bind to this project is refused.
 */
export function identityEnv(projectId: ProjectKey, identity: CloudIdentity | undefined, bindings: Record<string, string>): Record<string, string> {
  if (identity?.provider === 'gcp') {
    const bound = bindings[projectServiceAccountVar(projectId)];
    if (bound !== identity.service_account) {
      throw new CoreError('forbidden', `Service account ${identity.service_account} is not bound to project ${projectName(projectId)} by the operator: set ${projectServiceAccountVar(projectId)} to it in the bot's environment.`);
    }
  }
  if (identity?.provider !== 'azure') return {};
  const name = projectSecretVar(projectId);
  const secret = bindings[name];
  if (!secret) throw new CoreError('forbidden', `${name} is not set in the bot's environment; the operator sets it to the client secret of app ${identity.client_id} for project ${projectName(projectId)}.`);
  return { ARM_CLIENT_ID: identity.client_id, ARM_TENANT_ID: identity.tenant_id, ARM_SUBSCRIPTION_ID: identity.subscription_id, ARM_CLIENT_SECRET: secret };
}

/** A project's identity and what its runs deploy as, for a viewer of the project. */
export async function projectIdentity(deps: CoreDeps, actor: Actor, name: string): Promise<{ project: Project; use: IdentityUse }> {
  const project = await authorize(deps, actor, name, 'project.view');
  return { project, use: identityUse(deps, project, project.defaultProvider) };
}

/** What the generator needs of any configuration of this project: the name its resources carry and its labels. */
export const projectOptions = (project: Project): GenerateOptions => ({ project: project.cloudName, ...(project.settings.labels ? { labels: project.settings.labels } : {}) });

/** What the generator needs for a run of this session: its project, the session (AWS session name), the identity and the derived external id. */
export async function runOptions(deps: CoreDeps, session: { projectId: ProjectKey; id: string }, identity: CloudIdentity | undefined): Promise<GenerateOptions> {
  const project = (await deps.store.projects.get(session.projectId))!;
  return { ...projectOptions(project), sessionId: session.id, ...(identity ? { identity } : {}), ...(identity?.provider === 'aws' ? { awsExternalId: awsExternalId(project) } : {}) };
}

/** Sets (or with null clears) a project's identity: a project admin, for the project's own cloud. */
export async function setIdentity(deps: CoreDeps, actor: Actor, name: string, identity: CloudIdentity | null): Promise<Project> {
  const project = await authorize(deps, actor, name, 'project.admin');
  if (identity && identity.provider !== project.defaultProvider) {
    throw validationError([`provider: project ${project.name} deploys to ${project.defaultProvider}, not ${identity.provider}`]);
  }
  await updateSettings(deps, actor, project, { cloud_identity: identity ?? undefined });
  return (await deps.store.projects.get(project.id))!;
}
