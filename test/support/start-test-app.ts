import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import type { LocalSlack } from '../../src/local/slack-api/index.ts';
import { startApp, type RunningApp } from '../../src/start-app.ts';
import { createTestDatabase } from './test-database.ts';

export interface TestApp {
  app: RunningApp;
  slack: LocalSlack;
  /** Its database, for the shell commands (npm run import, billing) a test runs beside it. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/** The whole app as `npm start` builds it, in local Slack mode, on a fresh database and a free port. */
export async function startTestApp(env: NodeJS.ProcessEnv = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  // Local state (the mail outbox's .eml files) goes to a temp directory, not the checkout's .data.
  const dataDir = await mkdtemp(path.join(tmpdir(), 'billops-app-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    PORT: '0',
    BILLING_CONFIG: 'billing.example.yml',
    // NOTE: the local Slack keeps Slack's pace per channel (one post a second after a burst of 20);
    // tests post far more than a team does in a minute, so they run it faster unless they test the pace.
    LOCAL_SLACK_POSTS_PER_SECOND: '100',
    ...env,
  });
  const app = await startApp(config, pino({ level: 'silent' })).catch(async (error: unknown) => {
    await database.close();
    throw error;
  });
  const slack = app.localSlack;
  if (slack === undefined) throw new Error('expected local Slack mode in tests');
  return {
    app,
    slack,
    databaseUrl: database.url,
    stop: async () => {
      await app.stop();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
