import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('GIVEN an empty environment THEN defaults work from a fresh clone', () => {
    const c = loadConfig({});
    expect(c.DATABASE_PATH).toBe('./data/cloud-engine.db');
    expect(c.TERRAFORM_RUNS_DIR).toBe('./terraform_runs');
    expect(c.TERRAFORM_BIN).toBe('terraform');
    expect(c.SESSION_TTL_MINUTES).toBe(60);
  });

  it('GIVEN bad values THEN each is reported on its own line naming the variable and what is allowed', () => {
    let err: unknown;
    try {
      loadConfig({ SESSION_TTL_MINUTES: 'soon', LOG_LEVEL: 'loud', DISCORD_GUILD_ID: 'abc', DISCORD_API_URL: 'ftp://x' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/SESSION_TTL_MINUTES must be a whole number from 1 to 10080, got 'soon'/);
    expect(problems).toMatch(/LOG_LEVEL must be one of/);
    expect(problems).toMatch(/DISCORD_GUILD_ID must be a Discord id/);
    expect(problems).toMatch(/DISCORD_API_URL must be an http\(s\) URL/);
  });

  it('GIVEN a DATABASE_URL that is not PostgreSQL, or the run queue without one THEN each is refused naming the variable, and no password is repeated', () => {
    const problems = (env: Record<string, string>) => { try { loadConfig(env); return ''; } catch (e) { return (e as ConfigError).problems.join('\n'); } };
    for (const url of ['mysql://root:hunter2@db/x', 'postgres:/oops', 'not a url', 'postgres://']) {
      const said = problems({ DATABASE_URL: url });
      expect(said, url).toMatch(/^DATABASE_URL: DATABASE_URL must be a PostgreSQL URL, postgres:\/\/user:password@host:5432\/database/);
      expect(said).not.toContain('hunter2');
    }
    expect(loadConfig({ DATABASE_URL: ' postgresql://ce:pw@db:5432/ce ' }).DATABASE_URL).toBe('postgresql://ce:pw@db:5432/ce');
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
    expect(problems({ RUN_QUEUE: 'workers' })).toMatch(/^RUN_QUEUE: workers needs DATABASE_URL/);
    expect(problems({ RUN_QUEUE: 'cluster' })).toMatch(/RUN_QUEUE must be local .* or workers/);
    expect(problems({ RUN_QUEUE: 'workers', DATABASE_URL: 'postgres://db/ce', RUN_QUEUE_WAIT_SECONDS: '5' })).toMatch(/RUN_QUEUE_WAIT_SECONDS must be a whole number from 10 to 86400/);
    expect(loadConfig({}).RUN_QUEUE).toBe('local');
  });

  it('GIVEN cloud credentials in the environment THEN they are collected for the Terraform child only', () => {
    const c = loadConfig({ AWS_SECRET_ACCESS_KEY: 'shh', ARM_CLIENT_SECRET: 'x', DISCORD_TOKEN: 'tok', HOME: '/root' });
    expect(c.cloudEnv).toEqual({ AWS_SECRET_ACCESS_KEY: 'shh', ARM_CLIENT_SECRET: 'x' });
  });
});
