import type { BillingConfig } from './billing-config/billing-config.ts';
import type { Config } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import type { Logger } from './logger.ts';

export interface Clock {
  now: () => Date;
}

/** Every adapter the use cases need, built once and passed explicitly. */
export interface Deps {
  config: Config;
  logger: Logger;
  db: Db;
  /** billing.yml, validated at start. */
  billing: BillingConfig;
  clock: Clock;
}

export interface BuiltDeps {
  deps: Deps;
  pool: ReturnType<typeof openDatabase>['pool'];
  close: () => Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export function buildDeps(
  config: Config,
  logger: Logger,
  databaseUrl: string,
  billing: BillingConfig,
): BuiltDeps {
  // NOTE: jobs, graphile-worker's LISTEN connection, Slack requests and /healthz share this pool.
  const database = openDatabase(databaseUrl, { max: config.jobs.concurrency + 10 });
  return {
    deps: { config, logger, db: database.db, billing, clock: systemClock },
    pool: database.pool,
    close: database.close,
  };
}
