import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startLocalSlack, type LocalSlack } from '../src/local/slack-api/index.ts';
import { startApp } from '../src/start-app.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

// With SLACK_BOT_TOKEN set, the app starts no Slack of its own and talks to SLACK_API_URL,
// which here is a Slack API server outside the app, as a sandbox or GovSlack would be.

const TOKEN = 'xoxb-remote-test-token';
const SECRET = '4fd1f3c0a9b84e2cb7d6e5f4a3b2c1d0';

describe('Slack remote mode', () => {
  let database: TestDatabase;
  let workspace: LocalSlack;
  beforeAll(async () => {
    database = await createTestDatabase();
    workspace = await startLocalSlack({ signingSecret: SECRET, botToken: TOKEN });
  });
  afterAll(async () => {
    await workspace.stop();
    await database.close();
  });

  const configWith = (env: NodeJS.ProcessEnv) =>
    loadConfig({ DATABASE_URL: database.url, PORT: '0', SLACK_SIGNING_SECRET: SECRET, ...env });

  it('uses SLACK_API_URL and answers commands signed with SLACK_SIGNING_SECRET', async () => {
    const app = await startApp(
      configWith({ SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: workspace.apiUrl }),
      pino({ level: 'silent' }),
    );
    try {
      expect(app.localSlack).toBeUndefined();
      expect(workspace.calls('auth.test')).toHaveLength(1);
      workspace.setEventsUrl(`${app.url}/slack/events`);
      const reply = await workspace.sendSlashCommand({
        userId: 'U0FINANCE',
        channelId: 'C0BILLING',
        command: '/invoice',
        text: 'help',
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ response_type: 'ephemeral' });
    } finally {
      await app.stop();
    }
  });

  it('serves no local workspace page, which exists only in local Slack mode', async () => {
    const app = await startApp(
      configWith({ SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: workspace.apiUrl }),
      pino({ level: 'silent' }),
    );
    try {
      for (const path of ['/', '/assets/app.js', '/local/state?user=U0FINANCE', '/local/events']) {
        expect((await fetch(`${app.url}${path}`)).status, path).toBe(404);
      }
      const demo = await fetch(`${app.url}/local/demo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(demo.status).toBe(404);
    } finally {
      await app.stop();
    }
  });

  it('stops at start with a clear message when Slack refuses the token', async () => {
    await expect(
      startApp(
        configWith({ SLACK_BOT_TOKEN: 'xoxb-revoked-token', SLACK_API_URL: workspace.apiUrl }),
        pino({ level: 'silent' }),
      ),
    ).rejects.toThrow(
      "Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token from the app's OAuth & Permissions page",
    );
  });

  it('stops at start naming SLACK_API_URL when Slack cannot be reached', async () => {
    await expect(
      startApp(
        configWith({ SLACK_BOT_TOKEN: TOKEN, SLACK_API_URL: 'http://127.0.0.1:9/api/' }),
        pino({ level: 'silent' }),
      ),
    ).rejects.toThrow(
      /^Could not reach the Slack API at http:\/\/127\.0\.0\.1:9\/api\/ .*check SLACK_API_URL/,
    );
  });
});
