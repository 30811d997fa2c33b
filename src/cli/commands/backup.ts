import { restoreTarget } from '../../app.js';
import { restoreStore } from '../../core/backup.js';
import { parseFlags, requireFlag } from '../args.js';
import { operatorActor } from '../operator.js';
import type { CliCommand } from '../types.js';
import { withApp } from '../withApp.js';

const backupUsage = 'cloud-engine backup --out <file>   (an online, consistent copy of the store and every project repository)';
export const backupCommand: CliCommand = {
  name: 'backup',
  summary: 'Write an online, consistent backup of the store and every project repository to one file',
  usage: backupUsage,
  async run(argv, ctx) {
    const { values } = parseFlags(argv, { out: { type: 'string' } }, backupUsage);
    if (values.help) return ctx.io.out(backupUsage), 0;
    const out = requireFlag(values.out, 'out', backupUsage);
    return withApp(ctx.config, { skipTerraformCheck: true }, async (app) => {
      const r = await app.orchestrator.backup(operatorActor(), out);
      ctx.io.out(`Backed up ${r.projects} project(s) and ${r.repositories} repositor${r.repositories === 1 ? 'y' : 'ies'} to ${r.file}`);
      if (r.warning) ctx.io.err(`warning: ${r.warning}`);
      return 0;
    });
  },
};

const restoreUsage = 'cloud-engine restore <file>   (into an empty data directory: DATABASE_PATH must not exist, TERRAFORM_RUNS_DIR must be empty)';
export const restoreCommand: CliCommand = {
  name: 'restore',
  summary: 'Restore a backup into an empty data directory',
  usage: restoreUsage,
  async run(argv, ctx) {
    const { values, positionals } = parseFlags(argv, {}, restoreUsage);
    if (values.help) return ctx.io.out(restoreUsage), 0;
    const file = requireFlag(positionals[0], '<file> (positional)', restoreUsage);
    const result = await restoreStore(restoreTarget(ctx.config), file);
    return withApp(ctx.config, { skipTerraformCheck: true }, async (app) => {
      await app.orchestrator.auditRestore(operatorActor(), file, result);
      ctx.io.out(`Restored ${result.projects} project(s) and ${result.repositories} repositor${result.repositories === 1 ? 'y' : 'ies'} from the backup of ${result.createdAt}.`);
      for (const r of result.interrupted) {
        ctx.io.out(`  ${r.projectId}: session ${r.sessionId.slice(0, 8)} was ${r.state === 'PLANNING' ? 'planning' : 'applying'} when the backup was taken; its outcome is not in the backup (plan again to see what the cloud holds).`);
      }
      return 0;
    });
  },
};
