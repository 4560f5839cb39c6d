import type { SlackNotifier } from '../ports/slack-notifier.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { testDeps } from '../../test/support/test-deps.ts';
import type { Deps } from '../ports/deps.ts';
import { signatureFailureAlerts } from './signature-failure-alerts.ts';

let database: TestDatabase;
let deps: Deps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database);
});
afterAll(async () => {
  await database.close();
});

/** One billops instance's alerts, posting into `posted` instead of Slack (failing while `down`). */
function instance(posted: string[], slackIs: { down: boolean } = { down: false }) {
  const slack = {
    alert: ({ text }: { text: string }) => {
      if (slackIs.down) return Promise.reject(new Error('slack is down'));
      posted.push(text);
      return Promise.resolve({ channel: 'C0ALERTS', ts: '1.000001' });
    },
  } as unknown as SlackNotifier;
  return signatureFailureAlerts({ ...deps, slack }, { usage: 'USAGE_WEBHOOK_SECRET' });
}

async function refuse(alerts: ReturnType<typeof instance>, times: number, at: Date) {
  for (let count = 0; count < times; count += 1) await alerts.record('usage', 'bad_signature', at);
}

describe('signatureFailureAlerts', () => {
  it('stays quiet below five refusals in ten minutes, then alerts once for the hour', async () => {
    const posted: string[] = [];
    const alerts = instance(posted);
    await refuse(alerts, 4, new Date('2026-11-21T10:00:00Z'));
    expect(posted).toEqual([]);

    await refuse(alerts, 8, new Date('2026-11-21T10:01:00Z'));
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain('5 requests to /webhooks/usage in the last 10 minutes were refused');
    expect(posted[0]).toContain('update USAGE_WEBHOOK_SECRET');
  });

  it('sends one alert for several billops instances refusing the same webhook', async () => {
    const posted: string[] = [];
    const [first, second, third] = [instance(posted), instance(posted), instance(posted)];
    const at = new Date('2026-11-21T12:05:00Z');
    await Promise.all([refuse(first, 6, at), refuse(second, 6, at), refuse(third, 6, at)]);
    expect(posted).toHaveLength(1);

    // The next hour, refusals that keep coming are worth saying again, once.
    const later = new Date('2026-11-21T13:10:00Z');
    await Promise.all([refuse(first, 6, later), refuse(second, 6, later)]);
    expect(posted).toHaveLength(2);
  });

  it('tries again on the next refusal when the alert could not be posted', async () => {
    const posted: string[] = [];
    const slackIs = { down: true };
    const alerts = instance(posted, slackIs);
    await refuse(alerts, 5, new Date('2026-11-21T15:00:00Z'));
    expect(posted).toEqual([]);

    slackIs.down = false;
    await refuse(alerts, 1, new Date('2026-11-21T15:02:00Z'));
    expect(posted).toHaveLength(1);
  });
});
