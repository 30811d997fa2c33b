import { auditCommand, costCommand, quotaCommand, sessionsCommand } from './reports.js';
import { createProjectCommand, grantCommand, revokeCommand, setBudgetAlertCommand, unlockCommand } from './projectAdmin.js';
import { deployCommand } from './deploy.js';
import { driftCommand } from './drift.js';
import { leaseCommand } from './lease.js';
import { exportCommand } from './exportSpecs.js';
import { gitDiffCommand } from './gitDiff.js';
import { gitLogCommand } from './gitLog.js';
import { gitRemoteCommand } from './gitRemote.js';
import { credentialsCommand } from './credentials.js';
import { gitTagCommand } from './gitTag.js';
import { importCommand } from './importSpecs.js';
import { policyCommand } from './policy.js';
import { rollbackCommand } from './rollback.js';
import { statsCommand } from './stats.js';
import { templateCommand } from './template.js';
import { settingsCommand, stopCommand } from './settings.js';
import type { SlashCommand } from './types.js';

/** Every slash command, as registered with Discord and routed by name. */
export const COMMANDS: readonly SlashCommand[] = [
  deployCommand, createProjectCommand, setBudgetAlertCommand, grantCommand, revokeCommand, quotaCommand, sessionsCommand,
  unlockCommand, costCommand, statsCommand, auditCommand,
  gitLogCommand, gitDiffCommand, gitTagCommand, gitRemoteCommand, credentialsCommand, rollbackCommand, templateCommand, importCommand, exportCommand,
  settingsCommand, stopCommand, policyCommand, driftCommand, leaseCommand,
];

export const commandDefinitions = () => COMMANDS.map((c) => c.data);
