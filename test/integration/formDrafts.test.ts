/** What was typed into a refused form, kept for its author so Edit and retry can open the form with it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { admin, dbOf, dev, sandboxProject, stranger, testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({ env: { STATE_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') } });
  await sandboxProject(t.app);
});
afterEach(() => t.cleanup());

const typed = { form: 'compute_vm.local.local-b', values: { name: 'web-2', disk: 'huge, ssd', machine_type: ['medium'] } };

describe('form drafts', () => {
  it('GIVEN a refused form kept THEN its author reads it back as typed for an hour, nobody else ever, and it is sealed at rest', async () => {
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    const id = await o.keepDraft(dev, s.id, typed);
    expect(await o.draft(dev, s.id, id)).toEqual(typed);
    await expect(o.draft(admin, s.id, id)).rejects.toMatchObject({ refusal: { kind: 'form_draft_gone' } });
    const other = await o.startSession(dev, 'shop');
    await expect(o.draft(dev, other.id, id)).rejects.toMatchObject({ refusal: { kind: 'form_draft_gone' } });
    expect(JSON.stringify(dbOf(t.app).prepare('SELECT * FROM form_drafts').all())).not.toContain('huge');
    t.clock.advance(61 * 60_000);
    await expect(o.draft(dev, s.id, id)).rejects.toMatchObject({ refusal: { kind: 'form_draft_gone' } });
  });

  it('GIVEN someone who may not edit the session, or more than a form holds THEN nothing is kept', async () => {
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    await expect(o.keepDraft(stranger, s.id, typed)).rejects.toMatchObject({ code: 'forbidden' });
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`f${i}`, 'x']));
    await expect(o.keepDraft(dev, s.id, { form: typed.form, values: many })).rejects.toMatchObject({ code: 'validation', problems: [{ field: 'form', message: expect.stringContaining('at most 10 fields') }] });
    await expect(o.keepDraft(dev, s.id, { form: typed.form, values: { name: 'x'.repeat(4001) } })).rejects.toMatchObject({ code: 'validation' });
    expect(dbOf(t.app).prepare('SELECT COUNT(*) FROM form_drafts').pluck().get()).toBe(0);
  });

  it('GIVEN an author refused twenty times THEN only their five newest drafts are kept', async () => {
    const o = t.app.orchestrator;
    const s = await o.startSession(dev, 'shop');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(await o.keepDraft(dev, s.id, { ...typed, values: { name: `web-${i}` } }));
      t.clock.advance(1000);
    }
    expect(dbOf(t.app).prepare('SELECT COUNT(*) FROM form_drafts').pluck().get()).toBe(5);
    expect(await o.draft(dev, s.id, ids.at(-1)!)).toMatchObject({ values: { name: 'web-19' } });
    await expect(o.draft(dev, s.id, ids[0]!)).rejects.toMatchObject({ refusal: { kind: 'form_draft_gone' } });
  });
});
