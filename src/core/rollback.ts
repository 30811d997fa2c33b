import { z } from 'zod';
import type { Actor } from '../policy/permissions.js';
import { PROVIDERS } from '../domain/resources.js';
import { parseSpec } from '../resources/validate.js';
import { SPEC_FILE } from '../terraform/workspace.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import { CoreError, noConfigurationAt } from '../domain/errors.js';
import type { PlanStarted } from './planning.js';
import type { Session } from '../domain/sessions.js';
import { startPlannedSession } from './plannedSession.js';

const specFile = z.object({ provider: z.enum(PROVIDERS), resources: z.array(z.unknown()) });

/**
 * Rollback = a new session holding an old commit's configuration, planned and approved like any other
 * (startPlannedSession). It reads git and writes nothing there: "Rollback to …" is committed by the apply, only if the apply succeeds.
 * State is never rewound: it follows the real infrastructure, and the plan is computed against it.
 */
export async function rollback(deps: CoreDeps, actor: Actor, name: string, ref: string, channelId?: string): Promise<PlanStarted & { session: Session; commit: string }> {
  const project = await authorize(deps, actor, name, 'project.admin');
  const commit = await deps.git.resolve(project.id, ref);
  let parsed: z.infer<typeof specFile>;
  try {
    parsed = specFile.parse(JSON.parse(await deps.git.show(project.id, commit, SPEC_FILE)));
  } catch (e) {
    if (e instanceof CoreError && e.code !== 'not_found') throw e;
    throw noConfigurationAt(commit, { kind: 'pick_deployment', projectId: project.id });
  }
  const specs = parsed.resources.map((r) => parseSpec(parsed.provider, r));
  const started = await startPlannedSession(deps, actor, project, {
    purpose: 'rollback', provider: parsed.provider, specs, rollbackOf: commit, ...(channelId ? { channelId } : {}),
    audit: { eventType: 'rollback_started', details: { target_commit: commit, resources: specs.length } },
  });
  return { ...started, commit };
}
