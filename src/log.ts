import pino, { type Logger } from 'pino';

/** Paths pino blanks out wherever they appear in a log object. */
export const REDACT_PATHS = [
  'token', '*.token', 'password', '*.password', 'secret', '*.secret', 'authorization', '*.authorization',
  'headers.authorization', 'env', '*.env', 'cloudEnv', '*.cloudEnv', 'DISCORD_TOKEN', '*.DISCORD_TOKEN',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'cloud-engine' } }, destination ?? pino.destination(2));
}

export type { Logger };
