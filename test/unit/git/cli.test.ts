import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitCommand } from '../../../src/cli/commands/git.js';
import type { CliContext } from '../../../src/cli/types.js';
import { loadConfig } from '../../../src/config.js';
import { queryAudit } from '../../../src/db/audit.js';
import { openDatabase, sqliteSql } from '../../../src/db/database.js';
import { NO_KEYS } from '../../../src/db/cipher.js';
import { migrate } from '../../../src/db/migrate.js';
import { insertProject } from '../../../src/db/projects.js';
import type { ProjectRepos } from '../../../src/git/projectRepo.js';
import { alice, carol, k, repoDir, tempRuns, writeFiles } from './helpers.js';
import { DEFAULT_SETTINGS } from '../../../src/domain/projects.js';
import { micros } from '../../../src/domain/money.js';

let runsDir: string;
let repos: ProjectRepos;
let cleanup: () => void;
let out: string[];
let ctx: CliContext;
let first: string;
let second: string;
const dbPath = () => join(runsDir, 'test.db');

beforeEach(async () => {
  ({ runsDir, repos, cleanup } = tempRuns());
  const db = openDatabase(dbPath());
  migrate(db);
  (await insertProject(sqliteSql(db, NO_KEYS), { id: k('demo'), name: 'demo', cloudName: 'demo', guildId: 'local', description: '', defaultProvider: 'sandbox', budgetLimitMicros: micros(0), settings: DEFAULT_SETTINGS, createdBy: 'u', createdAt: '2025-01-01T00:00:00.000Z' }));
  db.close();
  writeFiles(repoDir(runsDir, 'demo'), { 'main.tf': 'one\n' });
  first = await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: alice, approver: carol, message: 'Deploy 1 resources via session aaaa1111 (alice)' });
  writeFiles(repoDir(runsDir, 'demo'), { 'main.tf': 'two\n' });
  second = await repos.commitDeployment(k('demo'), { files: ['main.tf'], author: alice, approver: carol, message: 'Deploy 1 resources via session bbbb2222 (alice)' });
  out = [];
  ctx = { io: { out: (t) => out.push(t), err: () => {} }, config: loadConfig({ DATABASE_PATH: dbPath(), TERRAFORM_RUNS_DIR: runsDir, LOG_LEVEL: 'silent' }) };
});
afterEach(() => cleanup());

describe('cloud-engine git', () => {
  it('GIVEN --help or no subcommand THEN prints the usage of log, diff, tag and rollback', async () => {
    expect(await gitCommand.run(['--help'], ctx)).toBe(0);
    expect(await gitCommand.run([], ctx)).toBe(1);
    expect(out[0]).toMatch(/git log .*\n.*git diff .*\n.*git tag /);
  });

  it('GIVEN log THEN one line per commit, newest first, with author and message', async () => {
    expect(await gitCommand.run(['log', '--project', 'demo'], ctx)).toBe(0);
    const lines = out.join('\n').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^${second.slice(0, 7)}\\s+\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\s+alice\\s+Deploy 1 resources via session bbbb2222 \\(alice\\), approved by carol$`));
  });

  it('GIVEN diff with one commit THEN shows it against its parent', async () => {
    expect(await gitCommand.run(['diff', '--project', 'demo', second.slice(0, 7)], ctx)).toBe(0);
    const text = out.join('\n');
    expect(text).toContain(`${first.slice(0, 7)}..${second.slice(0, 7)}: 1 file(s) changed`);
    expect(text).toContain('-one\n+two');
  });

  it('GIVEN tag THEN tags the commit, shows it in the log and records an audit event', async () => {
    expect(await gitCommand.run(['tag', '--project', 'demo', 'v1', '--commit', first, '--json'], ctx)).toBe(0);
    expect(JSON.parse(out.join(''))).toEqual({ tag: 'v1', commit: first });
    out.length = 0;
    await gitCommand.run(['log', '--project', 'demo'], ctx);
    expect(out.join('\n')).toContain('[v1]');
    const db = openDatabase(dbPath());
    expect((await queryAudit(sqliteSql(db, NO_KEYS), { projectId: k('demo') }))[0]).toMatchObject({ eventType: 'git_tagged', action: 'tag', status: 'success', details: { tag: 'v1', commit: first } });
    db.close();
  });

  it('GIVEN an unknown project, subcommand or hostile ref THEN refuses with the right error', async () => {
    await expect(gitCommand.run(['log', '--project', 'nope'], ctx)).rejects.toMatchObject({ code: 'not_found' });
    await expect(gitCommand.run(['blame', '--project', 'demo'], ctx)).rejects.toMatchObject({ code: 'validation' });
    await expect(gitCommand.run(['diff', '--project', 'demo', '--', '--output=/tmp/x'], ctx)).rejects.toMatchObject({ code: 'validation' });
    await expect(gitCommand.run(['tag', '--project', 'demo'], ctx)).rejects.toMatchObject({ code: 'validation' });
  });
});
