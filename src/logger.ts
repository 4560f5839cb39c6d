import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/**
 * Keys whose values never reach a log line, at any of the first three levels of a logged object.
 * NOTE: pino's redaction works on paths, so secrets must travel under one of these names.
 */
const SECRET_KEYS = [
  'token',
  'botToken',
  'accessToken',
  'refreshToken',
  'signingSecret',
  'secret',
  'password',
  'authorization',
  'cookie',
  'connectionString',
  'databaseUrl',
  'smtpUrl',
  'usageApiToken',
  'clientSecret',
  'encryptionKey',
  'usageSecret',
  'shopifySecret',
  'xeroKey',
];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/** pino with secrets redacted; pretty in a terminal, JSON lines otherwise. */
export function createLogger(log: Config['log'], destination?: DestinationStream): Logger {
  const pretty = log.format === 'pretty' || (log.format === 'auto' && process.stdout.isTTY);
  const options = { level: log.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (destination !== undefined) return pino(options, destination);
  if (pretty) {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } },
    });
  }
  return pino(options);
}

/** A postgres URL fit for a log line: host, port and database, never the password. */
export function describeDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}
