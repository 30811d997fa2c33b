import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { CoreError } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/db/audit.js';
import { listSessionResources } from '../../src/db/sessions.js';
import { BASE_FIELDS, HOSTILE_PROJECT_IDS, HOSTILE_TARGETS, HOSTILE_VALUES } from '../fixtures/hostile/corpus.js';
import { admin, dev, sandboxProject, SHARED_PLUGIN_CACHE, testApp, type TestApp, sqlOf } from '../helpers/app.js';

let t: TestApp;
let sessionId: string;
let before: string[];

function tree(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? [p, ...tree(p)] : [p];
  });
}

beforeAll(async () => {
  t = await testApp();
  await sandboxProject(t.app);
  sessionId = (await t.app.orchestrator.startSession(dev, 'shop')).id;
  before = tree(join(t.dir, 'runs'));
});
afterAll(() => t.cleanup());

const cases = HOSTILE_TARGETS.flatMap(({ type, field }) => HOSTILE_VALUES.map(([label, value]) => ({ type, field, label, value })));

describe('hostile input through the session (modal fields and CLI JSON share this door)', () => {
  it(`has at least 200 cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(200));

  it.each(cases)('GIVEN $label in $type.$field THEN a clear refusal naming the field, nothing saved', async ({ type, field, value }) => {
    let err: unknown;
    try {
      await t.app.orchestrator.addResource(dev, sessionId, { ...BASE_FIELDS[type], [field]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CoreError);
    const message = (err as CoreError).userMessage;
    expect(message).toContain(field);
    expect(message.length).toBeLessThan(2000);
    expect((await listSessionResources(sqlOf(t.app), sessionId))).toEqual([]);
  });

  it.each(HOSTILE_PROJECT_IDS)('GIVEN the project id %j THEN it is refused and no folder is made', async (id) => {
    await expect(t.app.orchestrator.createProject(admin, { id, provider: 'sandbox', budgetUsd: 10 })).rejects.toMatchObject({ code: 'validation' });
  });

  it('GIVEN a CLI resources file made of the whole corpus THEN it exits 1 listing every item, and runs nothing', async () => {
    const file = join(t.dir, 'hostile.json');
    writeFileSync(file, JSON.stringify(cases.map((c) => ({ ...BASE_FIELDS[c.type], name: `probe-${cases.indexOf(c)}`, [c.field]: c.value }))));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['plan', '--project', 'shop', '--resources', file], { out: (s) => out.push(s), err: (s) => err.push(s) }, {
      DATABASE_PATH: join(t.dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(t.dir, 'runs'), PRICING_DIR: 'pricing', LOG_LEVEL: 'silent', TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE,
    });
    expect(code).toBe(1);
    const listed = new Set([...err.join('\n').matchAll(/resources\[(\d+)\]/g)].map((m) => m[1]));
    expect(listed.size).toBe(cases.length);
  });

  it('GIVEN all of the above THEN no file appeared outside the workspace, no Terraform ran and no resource was audited as added', async () => {
    expect(existsSync('/tmp/ce-pwned')).toBe(false);
    expect(tree(join(t.dir, 'runs'))).toEqual(before);
    expect((await queryAudit(sqlOf(t.app), { eventType: 'resource_added' }))).toEqual([]);
    expect((await queryAudit(sqlOf(t.app), { eventType: 'plan_started' }))).toEqual([]);
  });
});
