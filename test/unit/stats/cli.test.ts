import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statsCommand } from '../../../src/cli/commands/stats.js';
import type { CliContext } from '../../../src/cli/types.js';
import { loadConfig } from '../../../src/config.js';
import type { Sql } from '../../../src/db/sql.js';
import { deployment, project, tempDb } from './seed.js';

let q: Sql;
let path: string;
let close: () => void;
let out: string[];
let err: string[];
let ctx: CliContext;

beforeEach(async () => {
  ({ q, path, close } = tempDb());
  await project(q, 'alpha', '100000000000000001');
  await project(q, 'gamma', '100000000000000002');
  const today = new Date().toISOString().slice(0, 10);
  await deployment(q, { projectId: 'alpha', author: 'ann', status: 'succeeded', startedAt: `${today}T00:00:00.000Z`, types: ['database'], durationMs: 90_000 });
  await deployment(q, { projectId: 'gamma', author: 'bob', status: 'failed', startedAt: `${today}T00:00:01.000Z` });
  out = [];
  err = [];
  ctx = { io: { out: (t) => out.push(t), err: (t) => err.push(t) }, config: loadConfig({ DATABASE_PATH: path, TERRAFORM_RUNS_DIR: dirname(path), LOG_LEVEL: 'silent' }) };
});
afterEach(() => close());

describe('cloud-engine stats', () => {
  it('GIVEN --help THEN prints the usage', async () => {
    expect(await statsCommand.run(['--help'], ctx)).toBe(0);
    expect(out.join('\n')).toContain('cloud-engine stats [--days <1-366>] [--guild <id>] [--json] [--chart <out.png>]');
  });

  it('GIVEN no flags THEN prints a 30-day summary, rankings and a row per day', async () => {
    expect(await statsCommand.run([], ctx)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Deployments, last 30 day(s), all guilds');
    expect(text).toContain('total 2: 1 succeeded, 1 failed, 0 interrupted, 0 running');
    expect(text).toContain('success rate 50%, average apply 1.5 min, active sessions 0');
    expect(text).toMatch(/^author\s+id\s+deployments$/m);
    expect(text).toMatch(/^ann-name\s+ann\s+1$/m);
    expect(text).toMatch(/^database\s+1$/m);
    expect(text.match(/^\d{4}-\d{2}-\d{2}\s/gm)).toHaveLength(30);
  });

  it('GIVEN --json --guild --days THEN prints only that guild, as JSON', async () => {
    expect(await statsCommand.run(['--json', '--guild', '100000000000000002', '--days', '7'], ctx)).toBe(0);
    const s = JSON.parse(out.join('\n'));
    expect(s).toMatchObject({ days: 7, total: 1, failed: 1, top_users: [{ user_id: 'bob', count: 1 }] });
    expect(s.per_day).toHaveLength(7);
  });

  it('GIVEN --chart THEN writes a PNG and says where', async () => {
    const file = join(dirname(path), 'chart.png');
    expect(await statsCommand.run(['--chart', file, '--days', '7'], ctx)).toBe(0);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
    expect(out.at(-1)).toBe(`Chart written to ${file}`);
  });

  it('GIVEN a bad --days THEN a validation error names the flag', async () => {
    await expect(statsCommand.run(['--days', '0'], ctx)).rejects.toMatchObject({ code: 'validation', message: expect.stringContaining('--days') });
  });
});
