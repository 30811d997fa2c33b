import { copyStoreToPostgres } from '../../app.js';
import { describeUrl, postgresUrl } from '../../config.js';
import { CoreError } from '../../domain/errors.js';
import { parseFlags, requireFlag } from '../args.js';
import { operatorActor } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const usage = 'cloud-engine db copy --to <postgres://user:password@host:5432/database>   (the SQLite store at DATABASE_PATH into an empty PostgreSQL database)';

export const dbCommand: CliCommand = {
  name: 'db',
  summary: 'Copy the SQLite store into an empty PostgreSQL database (db copy --to <url>)',
  usage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, { to: { type: 'string' } }, usage);
    if (values.help) return ctx.io.out(usage), 0;
    if (positionals[0] !== 'copy' || positionals.length > 1) throw new CoreError('validation', `db takes one subcommand, copy${positionals[0] ? `, got '${positionals.slice(0, 2).join(' ')}'` : ''}.\nUsage: ${usage}`);
    const url = postgresUrl(requireFlag(values.to, 'to', usage));
    if (!url) throw new CoreError('validation', `--to must be a PostgreSQL URL, postgres://user:password@host:5432/database (or postgresql://…).\nUsage: ${usage}`);
    const { source, ...copy } = await copyStoreToPostgres(ctx.config, url);
    // Recorded in the copy itself, as the first thing that store knows happened to it there.
    await withApp({ ...ctx.config, DATABASE_URL: url }, { skipTerraformCheck: true }, (app) => app.orchestrator.auditCopy(operatorActor(), source, copy));
    const total = copy.tables.reduce((n, t) => n + t.rows, 0);
    ctx.io.out(`Copied ${total} row(s) from ${source} to ${describeUrl(url)}, each table verified against its source:`);
    for (const t of copy.tables) ctx.io.out(`  ${t.table.padEnd(18)} ${t.rows}`);
    ctx.io.out(`The copy is the SQLite store as of ${copy.snapshotAt}. Point every process at it with DATABASE_URL; project repositories stay in TERRAFORM_RUNS_DIR.`);
    return 0;
  },
};
