import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startApp } from './start-app.ts';

// Entry point of `npm start`: config → app → signals.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.log);

  const app = await startApp(config, logger).catch((error: unknown) => {
    logger.fatal({ err: error }, 'billops could not start');
    process.exit(1);
  });

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    logger.info(`${signal}: stopping intake, letting running jobs finish`);
    const deadline = setTimeout(() => {
      logger.error('Shutdown took too long; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 10_000);
    deadline.unref();
    void app.stop().then(() => {
      logger.info('Stopped cleanly');
      logger.flush();
      process.exit(0);
    });
  };
  for (const signal of SIGNALS) process.on(signal, shutdown);
}

await main();
