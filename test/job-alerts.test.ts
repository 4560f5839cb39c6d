import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RETRY_JOB } from '../blocks/ids.ts';
import { enqueueJob } from '../src/queue/enqueue-job.ts';
import type { StoredMessage } from '../src/local/slack-api/index.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// A background job that uses up its attempts is never only a log line: it reaches the alerts channel
// with Retry, and Retry runs it again.

let test: TestApp;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 100 });
const alerts = (): StoredMessage[] =>
  test.slack
    .messages('C0ALERTS')
    .filter((message) => visibleText(message.blocks).includes('Starting a billing run'));

beforeAll(async () => {
  test = await startTestApp();
});
afterAll(async () => {
  await test.stop();
});

describe('a job that gives up', () => {
  it('is posted to the alerts channel with Retry, and Retry runs it once more', async () => {
    // Its reply goes to a response URL nobody listens on, so every attempt fails.
    await test.app.deps.db.transaction().execute((trx) =>
      enqueueJob(
        trx,
        'start_billing_run',
        {
          period: '2026-10',
          customers: [],
          dryRun: true,
          userId: 'U0FINANCE',
          channelId: 'C0BILLING',
          responseUrl: 'http://127.0.0.1:9/commands/nowhere',
        },
        { maxAttempts: 1 },
      ),
    );
    const alert = await eventually(() => {
      const [first] = alerts();
      if (first === undefined) throw new Error('no alert yet');
      return first;
    });
    expect(visibleText(alert.blocks)).toContain('failed after 1 attempt');
    expect(visibleText(alert.blocks)).toContain('Nothing is lost');

    await test.slack.clickButton({
      userId: 'U0APPROVER1',
      channelId: 'C0ALERTS',
      messageTs: alert.ts,
      actionId: RETRY_JOB,
    });
    await eventually(() => {
      expect(alerts()).toHaveLength(2);
    });
  });
});
