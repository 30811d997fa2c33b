import { z } from 'zod';
import { inTransaction } from '../db/database.js';
import { getLock } from '../db/locks.js';
import { setSessionResources } from '../db/sessions.js';
import type { Actor } from '../policy/permissions.js';
import { PROVIDERS } from '../resources/types.js';
import { parseSpec } from '../resources/validate.js';
import { SPEC_FILE } from '../terraform/workspace.js';
import { authorize } from './access.js';
import { shortId, type CoreDeps } from './deps.js';
import { CoreError } from './errors.js';
import { planSession, type PlanOutcome } from './planning.js';
import { startSession } from './sessions.js';

const specFile = z.object({ provider: z.enum(PROVIDERS), resources: z.array(z.unknown()) });

/**
 * Rollback = a new session holding an old configuration, already planned, so the team reviews
 * exactly what it will create, change and destroy. State is never rewound: it follows the real
 * infrastructure, and the plan is computed against it.
 */
export async function rollback(deps: CoreDeps, actor: Actor, projectId: string, ref: string, channelId?: string): Promise<PlanOutcome & { commit: string; rollbackCommit: string }> {
  const project = authorize(deps, actor, projectId, 'project.admin');
  const commit = await deps.git.resolve(project.id, ref);
  const lock = getLock(deps.db, project.id);
  if (lock) throw new CoreError('locked', `Project ${project.id} is locked by session ${shortId(lock.sessionId)} of <@${lock.userId}>; finish or cancel it before rolling back.`);
  let parsed: z.infer<typeof specFile>;
  try {
    parsed = specFile.parse(JSON.parse(await deps.git.show(project.id, commit, SPEC_FILE)));
  } catch (e) {
    if (e instanceof CoreError && e.code !== 'not_found') throw e;
    throw new CoreError('validation', `Commit ${commit.slice(0, 8)} holds no Cloud Engine configuration (${SPEC_FILE}); pick a deployment commit from /cloud-git-log.`);
  }
  const specs = parsed.resources.map((r) => parseSpec(parsed.provider, r));
  const session = await startSession(deps, actor, project.id, parsed.provider, channelId);
  const rollbackCommit = await deps.git.commitRollback(project.id, commit, { name: actor.userName, id: actor.userId });
  inTransaction(deps.db, () => {
    setSessionResources(deps.db, session.id, specs);
    deps.audit.record(actor, { eventType: 'rollback_started', projectId: project.id, sessionId: session.id, action: 'rollback', status: 'success', details: { target_commit: commit, rollback_commit: rollbackCommit, resources: specs.length } });
  });
  const outcome = await planSession(deps, actor, session.id);
  return { ...outcome, commit, rollbackCommit };
}
