import { intakeCatalogFor } from '../src/intake/intake-catalog-for.ts';
import { BillingConfigError } from '../src/billing-config/load-billing-config.ts';
import { resolveBillingConfig } from '../src/billing-config/resolve-billing-config.ts';
import { ConfigError, loadConfig } from '../src/config.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { provisionDatabase } from '../src/db/provision-database.ts';
import { openDatabase } from '../src/db/database.ts';
import { systemClock } from '../src/deps.ts';
import type { Deps } from '../src/ports/deps.ts';
import type { IntakeCatalog } from '../src/intake/intake-catalog.ts';
import { createLogger } from '../src/logger.ts';

/** What shell commands use: no Slack (the app posts; the shell prints). */
export interface CliContext extends Pick<Deps, 'db' | 'billing' | 'clock' | 'logger'> {
  catalog: IntakeCatalog;
  close: () => Promise<void>;
}

/**
 * What a shell command needs: config, billing.yml, a migrated database (the one `npm start` is
 * running, when it is) and the intake catalog. Bad configuration exits 1 with its message.
 */
export async function openCliContext(): Promise<CliContext> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    exitOnConfigError(error);
  }
  // Shell commands print their own results; the log carries only problems unless asked for more.
  const logger = createLogger({
    ...config.log,
    level: process.env.LOG_LEVEL === undefined ? 'warn' : config.log.level,
  });
  let billing;
  try {
    billing = await resolveBillingConfig(config.billingConfig);
  } catch (error) {
    exitOnConfigError(error);
  }
  const server = await provisionDatabase(config, logger, { shareRunning: true });
  const database = openDatabase(server.url, { max: 4 });
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    await server.stop();
    throw error;
  }
  return {
    db: database.db,
    billing,
    clock: systemClock,
    logger,
    catalog: intakeCatalogFor(billing),
    close: async () => {
      await database.close();
      await server.stop();
    },
  };
}

function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof BillingConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
