import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SLASH_COMMAND } from '../blocks/ids.ts';
import { insertCustomer, insertSubscription } from './support/billing-factories.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Issue 19: billops was never invited to the approvals channel. Slack refuses every card there with
// not_in_channel; the team is told once, in the alerts channel, how to fix it, and once billops is
// invited the cards it could not post land, none lost.

const APPROVALS = 'C0APPROVALS';
const ALERTS = 'C0ALERTS';
const BOT = 'U0BILLOPS';
let test: TestApp;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 60_000, interval: 200 });

beforeAll(async () => {
  test = await startTestApp();
  for (const name of ['Acme', 'Globex']) {
    const customer = await insertCustomer(test.app.deps.db, { external_id: name.toLowerCase(), name });
    await insertSubscription(test.app.deps.db, customer, { plan_code: 'starter' });
  }
});
afterAll(async () => {
  await test.stop();
});

describe('a channel billops was not invited to', () => {
  it('is reported once with /invite @billops, and its cards land once billops is invited', async () => {
    test.slack.removeFromChannel(APPROVALS, BOT);
    await test.slack.sendSlashCommand({
      userId: 'U0FINANCE',
      channelId: 'C0BILLING',
      command: SLASH_COMMAND,
      text: 'run 2026-10',
    });

    const told = await eventually(() => {
      const found = test.slack
        .messages(ALERTS)
        .filter((message) => message.text.includes('/invite @billops'));
      expect(found).toHaveLength(1);
      return found[0];
    });
    expect(told?.text).toContain(`<#${APPROVALS}>`);
    // Every card was refused (and retried), yet the team heard it once.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(
      test.slack.messages(ALERTS).filter((message) => message.text.includes('/invite @billops')),
    ).toHaveLength(1);
    expect(test.slack.messages(APPROVALS)).toEqual([]);

    test.slack.invite(APPROVALS, BOT);

    await eventually(() => {
      const cards = test.slack
        .messages(APPROVALS)
        .map((message) => visibleText(message.blocks))
        .join('\n');
      expect(cards).toContain('Acme');
      expect(cards).toContain('Globex');
    });
    const problems = await test.app.deps.db.selectFrom('slack_channel_problems').selectAll().execute();
    expect(problems).toEqual([]);
  });
});
