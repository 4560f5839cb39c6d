import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { applied, createMigrator } from '../src/db/migrate.ts';
import { provisionDatabase } from '../src/db/provision-database.ts';
import { createLogger } from '../src/logger.ts';

const USAGE = `Usage: npm run migrate [-- latest | up | down | status]
  latest  apply every pending migration (default)
  up      apply the next pending migration
  down    revert the last applied migration
  status  list migrations and whether each is applied`;

const { positionals } = parseArgs({ allowPositionals: true, strict: true });
const command = positionals[0] ?? 'latest';
if (!['latest', 'up', 'down', 'status'].includes(command) || positionals.length > 1) {
  process.stderr.write(`Unknown arguments: ${positionals.join(' ')}\n${USAGE}\n`);
  process.exit(2);
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
const server = await provisionDatabase(config, logger, { shareRunning: true });
const database = openDatabase(server.url, { max: 2 });
const migrator = createMigrator(database.db);
try {
  logger.info(`Database: ${server.description}`);
  if (command === 'status') {
    for (const migration of await migrator.getMigrations()) {
      logger.info(`${migration.executedAt ? 'applied' : 'pending'}  ${migration.name}`);
    }
  } else {
    const step =
      command === 'latest'
        ? migrator.migrateToLatest()
        : command === 'up'
          ? migrator.migrateUp()
          : migrator.migrateDown();
    const names = applied(await step);
    const verb = command === 'down' ? 'Reverted' : 'Applied';
    logger.info(names.length === 0 ? 'Nothing to do' : `${verb}: ${names.join(', ')}`);
  }
} catch (error) {
  logger.error({ err: error }, 'Migration failed');
  process.exitCode = 1;
} finally {
  await database.close();
  await server.stop();
}
