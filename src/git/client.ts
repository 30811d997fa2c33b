import { simpleGit, type SimpleGit } from 'simple-git';
import { CoreError } from '../core/errors.js';
import { maskUrlCredentials } from './mask.js';

/** Variables simple-git refuses to pass on (they can make git run programs) or that would point git elsewhere. */
const UNSAFE_ENV = new Set(['editor', 'visual', 'pager', 'prefix', 'ssh_askpass']);

/**
 * The child environment: the process's own, minus every GIT_* variable (a GIT_DIR inherited from a
 * hook would aim git at another repository), plus no terminal prompts so a push that needs a
 * password fails at once instead of hanging the bot.
 */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    const k = key.toLowerCase();
    if (value !== undefined && !k.startsWith('git') && !UNSAFE_ENV.has(k)) env[key] = value;
  }
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
}

/** Settings a user's global git config must not change for our commits (signing would prompt or fail). */
const CONFIG = ['commit.gpgsign=false', 'tag.gpgsign=false', 'core.autocrlf=false', 'core.quotepath=false'];

export interface GitRunner {
  /** Runs git and returns stdout; a failure becomes CoreError('git') naming the project. */
  (args: string[]): Promise<string>;
}

export function gitRunner(dir: string, projectId: string, timeoutMs = 120_000): GitRunner {
  const git: SimpleGit = simpleGit({
    baseDir: dir, config: CONFIG, allowEnvironment: ['GIT_TERMINAL_PROMPT'], timeout: { block: timeoutMs },
  }).env(childEnv());
  return async (args) => {
    try {
      return await git.raw(args);
    } catch (e) {
      const text = maskUrlCredentials((e as Error).message).trim();
      throw new CoreError('git', `git ${args[0]} failed in project ${projectId}: ${text}`);
    }
  };
}
