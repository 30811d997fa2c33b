import { z } from 'zod';
import type { Actor } from '../policy/permissions.js';
import { PROVIDERS } from '../domain/resources.js';
import { parseSpec } from '../resources/validate.js';
import { SPEC_FILE } from '../terraform/workspace.js';
import { authorize } from './access.js';
import type { CoreDeps } from './deps.js';
import { CoreError, noConfigurationAt } from '../domain/errors.js';
import { beginPlan, type PlanStarted } from './planning.js';
import { finalize, insertSessionTx, newSession } from './sessions.js';

const specFile = z.object({ provider: z.enum(PROVIDERS), resources: z.array(z.unknown()) });

/**
 * Rollback = a new session holding an old commit's configuration, planned under the project's lock
 * like any other, so the team reviews exactly what it will create, change and destroy. It reads git
 * and writes nothing there: "Rollback to …" is committed by the apply, only if the apply succeeds.
 * State is never rewound: it follows the real infrastructure, and the plan is computed against it.
 */
export async function rollback(deps: CoreDeps, actor: Actor, name: string, ref: string, channelId?: string): Promise<PlanStarted & { commit: string }> {
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
  const drafted = await newSession(deps, actor, project, parsed.provider, channelId);
  const session = { ...drafted.session, rollbackOf: commit };
  await deps.store.transaction(async () => {
    await insertSessionTx(deps, actor, session, specs, 0);
    await deps.audit.record(actor, { eventType: 'rollback_started', projectId: project.id, sessionId: session.id, action: 'rollback', status: 'success', details: { target_commit: commit, resources: specs.length } });
  });
  try {
    return { ...(await beginPlan(deps, actor, session.id)), commit };
  } catch (e) {
    // Refused before planning (locked, invalid): the draft goes too, so nothing is left half-started.
    await finalize(deps, actor, session, 'CANCELLED', 'session_cancelled', { from_state: 'DRAFT', reason: 'rollback_refused' });
    throw e;
  }
}
