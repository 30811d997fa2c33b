/**
 * A throwaway PostgreSQL server for the suites that test the PostgreSQL store (test/helpers/pgServer.ts),
 * stopped and removed when the run ends. Each test file creates its own database on it
 * (test/helpers/postgres.ts).
 *
 * CE_TEST_DATABASE_URL names a server to use instead (a URL whose user may CREATE DATABASE). Without
 * either, the PostgreSQL suites skip and say why — except under CI, where no server is a failure.
 */
import type { TestProject } from 'vitest/node';
import { startThrowawayPostgres } from './helpers/pgServer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** An admin URL of the test PostgreSQL server, or '' with `pgUnavailable` saying why. */
    pgAdminUrl: string;
    pgUnavailable: string;
  }
}

export default async function startPostgres(project: TestProject): Promise<() => void> {
  const given = process.env.CE_TEST_DATABASE_URL;
  if (given) {
    project.provide('pgAdminUrl', given);
    project.provide('pgUnavailable', '');
    return () => undefined;
  }
  try {
    const server = await startThrowawayPostgres();
    project.provide('pgAdminUrl', server.adminUrl);
    project.provide('pgUnavailable', '');
    return () => server.stop();
  } catch (e) {
    const why = `a throwaway PostgreSQL server could not be started (${(e as Error).message})`;
    if (process.env.CI) throw new Error(`${why}; under CI the PostgreSQL suites must run`);
    console.warn(`PostgreSQL suites skip: ${why}. Set CE_TEST_DATABASE_URL to run them against a server of your own.`);
    project.provide('pgAdminUrl', '');
    project.provide('pgUnavailable', why);
    return () => undefined;
  }
}
