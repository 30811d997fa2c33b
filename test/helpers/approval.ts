import { expect } from 'vitest';
import type { App } from '../../src/app.js';
import { approver, dev } from './app.js';

/** The approval as one that started the apply: a test whose plan needs one approver fails here if it only voted. */
export function started<T extends { kind: string }>(approval: T): Extract<T, { kind: 'approved' }> {
  if (approval.kind !== 'approved') throw new Error(`expected the approval to start the apply; it only voted (${JSON.stringify({ ...approval, session: undefined, plan: undefined, votes: undefined })})`);
  return approval as Extract<T, { kind: 'approved' }>;
}

/** Adds `resources` (as the deployer) to a new session of 'shop', or to `sessionId`, and plans it, which must succeed. */
export async function plannedSession(app: App, resources: object[], sessionId?: string) {
  const o = app.orchestrator;
  const s = sessionId ? { id: sessionId } : await o.startSession(dev, 'shop');
  for (const r of resources) await o.addResource(dev, s.id, r);
  const outcome = await o.plan(dev, s.id);
  expect(outcome.plan.status, outcome.plan.error ?? '').toBe('succeeded');
  return { id: s.id, outcome };
}

/** Plans `resources` in a new session of 'shop' and has the approver apply it, which must succeed. */
export async function deployedSession(app: App, resources: object[]): Promise<void> {
  const { id } = await plannedSession(app, resources);
  const result = await started(await app.orchestrator.approveAndApply(approver, id)).run.result;
  expect(result.status, result.error ?? '').toBe('succeeded');
}
