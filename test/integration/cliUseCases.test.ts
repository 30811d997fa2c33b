/**
 * Use cases that lived in the core with no way to reach them, now commands: review settings, the audit
 * export and stopping a running apply. The CLI commands run in this process against the store another
 * app (standing in for the bot) uses: real SQLite, real Terraform for the apply that gets stopped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditCommand, stopCommand } from '../../src/cli/commands/inspect.js';
import { settingsCommand } from '../../src/cli/commands/settings.js';
import { operatorActor } from '../../src/cli/operator.js';
import type { CliContext } from '../../src/cli/types.js';
import { loadConfig } from '../../src/config.js';
import { isCoreError } from '../../src/domain/errors.js';
import { queryAudit } from '../../src/db/audit.js';
import { latestState } from '../../src/db/states.js';
import { GUILD, REPO_ROOT, SHARED_PLUGIN_CACHE, keyOf, otherGuildAdmin, sandboxProject, slowApply, stranger, testApp, type TestApp, sqlOf } from '../helpers/app.js';

let t: TestApp;
let out: string[];
let ctx: CliContext;

beforeEach(async () => {
  t = await testApp({ realClock: true, env: { LEASE_TTL_SECONDS: '3' } });
  await sandboxProject(t.app);
  out = [];
  ctx = {
    io: { out: (s) => out.push(s), err: () => {} },
    config: loadConfig({
      DATABASE_PATH: join(t.dir, 'cloud-engine.db'), TERRAFORM_RUNS_DIR: join(t.dir, 'runs'), PRICING_DIR: join(REPO_ROOT, 'pricing'),
      TERRAFORM_PLUGIN_CACHE_DIR: SHARED_PLUGIN_CACHE, LOG_LEVEL: 'silent',
    }),
  };
});
afterEach(() => t.cleanup());

const refusal = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (isCoreError(e) ? e.code : String(e)));

describe('cloud-engine settings', () => {
  it('GIVEN no setting THEN shows both off; GIVEN --self-approval on THEN the project allows it, audited, and --json says so', async () => {
    expect(await settingsCommand.run(['--project', 'shop'], ctx)).toBe(0);
    expect(out.join('\n')).toMatch(/self-approval: +off[^]*auto-tag: +off/);
    out.length = 0;
    expect(await settingsCommand.run(['--project', 'shop', '--self-approval', 'on', '--json'], ctx)).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ self_approval: true, auto_tag: false, labels: {} });
    expect((await t.app.orchestrator.project(operatorActor(GUILD), 'shop')).settings.allow_self_approval).toBe(true);
    expect((await queryAudit(sqlOf(t.app), { eventType: 'settings_updated' }))[0]?.details).toEqual({ allow_self_approval: true });
  });

  it('GIVEN --labels THEN every resource of the project will carry them: shown sorted, in --json as an object, audited; none clears them', async () => {
    expect(await settingsCommand.run(['--project', 'shop'], ctx)).toBe(0);
    expect(out).toContain('labels:         none');
    out.length = 0;
    expect(await settingsCommand.run(['--project', 'shop', '--labels', 'owner=web, environment=prod'], ctx)).toBe(0);
    expect(out).toContain("labels:         environment=prod, owner=web (on every resource; a resource's own label wins)");
    out.length = 0;
    expect(await settingsCommand.run(['--project', 'shop', '--json'], ctx)).toBe(0);
    expect(JSON.parse(out[0]!).labels).toEqual({ environment: 'prod', owner: 'web' });
    expect((await queryAudit(sqlOf(t.app), { eventType: 'settings_updated' }))[0]?.details).toEqual({ labels: { environment: 'prod', owner: 'web' } });
    out.length = 0;
    expect(await settingsCommand.run(['--project', 'shop', '--labels', 'none'], ctx)).toBe(0);
    expect(out).toContain('labels:         none');
    expect((await t.app.orchestrator.project(operatorActor(GUILD), 'shop')).settings.labels).toBeUndefined();
  });

  it('GIVEN bad --labels THEN the refusal names labels and what is allowed, and nothing changes', async () => {
    const e = await settingsCommand.run(['--project', 'shop', '--labels', 'Owner=web'], ctx).then(() => undefined, (err: unknown) => err);
    expect(isCoreError(e) && e.problems).toEqual([{ field: 'labels', message: "labels: key 'Owner' must be 1-63 characters: lowercase letters, digits, _ and -, starting with a letter" }]);
    expect((await queryAudit(sqlOf(t.app), { eventType: 'settings_updated' }))).toEqual([]);
  });

  it('GIVEN a value that is not on or off, or a project that does not exist THEN it is refused naming what is allowed, and nothing changes', async () => {
    const bad = settingsCommand.run(['--project', 'shop', '--auto-tag', 'yes'], ctx);
    await expect(bad).rejects.toThrow(/--auto-tag must be on or off, got 'yes'/);
    expect(await refusal(settingsCommand.run(['--project', 'nope', '--auto-tag', 'on'], ctx))).toBe('not_found');
    expect((await queryAudit(sqlOf(t.app), { eventType: 'settings_updated' }))).toEqual([]);
  });
});

describe('cloud-engine audit --export', () => {
  it('GIVEN a project’s history THEN CSV gets the header and every row, JSON Lines every row, and the export itself is audited', async () => {
    const csv = join(t.dir, 'audit.csv');
    const rows = (await queryAudit(sqlOf(t.app), { projectId: keyOf('shop') }));
    expect(await auditCommand.run(['--export', csv, '--project', 'shop'], ctx)).toBe(0);
    const lines = readFileSync(csv, 'utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^id,timestamp,event_type,/);
    // The export's own row is written before the rows are read, so it is the newest one exported.
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual((await queryAudit(sqlOf(t.app), { projectId: keyOf('shop') })).map((r) => r.id));
    expect(lines).toHaveLength(rows.length + 2);
    const jsonl = join(t.dir, 'audit.jsonl');
    expect(await auditCommand.run(['--export', jsonl, '--project', 'shop', '--event', 'permission_granted'], ctx)).toBe(0);
    expect(readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { eventType: string }).eventType)).toEqual(['permission_granted', 'permission_granted']);
    expect(out.at(-1)).toMatch(/^Wrote 2 audit event\(s\), newest first, to /);
  });

  it('GIVEN an event type the log never records THEN the query is refused naming the ones it does, and nothing is written', async () => {
    const file = join(t.dir, 'typo.csv');
    const typo = auditCommand.run(['--export', file, '--event', 'deploy_completed'], ctx);
    await expect(typo).rejects.toThrow(/event 'deploy_completed' is not an audit event type; use one of project_created, [^]*deployment_completed/);
    expect(existsSync(file)).toBe(false);
    expect(await refusal(auditCommand.run(['--event', 'deploy_completed'], ctx))).toBe('validation');
  });

  it('GIVEN a file that exists, or an extension it cannot write THEN it is refused and the file is untouched', async () => {
    const there = join(t.dir, 'there.csv');
    writeFileSync(there, 'keep me');
    expect(await refusal(auditCommand.run(['--export', there], ctx))).toBe('conflict');
    expect(readFileSync(there, 'utf8')).toBe('keep me');
    await expect(auditCommand.run(['--export', join(t.dir, 'audit.xlsx')], ctx)).rejects.toThrow(/--export must end in \.csv or \.jsonl/);
    expect(existsSync(join(t.dir, 'audit.xlsx'))).toBe(false);
  });
});

describe('cloud-engine stop', () => {
  it('GIVEN an apply running in another app THEN stop interrupts it through its lease: recorded INTERRUPTED with what it created in the saved state', async () => {
    const { run, drain } = await slowApply(t.app);
    expect(await stopCommand.run(['--project', 'shop'], ctx)).toBe(0);
    expect(out.at(-1)).toMatch(/^Asked the apply of session [0-9a-f]{8} in shop to stop/);
    await drain();
    const result = await run.result;
    expect(result).toMatchObject({ status: 'interrupted', recorded: true });
    const state = JSON.parse((await latestState(sqlOf(t.app), keyOf('shop')))!.stateJson) as { resources: Array<{ name: string }> };
    expect(state.resources.map((r) => r.name)).toEqual(expect.arrayContaining(['fast-1', 'fast-2', 'fast-3']));
    expect((await queryAudit(sqlOf(t.app), { eventType: 'apply_cancel_requested' }))).toHaveLength(1);
  }, 60_000);

  it('GIVEN a member with no role on the project THEN stopping is refused before anything about its runs is said', async () => {
    expect(await refusal(t.app.orchestrator.stopApply(stranger, 'shop'))).toBe('forbidden');
    expect(await refusal(t.app.orchestrator.stopApply(otherGuildAdmin, 'shop'))).toBe('not_found');
  });

  it('GIVEN no apply running THEN stop says so and changes nothing', async () => {
    expect(await refusal(stopCommand.run(['--project', 'shop'], ctx))).toBe('invalid_state');
    expect((await queryAudit(sqlOf(t.app), { eventType: 'apply_cancel_requested' }))).toEqual([]);
  });
});
