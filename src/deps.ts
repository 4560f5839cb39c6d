import { withAuditChainKey } from './audit/audit-chain-key.ts';
import type { BillingConfig } from './billing-config/billing-config.ts';
import type { Config } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { createSmtpMailer } from './delivery/mailer.ts';
import type { ErpGateway } from './ports/erp-gateway.ts';
import type { Logger } from './logger.ts';
import type { Clock, Deps } from './ports/deps.ts';
import { createSlackClient } from './slack/create-slack-client.ts';
import { ChannelPostingBudget, type PostingBudgetOptions } from './slack/posting-budget.ts';
import { createSlackNotifier } from './slack/slack-notifier.ts';
import { UnreachableChannels } from './slack/unreachable-channels.ts';

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
  slack: { botToken: string; apiUrl: string; postingBudget: PostingBudgetOptions },
  smtpUrl: string,
  erp: ((db: Db, clock: Clock) => ErpGateway) | undefined,
): BuiltDeps {
  // NOTE: jobs, graphile-worker's LISTEN connection, Slack requests and /healthz share this pool.
  const database = openDatabase(databaseUrl, { max: config.jobs.concurrency + 10 });
  // Every audit entry the app appends is keyed (HMAC) with the key kept outside the database.
  const db = withAuditChainKey(database.db, config.audit.key);
  const mailer = createSmtpMailer(smtpUrl);
  return {
    deps: {
      config,
      logger,
      db,
      billing,
      clock: systemClock,
      slack: createSlackNotifier(createSlackClient(slack.botToken, slack.apiUrl), {
        alertsChannel: billing.slack.alertsChannel,
        budget: new ChannelPostingBudget(slack.postingBudget),
        unreachable: new UnreachableChannels(db, logger),
      }),
      mailer,
      erp: erp?.(db, systemClock),
    },
    pool: database.pool,
    close: async () => {
      await mailer.close();
      await database.close();
    },
  };
}
