import type { App } from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import { registerHandlers } from '../handlers/index.ts';
import type { Config } from './config.ts';
import { migrateToLatest } from './db/migrate.ts';
import { describeAuditSetup } from './audit/audit-log-safeguards.ts';
import { provisionDatabase, type ProvisionedDatabase } from './db/provision-database.ts';
import { EXAMPLE_BILLING_CONFIG, resolveBillingConfig } from './billing-config/resolve-billing-config.ts';
import { buildDeps } from './deps.ts';
import type { Deps } from './ports/deps.ts';
import { checkHealth, healthRoute } from './http/health-route.ts';
import { usageApiRoute } from './http/usage-api-route.ts';
import { migrateJobQueue, startJobRunner, type JobRunner } from './jobs/job-runner.ts';
import { buildTaskList, CRONTAB } from './jobs/task-list.ts';
import { alertJobsThatGiveUp } from './jobs/alert-job-gave-up.ts';
import {
  connectLocalSandbox,
  sandboxEndpoints,
  startLocalSlack,
  startLocalXero,
  startMailOutbox,
  workspacePageRoutes,
  type LocalSlack,
  type LocalXero,
  type MailOutbox,
} from './local/start-local-world.ts';
import type { Logger } from './logger.ts';
import { createBoltApp } from './slack/create-bolt-app.ts';
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from './db/database.ts';
import type { Clock } from './ports/deps.ts';
import { ERP_CALLBACK_PATH, PROVIDER_NAMES } from './erp/connect/connect-erp.ts';
import { createErpGateway } from './erp/erp-gateway.ts';
import { requireErpTaxTypes } from './billing-config/erp-tax-types.ts';
import type { ErpGateway } from './ports/erp-gateway.ts';
import { erpCallbackRoute } from './http/erp-callback-route.ts';
import { webhookRoutes, webhookSources } from './webhooks/webhook-routes.ts';
import { startSchedules } from './schedules/index.ts';
import { closeServer, listen } from './http/listen.ts';
import { identifyBot } from './slack/identify-bot.ts';
import { SLACK_POSTING_BUDGET } from './slack/slack-notifier.ts';

export interface RunningApp {
  /** Present with ERP_PROVIDER=local: the Xero sandbox finalized invoices are posted to. */
  erpSandbox: LocalXero | undefined;
  /** Present in local mode (no SMTP_URL): the outbox that catches every email. */
  mailOutbox: MailOutbox | undefined;
  url: string;
  port: number;
  deps: Deps;
  slack: App;
  jobs: JobRunner;
  /** Present in local mode: the built-in Slack API, which can also act as a person in Slack. */
  localSlack: LocalSlack | undefined;
  /** Stops intake, lets running jobs finish, closes the database and stops an embedded Postgres. */
  stop: () => Promise<void>;
}

const LOCAL_BOT_TOKEN = 'xoxb-local-billops';

/** Database → migrations → Slack → jobs → HTTP, one log line per part. */
export async function startApp(config: Config, logger: Logger): Promise<RunningApp> {
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => {
        logger.error({ err: error }, 'Error while stopping');
      });
    }
    cleanups.length = 0;
  };

  try {
    const billing = await resolveBillingConfig(config.billingConfig);
    const example =
      billing.source === EXAMPLE_BILLING_CONFIG
        ? ` (no ${config.billingConfig.path} yet; copy the example to make it yours)`
        : '';
    logger.info(
      `Billing: ${billing.source}${example}: ${billing.plans.size} plan(s) in ${billing.currencies.join(', ')}; periods in ${billing.timezone}`,
    );
    for (const warning of billing.warnings) logger.warn(`Billing config: ${warning}`);
    if (config.erp.provider !== 'none') {
      requireErpTaxTypes(
        billing,
        config.erp.provider === 'local' ? 'the local Xero' : PROVIDER_NAMES[config.erp.provider],
      );
    }
    const database = await provisionDatabase(config, logger);
    cleanups.push(database.stop);
    const ownerMigrations = await migrateAsOwner(database, logger);
    const slackTarget = await connectSlack(config);
    cleanups.push(slackTarget.stop);
    const bot = await identifyBot(slackTarget.apiUrl, slackTarget.botToken);
    const mail = await connectMail(config);
    cleanups.push(mail.stop);
    const erp = await connectErp(config);
    cleanups.push(erp.stop);
    const built = buildDeps(config, logger, database.url, billing, slackTarget, mail.smtpUrl, erp.gateway);
    cleanups.push(built.close);
    const { deps } = built;
    const migrations = ownerMigrations ?? (await migrateToLatest(deps.db));
    logger.info(
      `Database: ${database.description}; ${migrations.length === 0 ? 'schema up to date' : `applied ${migrations.length} migration(s)`}`,
    );
    for (const line of await describeAuditSetup(deps.db, config.audit)) logger[line.level](line.message);
    logger.info(`Slack: ${slackTarget.description}; signed in to ${bot.teamName} as @${bot.botName}`);
    logger.info(`Email: ${mail.description}`);
    if (erp.sandbox !== undefined && deps.erp !== undefined) await connectLocalSandbox(deps, deps.erp);
    logger.info(`ERP: ${erp.description}`);

    const jobs = await startJobRunner({
      pool: built.pool,
      taskList: buildTaskList(deps),
      crontab: CRONTAB,
      concurrency: config.jobs.concurrency,
      heartbeatMs: config.jobs.heartbeatMs,
      logger,
      shutdownTimeoutMs: config.shutdownTimeoutMs,
    });
    cleanups.push(() => jobs.stop());
    alertJobsThatGiveUp(deps, jobs);
    logger.info(`Jobs: graphile-worker running in-process (concurrency ${config.jobs.concurrency})`);
    const schedules = await startSchedules(deps);
    cleanups.push(() => schedules.stop());

    const webhooks = webhookSources(deps);
    const { app: slack, server } = createBoltApp({
      botToken: slackTarget.botToken,
      bot,
      signingSecret: config.slack.signingSecret,
      clock: deps.clock,
      apiUrl: slackTarget.apiUrl,
      logger,
      customRoutes: [
        healthRoute(() => checkHealth(deps.db, jobs.state)),
        usageApiRoute({ db: deps.db, token: config.usageApiToken, logger }),
        erpCallbackRoute(deps, logger),
        ...webhookRoutes(deps, webhooks),
        // The local workspace page exists only in local Slack mode, never with a real Slack token.
        ...(slackTarget.localSlack === undefined
          ? []
          : workspacePageRoutes({
              localSlack: slackTarget.localSlack,
              mailOutbox: mail.outbox,
              erpSandbox: erp.sandbox,
              deps,
            })),
      ],
    });
    registerHandlers(slack, deps);
    await listen(server, config.port);
    cleanups.push(() => closeServer(server));
    const { port } = server.address() as AddressInfo;
    slackTarget.localSlack?.setEventsUrl(`http://127.0.0.1:${port}/slack/events`);
    const url = `http://localhost:${port}`;
    const webhooksOn = webhooks.filter((source) => source.enabled).map((source) => source.name);
    logger.info(
      `HTTP: listening on ${url} (Slack requests at /slack/events, usage at /api/usage${config.usageApiToken === undefined ? ' (off: no USAGE_API_TOKEN)' : ''}, webhooks at /webhooks/{${webhooks.map((source) => source.name).join(',')}} (${webhooksOn.length === 0 ? 'all off: no secrets set' : `on: ${webhooksOn.join(', ')}`}), health at /healthz)`,
    );
    if (slackTarget.localSlack !== undefined) {
      logger.info(
        `Workspace page: open ${url} to use billops as a finance team would (no Slack account needed)`,
      );
    }

    return {
      url,
      port,
      deps,
      slack,
      jobs,
      localSlack: slackTarget.localSlack,
      mailOutbox: mail.outbox,
      erpSandbox: erp.sandbox,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

interface SlackTarget {
  botToken: string;
  description: string;
  apiUrl: string;
  /** The pace billops keeps per channel: Slack's, or the local Slack's own. */
  postingBudget: { burst: number; perSecond: number };
  localSlack: LocalSlack | undefined;
  stop: () => Promise<void>;
}

async function connectSlack(config: Config): Promise<SlackTarget> {
  if (config.slack.mode === 'remote') {
    return {
      description: `Web API at ${config.slack.apiUrl}`,
      botToken: config.slack.botToken,
      apiUrl: config.slack.apiUrl,
      postingBudget: SLACK_POSTING_BUDGET,
      localSlack: undefined,
      stop: () => Promise.resolve(),
    };
  }
  const postingBudget = { ...SLACK_POSTING_BUDGET, perSecond: config.slack.postsPerSecond };
  const localSlack = await startLocalSlack({
    signingSecret: config.slack.signingSecret,
    botToken: LOCAL_BOT_TOKEN,
    postingLimit: postingBudget,
  });
  return {
    postingBudget,
    description: `local mode (no SLACK_BOT_TOKEN), built-in Slack API at ${localSlack.apiUrl}, nothing leaves this machine`,
    botToken: LOCAL_BOT_TOKEN,
    apiUrl: localSlack.apiUrl,
    localSlack,
    stop: () => localSlack.stop(),
  };
}

interface MailTarget {
  smtpUrl: string;
  description: string;
  outbox: MailOutbox | undefined;
  stop: () => Promise<void>;
}

async function connectMail(config: Config): Promise<MailTarget> {
  if (config.smtpUrl !== undefined) {
    return {
      smtpUrl: config.smtpUrl,
      description: `SMTP at ${describeSmtpUrl(config.smtpUrl)}`,
      outbox: undefined,
      stop: () => Promise.resolve(),
    };
  }
  const outbox = await startMailOutbox({ dataDir: config.database.dataDir });
  return {
    smtpUrl: outbox.smtpUrl,
    description: `local outbox (no SMTP_URL) at ${outbox.smtpUrl}, saved in ${config.database.dataDir}/outbox; nothing leaves this machine`,
    outbox,
    stop: () => outbox.stop(),
  };
}

function describeSmtpUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}`;
}

interface ErpTarget {
  gateway: ((db: Db, clock: Clock) => ErpGateway) | undefined;
  sandbox: LocalXero | undefined;
  description: string;
  stop: () => Promise<void>;
}

async function connectErp(config: Config): Promise<ErpTarget> {
  const redirectUri = `${config.publicUrl}${ERP_CALLBACK_PATH}`;
  const { erp } = config;
  if (erp.provider === 'none') {
    return {
      gateway: undefined,
      sandbox: undefined,
      description: 'none (ERP_PROVIDER=none)',
      stop: () => Promise.resolve(),
    };
  }
  if (erp.provider !== 'local') {
    const oauth = {
      provider: erp.provider,
      endpoints: erp.endpoints,
      redirectUri,
      encryptionKey: erp.encryptionKey,
    };
    return {
      gateway: (db, clock) => createErpGateway({ db, clock, oauth }),
      sandbox: undefined,
      description: `${PROVIDER_NAMES[erp.provider]} at ${erp.endpoints.apiUrl}; connect with /invoice connect ${erp.provider} (OAuth returns to ${redirectUri})`,
      stop: () => Promise.resolve(),
    };
  }
  const sandbox = await startLocalXero();
  const oauth = {
    provider: 'xero' as const,
    endpoints: sandboxEndpoints(sandbox),
    redirectUri,
    // NOTE: the sandbox forgets everything when the app stops, and is connected again at each start.
    encryptionKey: erp.encryptionKey ?? randomBytes(32),
  };
  return {
    gateway: (db, clock) => createErpGateway({ db, clock, oauth }),
    sandbox,
    description: `local Xero sandbox at ${sandbox.apiUrl} (ERP_PROVIDER=local), connected over OAuth at start; nothing leaves this machine`,
    stop: () => sandbox.stop(),
  };
}

/**
 * On a server billops runs itself: billops' and the job queue's migrations as the owner, then the
 * app's own role granted what it needs (src/db/app-role.ts). Undefined with DATABASE_URL, where the
 * app migrates as the role it connects as (README, Reliability, shows how to split them).
 */
async function migrateAsOwner(database: ProvisionedDatabase, logger: Logger): Promise<string[] | undefined> {
  if (database.owner === undefined) return undefined;
  const owner = openDatabase(database.owner.url, { max: 2 });
  try {
    const applied = await migrateToLatest(owner.db);
    await migrateJobQueue({ pool: owner.pool, logger });
    await database.owner.grantApp(owner.pool);
    return applied;
  } finally {
    await owner.close();
  }
}
