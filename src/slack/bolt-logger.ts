import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../logger.ts';

/** Bolt's Logger interface on top of pino, so Bolt's own messages share the app's format and redaction. */
export function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  const write =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      // Objects stay structured fields (never JSON inside the message) so pino's redaction reaches them.
      const text = parts.filter((part) => typeof part === 'string').join(' ');
      const err = parts.find((part) => part instanceof Error);
      const details = parts.filter((part) => typeof part !== 'string' && !(part instanceof Error));
      logger[method](
        { ...(err === undefined ? {} : { err }), ...(details.length > 0 ? { details } : {}) },
        text,
      );
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
