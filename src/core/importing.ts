import type { Actor } from '../policy/permissions.js';
import { quotaProblems } from '../policy/quotas.js';
import type { Provider, ResourceSpec } from '../domain/resources.js';
import { declaredProvider, itemsError, providerMismatch, validateItems } from '../sheets/index.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import type { DeploymentEstimate } from './ports.js';
import { insertSessionTx, newSession } from './sessions.js';
import type { Project, ProjectKey } from '../domain/projects.js';
import type { Session } from '../domain/sessions.js';

export interface ImportResult {
  session: Session;
  specs: ResourceSpec[];
  estimate: DeploymentEstimate;
}

/** The project's provider wins once it runs something; before that, the file's own provider, then the project default. */
function chooseProvider(project: Project, running: Provider | undefined, items: unknown[]): Provider {
  const declared = declaredProvider(items);
  if (declared && running && declared !== running) throw itemsError(items, [providerMismatch(declared, running, `project ${project.name}`)]);
  return running ?? declared ?? project.defaultProvider;
}

/** What addResource checks for every edit, applied to the whole imported configuration at once. */
async function checkImport(deps: CoreDeps, projectId: ProjectKey, items: unknown[], specs: ResourceSpec[]): Promise<void> {
  const problems = quotaProblems(await deps.store.quotas.get(projectId), specs, null);
  if (problems.length) throw itemsError(items, problems);
}

/**
 * Opens a session whose desired configuration is exactly the imported file: every row is validated
 * (with its sheet and row in each message) and checked against the project's quota before anything
 * is written, so a bad file leaves no session, no resources and no audit row. The file replaces
 * the configuration: deployed resources it does not list are destroyed when the session is applied.
 */
export async function importSession(deps: CoreDeps, actor: Actor, name: string, items: unknown[], channelId?: string): Promise<ImportResult> {
  const project = await authorize(deps, actor, name, 'session.start');
  if (!items.length) throw itemsError(items, ['it lists no resources; fill at least one row (a file is the whole configuration, so an empty one would destroy everything)']);
  const deployed = await deps.store.sessions.listDeployed(project.id);
  const provider = chooseProvider(project, deployed[0]?.provider, items);
  const specs = validateItems(provider, items);
  await checkImport(deps, project.id, items, specs);
  const { session } = await newSession(deps, actor, project, provider, channelId);
  const kept = new Set(specs.map((s) => s.name));
  await deps.store.transaction(async () => {
    // The quota may have changed since the checks above: check again where it is written.
    await checkImport(deps, project.id, items, specs);
    await insertSessionTx(deps, actor, session, specs, 0);
    await deps.audit.record(actor, {
      eventType: 'resources_imported', projectId: project.id, sessionId: session.id, action: 'import_resources', status: 'success',
      details: { count: specs.length, removed: deployed.filter((d) => !kept.has(d.spec.name)).map((d) => d.spec.name) },
    });
  });
  return { session: (await deps.store.sessions.get(session.id))!, specs, estimate: deps.cost.estimateDeployment(provider, specs) };
}
