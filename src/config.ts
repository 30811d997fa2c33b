import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readUserFile } from './userFiles.js';
import { SECRET_VAR_PREFIX, SERVICE_ACCOUNT_VAR_PREFIX } from './domain/projects.js';

const isBindingVar = (k: string) => k.startsWith(SECRET_VAR_PREFIX) || k.startsWith(SERVICE_ACCOUNT_VAR_PREFIX);

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

/** A 256-bit key written as 64 hex digits or as base64; anything else is named, never echoed. */
function parseKey(raw: string, name: string, ctx: z.RefinementCtx): Buffer | undefined {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : /^[A-Za-z0-9+/_-]{43}=?$/.test(text) ? Buffer.from(text, 'base64') : undefined;
  if (key?.length === 32) return key;
  ctx.addIssue({ code: 'custom', message: `${name} must be a 256-bit key: 64 hex digits or 44 characters of base64 (e.g. the output of 'openssl rand -base64 32')` });
  return undefined;
}

/** A database URL without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'the DATABASE_URL given';
  }
}

/** A postgres:// or postgresql:// URL with a host or a socket directory, or undefined. */
export function postgresUrl(raw: string): string | undefined {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return undefined;
  return url.host || url.searchParams.get('host') ? text : undefined;
}

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
  DATABASE_URL: z.string().optional().transform((raw, ctx) => {
    if (!raw) return undefined;
    const url = postgresUrl(raw);
    if (!url) {
      // The value may hold a password: the message names its form, never its text.
      ctx.addIssue({ code: 'custom', message: 'DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:5432/database (or postgresql://…); unset it to use the SQLite file at DATABASE_PATH' });
      return z.NEVER;
    }
    return url;
  }),
  TERRAFORM_RUNS_DIR: z.string().min(1).default('./terraform_runs'),
  TERRAFORM_BIN: z.string().min(1).default('terraform'),
  TERRAFORM_PLUGIN_CACHE_DIR: z.string().optional().transform((v) => (v ? v : undefined)),
  TERRAFORM_TIMEOUT_SECONDS: intFrom('TERRAFORM_TIMEOUT_SECONDS', 10, 86_400, 3600),
  PRICING_DIR: z.string().optional().transform((v) => v || PACKAGE_PRICING_DIR),
  SESSION_TTL_MINUTES: intFrom('SESSION_TTL_MINUTES', 1, 10_080, 60),
  LEASE_TTL_SECONDS: intFrom('LEASE_TTL_SECONDS', 2, 3600, 60),
  RUN_QUEUE: z.enum(['local', 'workers'], {
    error: (issue) => `RUN_QUEUE must be local (Terraform runs in the process that approves) or workers (approved applies wait for cloud-engine worker processes), got '${String(issue.input)}'`,
  }).default('local'),
  RUN_QUEUE_WAIT_SECONDS: intFrom('RUN_QUEUE_WAIT_SECONDS', 10, 86_400, 3600),
  DISCORD_SHARD_ID: z.string().optional().transform((raw, ctx) => {
    if (raw === undefined || raw === '') return undefined;
    if (!/^\d{1,4}$/.test(raw)) {
      ctx.addIssue({ code: 'custom', message: `DISCORD_SHARD_ID must be a whole number from 0 to DISCORD_SHARD_COUNT - 1, got '${raw}'` });
      return z.NEVER;
    }
    return Number(raw);
  }),
  DISCORD_SHARD_COUNT: intFrom('DISCORD_SHARD_COUNT', 1, 1024, 1),
  SWEEP_INTERVAL_SECONDS: intFrom('SWEEP_INTERVAL_SECONDS', 1, 3600, 30),
  STATE_ENCRYPTION_KEY: z.string().optional().transform((raw, ctx) => (raw ? parseKey(raw, 'STATE_ENCRYPTION_KEY', ctx) ?? z.NEVER : undefined)),
  STATE_ENCRYPTION_KEY_FILE: z.string().optional().transform((raw, ctx) => {
    if (!raw) return undefined;
    let text: string;
    try {
      text = readUserFile(raw, 1024, 'STATE_ENCRYPTION_KEY_FILE').toString('utf8');
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `STATE_ENCRYPTION_KEY_FILE: ${(e as Error).message}` });
      return z.NEVER;
    }
    return parseKey(text, `STATE_ENCRYPTION_KEY_FILE (${raw})`, ctx) ?? z.NEVER;
  }),
  STATE_ENCRYPTION_PREVIOUS_KEYS: z.string().optional().transform((raw, ctx) => {
    const keys = (raw ?? '').split(',').map((k) => k.trim()).filter(Boolean).map((k, i) => parseKey(k, `STATE_ENCRYPTION_PREVIOUS_KEYS (key ${i + 1})`, ctx));
    return keys.every((k) => k) ? (keys as Buffer[]) : z.NEVER;
  }),
  CLOUD_DEFAULT_CREDENTIALS: z.enum(['allow', 'deny'], {
    error: (issue) => `CLOUD_DEFAULT_CREDENTIALS must be allow or deny, got '${String(issue.input)}'`,
  }).default('deny'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    error: (issue) => `LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got '${String(issue.input)}'`,
  }).default('info'),
});

export type Config = z.output<typeof envSchema> & {
  cloudEnv: Record<string, string>;
  /** The operator's per-project identity bindings: CLOUD_ENGINE_SECRET_<SERVER>__<PROJECT> (an Azure client secret), CLOUD_ENGINE_GCP_SA_<SERVER>__<PROJECT>. */
  identityBindings: Record<string, string>;
};

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
  const { DISCORD_SHARD_ID: shard, DISCORD_SHARD_COUNT: shards } = parsed.data;
  if (shard !== undefined && shard >= shards) throw new ConfigError([`DISCORD_SHARD_ID: ${shard} is not a shard of ${shards} (DISCORD_SHARD_COUNT); give 0 to ${shards - 1}`]);
  if (parsed.data.RUN_QUEUE === 'workers' && !parsed.data.DATABASE_URL) {
    throw new ConfigError(['RUN_QUEUE: workers needs DATABASE_URL (the queue lives in PostgreSQL, where every worker reaches it); set DATABASE_URL or RUN_QUEUE=local']);
  }
  if (parsed.data.STATE_ENCRYPTION_KEY && parsed.data.STATE_ENCRYPTION_KEY_FILE) {
    throw new ConfigError(['STATE_ENCRYPTION_KEY and STATE_ENCRYPTION_KEY_FILE are both set; give the key one way']);
  }
  const identityBindings = Object.fromEntries(Object.entries(env).filter(([k, v]) => v && isBindingVar(k)) as Array<[string, string]>);
  // A binding from before projects belonged to their server would bind every server's project of that name.
  const unscoped = Object.keys(identityBindings).filter((k) => !k.includes('__'));
  if (unscoped.length) {
    throw new ConfigError(unscoped.map((k) => `${k}: per-project bindings name the server too: ${k.replace(/^(CLOUD_ENGINE_(?:SECRET|GCP_SA)_)/, '$1<SERVER>__')} (<SERVER> is the Discord server id, or LOCAL for projects created on the CLI without --guild)`));
  }
  return { ...parsed.data, cloudEnv, identityBindings };
}
