/**
 * Terraform state sealed at rest (AES-256-GCM) with STATE_ENCRYPTION_KEY: no state value in the database
 * file after an apply, the serial/lineage/checksum guards still working, rotation keeping every version
 * readable, and a missing or wrong key failing with a message that names the variable.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { latestPlan } from '../../src/db/plans.js';
import { admin, approver, dev, sandboxProject, testApp, vm, type TestApp, dbOf, keyOf, sqlOf } from '../helpers/app.js';

let t: TestApp | undefined;
afterEach(() => t?.cleanup());

const key = () => randomBytes(32).toString('base64');

/** A session (which starts from what the project runs) with `added` more, planned and applied. */
async function deploy(app: TestApp['app'], added: string[]) {
  const o = app.orchestrator;
  const s = await o.startSession(dev, 'shop');
  for (const n of added) await o.addResource(dev, s.id, vm(n));
  const planned = await o.plan(dev, s.id);
  await o.approve(approver, s.id);
  const result = await (await o.apply(s.id, approver.userName)).result;
  return { s, planned, result };
}

/** The ids terraform_data generated: values that exist only in the state. */
const stateIds = (json: string) => (JSON.parse(json) as { resources: Array<{ instances: Array<{ attributes: { id: string } }> }> }).resources.map((r) => r.instances[0]!.attributes.id);

function databaseBytes(app: TestApp['app'], dir: string): Buffer {
  dbOf(app).pragma('wal_checkpoint(TRUNCATE)');
  return readFileSync(join(dir, 'cloud-engine.db'));
}

describe('state encrypted at rest', () => {
  it('GIVEN a key THEN after two applies no state value is in the database file, every body and plan file is sealed, and the guards still plan from the latest state', async () => {
    const k = key();
    t = await testApp({ env: { STATE_ENCRYPTION_KEY: k } });
    await sandboxProject(t.app);
    const first = await deploy(t.app, ['web-1']);
    expect(first.result.status).toBe('succeeded');
    const second = await deploy(t.app, ['web-2']);
    expect(second.planned.plan).toMatchObject({ toAdd: 1, toChange: 0, toDestroy: 0 });
    expect(second.result.status).toBe('succeeded');
    const latest = await t.app.orchestrator.showState(admin, 'shop');
    const ids = stateIds(latest.stateJson);
    expect(ids).toHaveLength(2);
    const bytes = databaseBytes(t.app, t.dir);
    for (const id of ids) expect(bytes.includes(id)).toBe(false);
    expect(bytes.includes('"instances"')).toBe(false);
    const keyIds = new Set((await t.app.orchestrator.stateVersions(admin, 'shop')).versions.map((v) => v.keyId));
    expect(keyIds.size).toBe(1);
    expect([...keyIds][0]).toMatch(/^[0-9a-f]{16}$/);
    expect(dbOf(t.app).prepare("SELECT COUNT(*) FROM plans WHERE plan_bytes IS NOT NULL AND substr(plan_bytes, 1, 4) <> CAST('CES1' AS BLOB)").pluck().get()).toBe(0);
    // The plan text Terraform printed (attribute values included) is sealed too, and still read back for the lobby.
    expect(dbOf(t.app).prepare("SELECT COUNT(*) FROM plans WHERE typeof(output) <> 'blob'").pluck().get()).toBe(0);
    expect(second.planned.plan.output).toContain('terraform_data.web-2 will be created');
    expect(bytes.includes('will be created')).toBe(false);
    const third = await deploy(t.app, []);
    expect(third.planned.plan).toMatchObject({ toAdd: 0, toChange: 0, toDestroy: 0 });
  });

  it('GIVEN state written in clear, then a key, then a new key with the old one as previous THEN rekey seals every version and each stays readable; the old key alone is refused naming the variable', async () => {
    t = await testApp();
    await sandboxProject(t.app);
    await deploy(t.app, ['web-1']);
    const dir = t.dir;
    t.app.close();
    const [k1, k2] = [key(), key()];
    t = await testApp({ dir, env: { STATE_ENCRYPTION_KEY: k1 } });
    expect((await t.app.orchestrator.stateVersions(admin, 'shop')).versions.map((v) => v.keyId)).toEqual([null]);
    await deploy(t.app, ['web-2']);
    expect(await t.app.orchestrator.rekeyStore({ ...admin, operator: true })).toMatchObject({ states: 2 });
    const clearIds = stateIds((await t.app.orchestrator.showState(admin, 'shop', 2)).stateJson);
    expect(databaseBytes(t.app, dir).includes(clearIds[0]!)).toBe(false);
    t.app.close();

    t = await testApp({ dir, env: { STATE_ENCRYPTION_KEY: k2, STATE_ENCRYPTION_PREVIOUS_KEYS: k1 } });
    const before = (await t.app.orchestrator.stateVersions(admin, 'shop')).versions.map((v) => v.serial);
    await t.app.orchestrator.rekeyStore({ ...admin, operator: true });
    const versions = (await t.app.orchestrator.stateVersions(admin, 'shop')).versions;
    expect(versions.map((v) => v.serial)).toEqual(before);
    expect(new Set(versions.map((v) => v.keyId)).size).toBe(1);
    t.app.close();

    t = await testApp({ dir, env: { STATE_ENCRYPTION_KEY: k2 } });
    for (const v of versions) expect(JSON.parse((await t.app.orchestrator.showState(admin, 'shop', v.serial)).stateJson).serial).toBe(v.serial);
    t.app.close();

    t = await testApp({ dir, env: { STATE_ENCRYPTION_KEY: k1 } });
    await expect(t!.app.orchestrator.showState(admin, 'shop')).rejects.toThrow(/is encrypted with key [0-9a-f]{16}, which is not configured: set STATE_ENCRYPTION_KEY/);
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    await t.app.orchestrator.addResource(dev, s.id, vm('web-3'));
    const refused = await t.app.orchestrator.plan(dev, s.id);
    expect(refused.plan.status).toBe('failed');
    expect(refused.plan.error).toMatch(/set STATE_ENCRYPTION_KEY/);
    expect((await latestPlan(sqlOf(t.app), s.id))?.status).toBe('failed');
  }, 60_000);

  it('GIVEN a form kept for Edit and retry under a key no longer configured THEN rekey deletes it instead of failing, and reseals the one it can open', async () => {
    const [k0, k1] = [key(), key()];
    t = await testApp({ env: { STATE_ENCRYPTION_KEY: k0 } });
    await sandboxProject(t.app);
    const s = await t.app.orchestrator.startSession(dev, 'shop');
    const lost = await t.app.orchestrator.keepDraft(dev, s.id, { form: 'f', values: { name: 'typed under k0' } });
    const dir = t.dir;
    t.app.close();
    t = await testApp({ dir, env: { STATE_ENCRYPTION_KEY: k1 } });
    const kept = await t.app.orchestrator.keepDraft(dev, s.id, { form: 'f', values: { name: 'typed under k1' } });
    expect(await t.app.orchestrator.rekeyStore({ ...admin, operator: true })).toMatchObject({ drafts: 2 });
    await expect(t.app.orchestrator.draft(dev, s.id, lost)).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.app.orchestrator.draft(dev, s.id, kept)).toEqual({ form: 'f', values: { name: 'typed under k1' } });
    expect(dbOf(t.app).prepare('SELECT id FROM form_drafts').pluck().all()).toEqual([kept]);
  });

  it('GIVEN a sealed body altered in place, or two bodies swapped THEN each is refused when read, and rekey refuses to re-seal them', async () => {
    t = await testApp({ env: { STATE_ENCRYPTION_KEY: key() } });
    await sandboxProject(t.app);
    await deploy(t.app, ['web-1']);
    await deploy(t.app, ['web-2']);
    const [newer, older] = (await t.app.orchestrator.stateVersions(admin, 'shop')).versions;
    const body = (serial: number) => dbOf(t!.app).prepare('SELECT state_json FROM terraform_states WHERE project_id = ? AND serial = ?').get(keyOf('shop'), serial) as { state_json: Buffer };
    const write = (serial: number, value: Buffer) => dbOf(t!.app).prepare('UPDATE terraform_states SET state_json = ? WHERE project_id = ? AND serial = ?').run(value, keyOf('shop'), serial);
    const [a, b] = [body(newer!.serial).state_json, body(older!.serial).state_json];
    write(newer!.serial, b);
    write(older!.serial, a);
    await expect(t!.app.orchestrator.showState(admin, 'shop')).rejects.toThrow(/does not match its recorded checksum: it was altered or swapped/);
    await expect(t!.app.orchestrator.rekeyStore({ ...admin, operator: true })).rejects.toThrow(/altered or swapped; nothing was re-encrypted/);
    const unwrapped = Buffer.from(a);
    unwrapped.write('X', 0);
    write(newer!.serial, unwrapped);
    await expect(t!.app.orchestrator.showState(admin, 'shop')).rejects.toThrow(/is stored as bytes that are not a sealed envelope: it was altered or damaged/);
  });

  it('GIVEN a malformed key, or a key given twice THEN the configuration is refused naming the variable, never echoing the value', () => {
    for (const bad of ['short', 'z'.repeat(64), randomBytes(16).toString('base64')]) {
      expect(() => loadConfig({ STATE_ENCRYPTION_KEY: bad })).toThrow(/STATE_ENCRYPTION_KEY must be a 256-bit key: 64 hex digits or 44 characters of base64/);
      try {
        loadConfig({ STATE_ENCRYPTION_KEY: bad });
      } catch (e) {
        expect((e as Error).message).not.toContain(bad);
      }
    }
    expect(() => loadConfig({ STATE_ENCRYPTION_PREVIOUS_KEYS: `${key()},nope` })).toThrow(/STATE_ENCRYPTION_PREVIOUS_KEYS \(key 2\) must be a 256-bit key/);
    const file = join(mkdtempSync(join(tmpdir(), 'ce-key-')), 'state.key');
    writeFileSync(file, `${key()}\n`);
    expect(loadConfig({ STATE_ENCRYPTION_KEY_FILE: file }).STATE_ENCRYPTION_KEY_FILE).toHaveLength(32);
    expect(() => loadConfig({ STATE_ENCRYPTION_KEY: key(), STATE_ENCRYPTION_KEY_FILE: file })).toThrow(/both set/);
  });
});
