import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import type { Mailer } from './mailer.ts';
import type { ErpGateway } from './erp-gateway.ts';
import type { Logger } from '../logger.ts';
import type { SlackNotifier } from './slack-notifier.ts';

export interface Clock {
  now: () => Date;
}

/** Every adapter the use cases need, built once (src/deps.ts) and passed explicitly. */
export interface Deps {
  config: Config;
  logger: Logger;
  db: Db;
  /** billing.yml, validated at start. */
  billing: BillingConfig;
  clock: Clock;
  /** Posts, updates and alerts in Slack for jobs and use cases (listeners answer with Bolt's client). */
  slack: SlackNotifier;
  /** Invoice email: SMTP_URL, or the local outbox in local mode. */
  mailer: Mailer;
  /** Where finalized invoices are posted (the current connection, its tokens and budget); undefined with ERP_PROVIDER=none. */
  erp: ErpGateway | undefined;
}
