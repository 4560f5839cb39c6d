import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
