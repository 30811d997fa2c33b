import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The price lists shipped with the package: the default, so commands work from any directory. */
const PACKAGE_PRICING_DIR = fileURLToPath(new URL('../pricing', import.meta.url));

const intFrom = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, got '${raw}'` });
        return z.NEVER;
      }
      return n;
    });

const snowflake = (name: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      if (!/^\d{17,20}$/.test(raw)) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a Discord id (17-20 digits), got '${raw}'` });
        return z.NEVER;
      }
      return raw;
    });

const envSchema = z.object({
  DISCORD_TOKEN: z.string().optional(),
  DISCORD_API_URL: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw === '') return undefined;
      if (!/^https?:\/\/[^\s]+$/.test(raw)) {
        ctx.addIssue({ code: 'custom', message: `DISCORD_API_URL must be an http(s) URL such as http://127.0.0.1:8080/api, got '${raw}'` });
        return z.NEVER;
      }
      return raw.replace(/\/+$/, '');
    }),
  DISCORD_GUILD_ID: snowflake('DISCORD_GUILD_ID'),
  DISCORD_ADMIN_ROLE_ID: snowflake('DISCORD_ADMIN_ROLE_ID'),
  DISCORD_ALERT_CHANNEL_ID: snowflake('DISCORD_ALERT_CHANNEL_ID'),
  DATABASE_PATH: z.string().min(1).default('./data/cloud-engine.db'),
  TERRAFORM_RUNS_DIR: z.string().min(1).default('./terraform_runs'),
  TERRAFORM_BIN: z.string().min(1).default('terraform'),
  TERRAFORM_PLUGIN_CACHE_DIR: z.string().optional().transform((v) => (v ? v : undefined)),
  TERRAFORM_TIMEOUT_SECONDS: intFrom('TERRAFORM_TIMEOUT_SECONDS', 10, 86_400, 3600),
  PRICING_DIR: z.string().optional().transform((v) => v || PACKAGE_PRICING_DIR),
  SESSION_TTL_MINUTES: intFrom('SESSION_TTL_MINUTES', 1, 10_080, 60),
  LEASE_TTL_SECONDS: intFrom('LEASE_TTL_SECONDS', 2, 3600, 60),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: (issue) => `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got '${String(issue.input)}'`,
  }).default('info'),
});

export type Config = z.output<typeof envSchema> & { cloudEnv: Record<string, string> };

/** Variables handed to the Terraform child only; never logged, never written to disk. */
const CLOUD_CREDENTIAL_PREFIXES = ['AWS_', 'GOOGLE_', 'CLOUDSDK_', 'ARM_', 'AZURE_', 'TF_VAR_'];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => (i.path.length ? `${String(i.path[0])}: ` : '') + i.message));
  }
  const cloudEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && CLOUD_CREDENTIAL_PREFIXES.some((p) => k.startsWith(p))) cloudEnv[k] = v;
  }
  return { ...parsed.data, cloudEnv };
}
