import { z } from 'zod';
import type { Actor } from '../policy/permissions.js';
import { formDraftGone, validationError } from '../domain/errors.js';
import type { FormDraft } from '../domain/sessions.js';
import { authorize, loadSession } from './access.js';
import type { CoreDeps } from './deps.js';

/** A refused form is kept an hour: long enough to fix a typo after lunch, short enough not to pile up. */
export const DRAFT_TTL_MS = 60 * 60_000;
/** Drafts kept per author and session; older ones go when a new one comes. */
const KEEP = 5;

/** What an adapter may keep: a form's key and at most ten fields within Discord's own limits (typed values are hostile). */
const draftInput = z.object({
  form: z.string().min(1).max(100),
  values: z.record(z.string().min(1).max(100), z.union([z.string().max(4000), z.array(z.string().max(100)).max(25)]))
    .refine((v) => Object.keys(v).length <= 10, 'at most 10 fields'),
});

export type DraftInput = z.infer<typeof draftInput>;

/** Keeps what the actor typed into a form of this session that was refused; returns the draft's id. */
export async function keepDraft(deps: CoreDeps, actor: Actor, sessionId: string, input: DraftInput): Promise<string> {
  const session = await loadSession(deps, actor, sessionId);
  await authorize(deps, actor, session, 'session.edit');
  const parsed = draftInput.safeParse(input);
  if (!parsed.success) throw validationError([{ field: 'form', message: `the form cannot be kept: ${parsed.error.issues[0]?.message ?? 'invalid'}` }]);
  const now = deps.clock.now();
  const draft: FormDraft = {
    id: deps.newId(), sessionId: session.id, userId: actor.userId, ...parsed.data,
    createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + DRAFT_TTL_MS).toISOString(),
  };
  await deps.store.transaction(async () => {
    await deps.store.drafts.insert(draft);
    await deps.store.drafts.prune(draft.createdAt, session.id, actor.userId, KEEP);
  });
  return draft.id;
}

/** Drafts past their hour are deleted, not only refused: a refused value may be a credential. */
export const forgetExpiredDrafts = (deps: CoreDeps) => deps.store.drafts.purge(deps.clock.now().toISOString());

/** A draft of the actor's own, for this session, while it is kept. */
export async function draftOf(deps: CoreDeps, actor: Actor, sessionId: string, draftId: string): Promise<DraftInput> {
  const draft = await deps.store.drafts.get(draftId);
  if (!draft || draft.sessionId !== sessionId || draft.userId !== actor.userId || draft.expiresAt < deps.clock.now().toISOString()) throw formDraftGone();
  return { form: draft.form, values: draft.values };
}
