import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebClient } from '@slack/web-api';
import { loadConfig } from '../../src/config.ts';
import type { BillingConfig } from '../../src/billing-config/billing-config.ts';
import { loadBillingConfig } from '../../src/billing-config/load-billing-config.ts';
import { createSmtpMailer } from '../../src/delivery/mailer.ts';
import type { Mailer } from '../../src/ports/mailer.ts';
import type { Clock, Deps } from '../../src/ports/deps.ts';
import { createLogger } from '../../src/logger.ts';
import { createSlackNotifier } from '../../src/slack/slack-notifier.ts';
import type { TestDatabase } from './test-database.ts';

/** A clock tests move by hand. */
export function fixedClock(iso: string): Clock & { set: (next: string) => void } {
  let now = new Date(iso);
  return {
    now: () => new Date(now),
    set: (next) => {
      now = new Date(next);
    },
  };
}

/** Deps over a real test database, the committed example billing.yml and a fixed clock. */
export async function testDeps(
  database: TestDatabase,
  overrides: { billing?: BillingConfig; clock?: Clock; slack?: WebClient; mailer?: Mailer } = {},
): Promise<Deps> {
  const billing = overrides.billing ?? (await loadBillingConfig('billing.example.yml'));
  return {
    // Audit anchors of this test database only: never the checkout's .data/audit-anchors.jsonl.
    config: loadConfig({
      AUDIT_ANCHOR_FILE: path.join(tmpdir(), `billops-anchors-${randomBytes(6).toString('hex')}.jsonl`),
    }),
    logger: createLogger({ level: 'silent', format: 'json' }),
    db: database.db,
    billing,
    clock: overrides.clock ?? fixedClock('2026-11-03T09:00:00Z'),
    erp: undefined,
    // Connects lazily, so tests that send no mail never reach it.
    mailer: overrides.mailer ?? createSmtpMailer('smtp://127.0.0.1:9'),
    // Tests that need Slack pass a client pointed at a local Slack API; this one reaches nothing.
    slack: createSlackNotifier(
      overrides.slack ??
        new WebClient('xoxb-test', { slackApiUrl: 'http://127.0.0.1:9/api/', retryConfig: { retries: 0 } }),
      { alertsChannel: billing.slack.alertsChannel },
    ),
  };
}
