import { withAuditChainKey } from '../src/audit/audit-chain-key.ts';
import { intakeCatalogFor } from '../src/intake/intake-catalog-for.ts';
import { BillingConfigError } from '../src/billing-config/load-billing-config.ts';
import { resolveBillingConfig } from '../src/billing-config/resolve-billing-config.ts';
import { ConfigError, loadConfig, type Config } from '../src/config.ts';
import { describeConnectionProblem } from '../src/db/connection-problem.ts';
import { migrateToLatest, MigrationError } from '../src/db/migrate.ts';
import { provisionDatabase, type ProvisionedDatabase } from '../src/db/provision-database.ts';
import { openDatabase, type DatabaseHandle } from '../src/db/database.ts';
import { systemClock } from '../src/deps.ts';
import { migrateJobQueue } from '../src/jobs/job-runner.ts';
import type { Deps } from '../src/ports/deps.ts';
import type { IntakeCatalog } from '../src/intake/intake-catalog.ts';
import { createLogger, type Logger } from '../src/logger.ts';

/** What shell commands use: no Slack (the app posts; the shell prints). */
export interface CliContext extends Pick<Deps, 'config' | 'db' | 'billing' | 'clock' | 'logger'> {
  catalog: IntakeCatalog;
  close: () => Promise<void>;
}

/** A failure the command has already put in words: printed as is (one line), then exit `exitCode`. */
export class CliFailure extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliFailure';
    this.exitCode = exitCode;
  }
}

// NOTE: a server that never answers would otherwise hold the command for the OS's TCP timeout (minutes).
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Runs a shell command's body. Whatever it throws is printed as one line on stderr, saying what went
 * wrong and what to do, with a non-zero exit code: never a stack trace (LOG_LEVEL=debug adds one).
 */
export async function runCli(command: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    process.stderr.write(`${describeCliFailure(command, error)}\n`);
    if (process.env.LOG_LEVEL === 'debug' || process.env.LOG_LEVEL === 'trace') {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = error instanceof CliFailure ? error.exitCode : 1;
  }
}

/** Wrong arguments: one line saying what was wrong and where the usage is, exit 2. */
export function usageError(message: string, helpCommand: string): never {
  process.stderr.write(`${message} (${helpCommand} shows the usage)\n`);
  process.exit(2);
}

function describeCliFailure(command: string, error: unknown): string {
  if (error instanceof CliFailure || error instanceof ConfigError || error instanceof BillingConfigError) {
    return error.message;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `${command} stopped: ${message.replace(/\s+/g, ' ').trim()}. Fix that and run it again (LOG_LEVEL=debug prints the stack trace).`;
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
  // NOTE: the same warnings `npm start` logs (a rate of 0.2 that was meant as 20): a command acts on
  // billing.yml too, so its operator sees them.
  for (const warning of billing.warnings) process.stderr.write(`Warning: billing config: ${warning}\n`);
  const { server, database } = await openMigratedDatabase(config, logger);
  return {
    config,
    // Audit entries a command appends are keyed like the app's, so the chain stays keyed throughout.
    db: withAuditChainKey(database.db, config.audit.key),
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

/**
 * The database `npm start` uses, reachable and with both schemas up to date: billops' migrations and
 * the job queue's (graphile-worker), so a command on a database the app never ran on works too.
 * A server that cannot be reached or refuses the login is a CliFailure saying what to fix.
 */
export async function openMigratedDatabase(
  config: Config,
  logger: Logger,
  options: { applyMigrations?: boolean } = {},
): Promise<{ server: ProvisionedDatabase; database: DatabaseHandle }> {
  const server = await provisionDatabase(config, logger, { shareRunning: true });
  const database = openDatabase(server.url, { max: 4, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await database.pool.query('select 1').catch((error: unknown) => {
      const problem = describeConnectionProblem(error, server.description);
      throw problem === undefined ? error : new CliFailure(problem);
    });
    if (options.applyMigrations !== false) {
      await migrateToLatest(database.db).catch((error: unknown) => {
        throw error instanceof MigrationError
          ? new CliFailure(
              `${error.message.replace(/\s+/g, ' ')}. Fix the cause and run the command again (npm run migrate -- status lists the migrations).`,
            )
          : error;
      });
      await migrateJobQueue({ pool: database.pool, logger });
    }
  } catch (error) {
    await database.close();
    await server.stop();
    throw error;
  }
  return { server, database };
}

function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError || error instanceof BillingConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
