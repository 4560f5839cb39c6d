import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { slackSignatureHeaders } from '../src/local/slack-api/index.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

const FINANCE = 'U0FINANCE';
const BILLING = 'C0BILLING';

function sectionTexts(blocks: unknown): string {
  return (blocks as { text?: { text?: string } }[]).map((block) => block.text?.text ?? '').join('\n');
}

describe('/invoice over signed HTTP', () => {
  let test: TestApp;
  let handled: number;
  beforeAll(async () => {
    test = await startTestApp();
    handled = 0;
    test.app.slack.use(async ({ next }) => {
      handled += 1;
      await next();
    });
  });
  afterAll(async () => {
    await test.stop();
  });

  it('answers /invoice help with usage, visible only to the person who asked', async () => {
    const reply = await test.slack.sendSlashCommand({
      userId: FINANCE,
      channelId: BILLING,
      command: '/invoice',
      text: 'help',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ response_type: 'ephemeral', text: 'billops: /invoice help' });
    const shown = test.slack.ephemerals(FINANCE).at(-1);
    expect(shown?.channel).toBe(BILLING);
    expect(sectionTexts(shown?.blocks)).toContain('`/invoice help`: Show this list.');
    expect(test.slack.messages(BILLING)).toEqual([]);
  });

  it('answers an unknown subcommand with usage that names what was typed', async () => {
    const reply = await test.slack.sendSlashCommand({
      userId: FINANCE,
      channelId: BILLING,
      command: '/invoice',
      text: 'refund everything',
    });
    expect(reply.status).toBe(200);
    expect(sectionTexts((reply.body as { blocks: unknown }).blocks)).toContain(
      "Sorry, I don't know `/invoice refund everything`",
    );
  });

  describe('/invoice run for a period that has not ended', () => {
    const runsFor = (start: string) =>
      test.app.deps.db.selectFrom('billing_runs').select('id').where('period_start', '=', start).execute();
    const requestedRuns = async () =>
      (
        await test.app.deps.db
          .selectFrom('processed_events')
          .select('event_id')
          .where('source', '=', 'slack_command')
          .execute()
      ).length;

    it('warns, drafts nothing, and says how to confirm; with --force it drafts', async () => {
      const requestedBefore = await requestedRuns();
      const refused = await test.slack.sendSlashCommand({
        userId: FINANCE,
        channelId: BILLING,
        command: '/invoice',
        text: 'run 2099-07',
      });
      expect(refused.status).toBe(200);
      expect(refused.body).toMatchObject({ response_type: 'ephemeral' });
      const warning = sectionTexts((refused.body as { blocks: unknown }).blocks);
      expect(warning).toContain(
        ':warning: July 2099 has not ended: it ends on 2099-07-31 (Europe/London), so usage recorded after now would not be billed.',
      );
      expect(warning).toContain(
        'Nothing was drafted. To draft it anyway, type `/invoice run 2099-07 --force`.',
      );

      const forced = await test.slack.sendSlashCommand({
        userId: FINANCE,
        channelId: BILLING,
        command: '/invoice',
        text: 'run 2099-07 --force',
      });
      expect(JSON.stringify(forced.body)).toContain('Starting the billing run for July 2099');
      await vi.waitFor(
        async () => {
          expect(await runsFor('2099-07-01')).toHaveLength(1);
        },
        {
          timeout: 15_000,
          interval: 100,
        },
      );
      // Only the forced command asked for a run; the warned one queued nothing.
      expect(await requestedRuns()).toBe(requestedBefore + 1);
      expect(test.slack.responses(new URL(refused.responseUrl).pathname.split('/').pop())).toEqual([]);
    });

    it('prices a dry run of it without asking, with a note that usage is still to come', async () => {
      const dry = await test.slack.sendSlashCommand({
        userId: FINANCE,
        channelId: BILLING,
        command: '/invoice',
        text: 'run 2099-08 --dry',
      });
      expect(JSON.stringify(dry.body)).toContain('Note: August 2099 has not ended: it ends on 2099-08-31');
      expect(await runsFor('2099-08-01')).toEqual([]);
    });

    it('runs last month (the default) without asking', async () => {
      const reply = await test.slack.sendSlashCommand({
        userId: FINANCE,
        channelId: BILLING,
        command: '/invoice',
        text: 'run --dry',
      });
      expect(JSON.stringify(reply.body)).toContain('Pricing a dry run for last month');
      expect(JSON.stringify(reply.body)).not.toContain('has not ended');
    });
  });

  describe('requests Slack did not sign', () => {
    const body = new URLSearchParams({
      command: '/invoice',
      text: 'help',
      user_id: FINANCE,
      channel_id: BILLING,
      team_id: 'T0LOCAL',
      response_url: 'http://127.0.0.1:9/unused',
      trigger_id: 't',
    }).toString();
    const now = () => Math.floor(Date.now() / 1000);

    async function post(headers: Record<string, string>, rawBody = body): Promise<Response> {
      return fetch(`${test.app.url}/slack/events`, {
        method: 'POST',
        body: rawBody,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      });
    }

    it.each([
      [
        'signed with another secret',
        () => slackSignatureHeaders('0123456789abcdef0123456789abcdef', body, now()),
      ],
      [
        'signed more than five minutes ago',
        () => slackSignatureHeaders(signingSecret(), body, now() - 6 * 60),
      ],
      ['without a signature', () => ({ 'x-slack-request-timestamp': String(now()) })],
      [
        'with a signature of the wrong length',
        () => ({ 'x-slack-request-timestamp': String(now()), 'x-slack-signature': 'v0=abc' }),
      ],
    ])('refuses a request %s with 401 before any listener runs', async (_case, headers) => {
      const before = handled;
      const response = await post(headers());
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
      expect(handled).toBe(before);
    });

    it('refuses a correctly signed request dated more than five minutes ahead', async () => {
      const before = handled;
      const response = await post(slackSignatureHeaders(signingSecret(), body, now() + 6 * 60));
      expect(response.status).toBe(401);
      expect(handled).toBe(before);
    });

    it('refuses a signed body that was altered on the way', async () => {
      const before = handled;
      const response = await post(
        slackSignatureHeaders(signingSecret(), body, now()),
        body.replace('help', 'run'),
      );
      expect(response.status).toBe(401);
      expect(handled).toBe(before);
    });

    it('accepts the same request when it is signed with the app secret', async () => {
      const before = handled;
      const response = await post(slackSignatureHeaders(signingSecret(), body, now()));
      expect(response.status).toBe(200);
      expect(handled).toBe(before + 1);
    });
  });

  function signingSecret(): string {
    return test.app.deps.config.slack.signingSecret;
  }
});
