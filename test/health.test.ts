import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/database.ts';
import { checkHealth } from '../src/http/health-route.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

describe('GET /healthz', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await startTestApp();
  });
  afterAll(async () => {
    await test.stop();
  });

  it('is 200 while the database answers and the job runner runs', async () => {
    const response = await fetch(`${test.app.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'up', jobs: 'running' });
  });

  it('is 503 and names the job runner once it has stopped', async () => {
    await test.app.jobs.stop();
    const response = await fetch(`${test.app.url}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'unavailable', database: 'up', jobs: 'stopped' });
  });
});

describe('checkHealth', () => {
  it('reports the database down when it cannot be reached', async () => {
    const unreachable = openDatabase('postgres://nobody:nothing@127.0.0.1:9/none', { max: 1 });
    try {
      expect(await checkHealth(unreachable.db, () => 'running')).toEqual({
        status: 'unavailable',
        database: 'down',
        jobs: 'running',
      });
    } finally {
      await unreachable.close();
    }
  });
});
