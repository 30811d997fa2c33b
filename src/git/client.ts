import { execFile } from 'node:child_process';
import { CoreError } from '../domain/errors.js';
import { maskUrlCredentials } from './mask.js';

/** What git may see of our environment: enough to find itself, the user's config and an SSH agent — no tokens. */
const PASSED_ENV = ['PATH', 'HOME', 'TMPDIR', 'SSH_AUTH_SOCK', 'XDG_CONFIG_HOME'];

/** No GIT_* variable is passed (a GIT_DIR inherited from a hook would aim git at another repository), and no terminal prompts, so a push that needs a password fails at once instead of hanging the bot. */
function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_ENV) if (process.env[key] !== undefined) env[key] = process.env[key]!;
  return { ...env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
}

/** Settings a user's global git config must not change for our commits (signing would prompt or fail). */
const CONFIG = ['commit.gpgsign=false', 'tag.gpgsign=false', 'core.autocrlf=false', 'core.quotepath=false'];

export interface GitRunner {
  /** Runs git and returns stdout; a failure (non-zero exit with an error message) becomes CoreError('git') naming the project. */
  (args: string[]): Promise<string>;
}

/**
 * git through execFile, never a shell. (simple-git was the first choice, but it sleeps 50 ms after
 * every command that prints nothing — most of ours — which made each deployment commit ~0.4 s slower.)
 */
export function gitRunner(dir: string, projectId: string, timeoutMs = 120_000): GitRunner {
  const env = childEnv();
  const config = CONFIG.flatMap((c) => ['-c', c]);
  return (args) => new Promise((resolve, reject) => {
    execFile('git', [...config, ...args], { cwd: dir, env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      // Like `git rev-parse -q --verify` or `check-ignore`, a quiet non-zero exit is an answer, not a failure.
      if (!err || (typeof err.code === 'number' && !stderr.trim())) return resolve(stdout);
      const text = maskUrlCredentials(`${stderr || err.message}`).trim();
      reject(new CoreError('git', `git ${args[0]} failed in project ${projectId}: ${text}`));
    });
  });
}
