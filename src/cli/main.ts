import { loadConfig } from '../config.js';
import { applyCommand, planCommand } from './commands/session.js';
import { demoCommand } from './commands/demo.js';
import { estimateCommand } from './commands/estimate.js';
import { pricingCommand } from './commands/pricing.js';
import { generateCommand } from './commands/generate.js';
import { gitCommand } from './commands/git.js';
import { policyCommand } from './commands/policy.js';
import { statsCommand } from './commands/stats.js';
import { auditCommand, stateCommand, stopCommand, unlockCommand } from './commands/inspect.js';
import { settingsCommand } from './commands/settings.js';
import { projectCommand } from './commands/project.js';
import { templateCommand } from './commands/template.js';
import { exportCommand } from './commands/export.js';
import { backupCommand, restoreCommand } from './commands/backup.js';
import { dbCommand } from './commands/db.js';
import { statusCommand } from './commands/status.js';
import { driftCommand, sandboxCommand } from './commands/drift.js';
import { leaseCommand } from './commands/lease.js';
import { workerCommand } from './commands/worker.js';
import { recoverCommand } from './commands/recover.js';
import { credentialsCommand } from './commands/credentials.js';
import { renderCliError } from './errors.js';
import type { CliCommand, CliIo } from './types.js';

export const COMMANDS: CliCommand[] = [demoCommand, projectCommand, planCommand, applyCommand, generateCommand, estimateCommand, pricingCommand, stateCommand, auditCommand, unlockCommand, stopCommand, settingsCommand, policyCommand, gitCommand, statsCommand, templateCommand, exportCommand, credentialsCommand, backupCommand, restoreCommand, dbCommand, workerCommand, statusCommand, driftCommand, sandboxCommand, recoverCommand, leaseCommand];

const stdio: CliIo = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

function help(io: CliIo): void {
  io.out('cloud-engine — deploy cloud infrastructure with real Terraform plans, costs, git history and audit\n\nCommands:');
  for (const c of COMMANDS) io.out(`  ${c.name.padEnd(10)} ${c.summary}`);
  io.out('\nRun cloud-engine <command> --help for its options.');
}

export async function main(argv: string[], io: CliIo = stdio, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') return help(io), 0;
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`unknown command '${name}'. Run cloud-engine --help for the list.`);
    return 1;
  }
  try {
    // A terminal wants results, not info-level JSON logs; LOG_LEVEL still wins when set.
    return await command.run(rest, { io, config: loadConfig({ LOG_LEVEL: 'warn', ...env }) });
  } catch (e) {
    return renderCliError(e, io);
  }
}
