import { BillingConfigError } from './billing-config/load-billing-config.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { describeConnectionProblem } from './db/connection-problem.ts';
import { createLogger, describeDatabaseUrl } from './logger.ts';
import { startApp } from './start-app.ts';

// Entry point of `npm start`: config → app → signals.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

const config = readConfig();
const logger = createLogger(config.log);
const starting = startApp(config, logger);

// Signals are handled from the first moment, so a stop during start-up still stops what has started.
// NOTE: Ctrl+C reaches both tsx and node, and tsx may relay the same signal again a moment later;
// only a signal well after the first means "stop waiting".
const REPEAT_WINDOW_MS = 2000;
let stoppingSince: number | undefined;
const shutdown = (signal: NodeJS.Signals) => {
  if (stoppingSince !== undefined) {
    if (Date.now() - stoppingSince < REPEAT_WINDOW_MS) return;
    logger.warn(`${signal} again: exiting without waiting`);
    process.exit(1);
  }
  stoppingSince = Date.now();
  logger.info(`${signal}: stopping intake, letting running jobs finish`);
  const deadline = setTimeout(() => {
    logger.error('Shutdown took too long; exiting');
    process.exit(1);
  }, config.shutdownTimeoutMs + 10_000);
  void starting
    .then((app) => app.stop())
    .then(() => {
      clearTimeout(deadline);
      logger.info('Stopped cleanly');
      logger.flush();
      process.exit(0);
    });
};
for (const signal of SIGNALS) process.on(signal, shutdown);

await starting.catch((error: unknown) => {
  if (error instanceof BillingConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const where =
    config.database.url === undefined
      ? 'the embedded PostgreSQL'
      : `PostgreSQL at ${describeDatabaseUrl(config.database.url)} (DATABASE_URL)`;
  const problem = describeConnectionProblem(error, where);
  if (problem !== undefined) {
    // NOTE: one line that says what to fix; the stack only at LOG_LEVEL=debug.
    logger.debug({ err: error }, 'Database connection failed');
    logger.fatal(`billops could not start: ${problem}`);
  } else {
    logger.fatal({ err: error }, 'billops could not start');
  }
  logger.flush();
  process.exit(1);
});
