import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { applied, createMigrator, MigrationError } from '../src/db/migrate.ts';
import { migrateJobQueue } from '../src/jobs/job-runner.ts';
import { createLogger } from '../src/logger.ts';
import { CliFailure, openMigratedDatabase, runCli, usageError } from './cli-context.ts';

const USAGE = `Usage: npm run migrate [-- latest | up | down | status]
  latest  apply every pending migration, billops' and the job queue's (default)
  up      apply the next pending migration
  down    revert the last applied migration
  status  list migrations and whether each is applied`;
const HELP = 'npm run migrate -- --help';

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    strict: true,
    options: { help: { type: 'boolean', short: 'h', default: false } },
  });
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error), HELP);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const { positionals } = parsed;
const command = positionals[0] ?? 'latest';
if (!['latest', 'up', 'down', 'status'].includes(command) || positionals.length > 1) {
  usageError(`Unknown arguments: ${positionals.join(' ')}; expected latest, up, down or status`, HELP);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
const logger = createLogger(config.log);

await runCli('npm run migrate', async () => {
  const { server, database } = await openMigratedDatabase(config, logger, { applyMigrations: false });
  const migrator = createMigrator(database.db);
  try {
    logger.info(`Database: ${server.description}`);
    if (command === 'status') {
      for (const migration of await migrator.getMigrations()) {
        logger.info(`${migration.executedAt ? 'applied' : 'pending'}  ${migration.name}`);
      }
      return;
    }
    const step =
      command === 'latest'
        ? migrator.migrateToLatest()
        : command === 'up'
          ? migrator.migrateUp()
          : migrator.migrateDown();
    let names;
    try {
      names = applied(await step);
    } catch (error) {
      if (!(error instanceof MigrationError)) throw error;
      throw new CliFailure(
        `${error.message.replace(/\s+/g, ' ')}. Fix the cause and run npm run migrate again (npm run migrate -- status lists the migrations).`,
      );
    }
    const verb = command === 'down' ? 'Reverted' : 'Applied';
    logger.info(names.length === 0 ? 'Nothing to do' : `${verb}: ${names.join(', ')}`);
    if (command === 'latest') {
      await migrateJobQueue({ pool: database.pool, logger });
      logger.info('Job queue: graphile_worker schema up to date');
    }
  } finally {
    await database.close();
    await server.stop();
  }
});
