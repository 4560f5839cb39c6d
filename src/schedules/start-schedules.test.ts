import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { insertCustomer, insertSubscription } from '../../test/support/billing-factories.ts';
import { visibleText } from '../../test/support/block-kit-queries.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { fixedClock, testDeps } from '../../test/support/test-deps.ts';
import type { BillingSchedule } from '../billing-config/billing-config.ts';
import { parseBillingPeriod, type BillingPeriod } from '../calendar/billing-period.ts';
import { startBillingRun } from '../billing-runs/start-billing-run.ts';
import { openDatabase, type DatabaseHandle } from '../db/database.ts';
import type { Deps } from '../ports/deps.ts';
import { startJobRunner, type JobRunner } from '../jobs/job-runner.ts';
import { buildTaskList } from '../jobs/task-list.ts';
import { startLocalSlack, type LocalSlack } from '../local/slack-api/index.ts';
import { createSlackClient } from '../slack/create-slack-client.ts';
import { catchUpMissedFiring } from './catch-up-missed-firing.ts';
import { fireSchedule } from './fire-schedule.ts';
import { startSchedules } from './index.ts';

// Two billops instances on one database, each with its own pool, job runner and schedules, and one
// Slack workspace between them: what production looks like when it scales out.

const TOKEN = 'xoxb-schedules-test';
const logger = pino({ level: 'silent' });

const MONTHLY: BillingSchedule = {
  name: 'monthly',
  cron: '0 6 1 * *',
  timezone: 'Europe/London',
  period: 'previous_month',
  scope: { customers: 'all' },
  catchUp: true,
};
// 06:00 GMT on 1 November 2026: bills October.
const NOVEMBER_FIRING = new Date('2026-11-01T06:00:00Z');

interface Instance {
  deps: Deps;
  jobs: JobRunner;
  handle: DatabaseHandle;
}

let database: TestDatabase;
let slack: LocalSlack;
let instances: Instance[];
const clock = fixedClock('2026-11-03T09:00:00Z');

async function startInstance(schedules: readonly BillingSchedule[]): Promise<Instance> {
  const handle = openDatabase(database.url, { max: 5 });
  const base = await testDeps(database, { clock, slack: createSlackClient(TOKEN, slack.apiUrl) });
  const deps: Deps = { ...base, logger, db: handle.db, billing: { ...base.billing, schedules } };
  const jobs = await startJobRunner({
    pool: handle.pool,
    taskList: buildTaskList(deps),
    concurrency: 2,
    logger,
    shutdownTimeoutMs: 5000,
    pollIntervalMs: 100,
  });
  const instance = { deps, jobs, handle };
  instances.push(instance);
  return instance;
}

async function pendingJobs(): Promise<string[]> {
  const { rows } = await sql<{ task_identifier: string }>`
    select task_identifier from graphile_worker.jobs order by id`.execute(database.db);
  return rows.map((row) => row.task_identifier);
}

/** Every job done (successful jobs are deleted; a failing one stays and times this out). */
async function jobsSettled(): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(await pendingJobs()).toEqual([]);
    },
    { timeout: 20_000, interval: 100 },
  );
}

async function runs() {
  return database.db
    .selectFrom('billing_runs')
    .select(['trigger', 'started_by', 'period_start', 'period_end', 'slack_summary_ts'])
    .execute();
}

const billingMessages = () => slack.messages('C0BILLING').map((message) => visibleText(message.blocks));

beforeEach(async () => {
  instances = [];
  clock.set('2026-11-03T09:00:00Z');
  database = await createTestDatabase();
  slack = await startLocalSlack({ signingSecret: 'schedules-test-secret', botToken: TOKEN });
  const acme = await insertCustomer(database.db, { external_id: 'acme' });
  await insertSubscription(database.db, acme, { plan_code: 'starter', starts_on: '2026-01-01' });
});

afterEach(async () => {
  for (const instance of instances) {
    await instance.jobs.stop();
    await instance.handle.close();
  }
  await slack.stop();
  await database.close();
});

describe('startSchedules on two instances', () => {
  it('starts one run and posts one summary when both fire the same schedule', async () => {
    const [first, second] = [await startInstance([MONTHLY]), await startInstance([MONTHLY])];
    const schedules = await Promise.all([startSchedules(first.deps), startSchedules(second.deps)]);
    try {
      const fired = await Promise.all([
        fireSchedule(first.deps, MONTHLY, NOVEMBER_FIRING),
        fireSchedule(second.deps, MONTHLY, NOVEMBER_FIRING),
      ]);
      expect(fired.map((result) => result.code).sort()).toEqual(['already_fired', 'queued']);
      expect(fired.map((result) => result.period.label)).toEqual(['October 2026', 'October 2026']);

      await jobsSettled();
      await vi.waitFor(async () => {
        expect((await runs())[0]?.slack_summary_ts).toBeTruthy();
      });
      expect(await runs()).toEqual([
        {
          trigger: 'schedule',
          started_by: 'schedule:monthly',
          period_start: '2026-10-01',
          period_end: '2026-11-01',
          slack_summary_ts: expect.any(String) as string,
        },
      ]);
      const messages = billingMessages();
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain('October 2026');
      expect(messages[0]).toContain('schedule:monthly');
    } finally {
      await Promise.all(schedules.map((running) => running.stop()));
    }
  });

  it('fires once for a period, however often its cron matches within it (a repeated 01:30 at fall back)', async () => {
    const daily: BillingSchedule = { ...MONTHLY, name: 'daily', cron: '30 1 * * *', period: 'previous_day' };
    const { deps } = await startInstance([daily]);
    const bst = await fireSchedule(deps, daily, new Date('2026-10-25T00:30:00Z'));
    const gmt = await fireSchedule(deps, daily, new Date('2026-10-25T01:30:00Z'));
    expect([bst.code, gmt.code]).toEqual(['queued', 'already_fired']);
    expect(gmt.period).toEqual(bst.period);
    await jobsSettled();
    expect((await runs()).map((run) => [run.period_start, run.period_end])).toEqual([
      ['2026-10-24', '2026-10-25'],
    ]);
  });

  it('leaves a period someone already billed alone: no second run, no second summary', async () => {
    const { deps } = await startInstance([MONTHLY]);
    const october = parseBillingPeriod('2026-10') as BillingPeriod;
    const byHand = await startBillingRun(deps, {
      period: october,
      scope: { customers: 'all' },
      trigger: 'command',
      startedBy: 'slack:U0FINANCE',
    });
    expect(byHand.ok && byHand.outcome).toBe('created');
    expect(await catchUpMissedFiring(deps, MONTHLY)).toEqual({ code: 'new_schedule' });
    expect((await fireSchedule(deps, MONTHLY, NOVEMBER_FIRING)).code).toBe('queued');
    await jobsSettled();
    expect((await runs()).map((run) => run.started_by)).toEqual(['slack:U0FINANCE']);
    expect(billingMessages()).toHaveLength(1);
  });

  it('tells the alerts channel when a schedule names customers that do not exist', async () => {
    const ghosts: BillingSchedule = { ...MONTHLY, name: 'ghosts', scope: { customers: ['ghost'] } };
    const { deps } = await startInstance([ghosts]);
    expect((await fireSchedule(deps, ghosts, NOVEMBER_FIRING)).code).toBe('queued');
    await jobsSettled();
    expect(await runs()).toEqual([]);
    const alerts = slack.messages('C0ALERTS').map((message) => visibleText(message.blocks));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toContain('could not start billing for *October 2026*');
    expect(alerts[0]).toContain('"ghost"');
  });
});

describe('catching up at start', () => {
  it('runs a firing missed while billops was down once, says so, and not again at the next start', async () => {
    // Up in October: billops sees the schedule, and nothing was missed yet.
    clock.set('2026-10-20T10:00:00Z');
    const [first, second] = [await startInstance([MONTHLY]), await startInstance([MONTHLY])];
    await (await startSchedules(first.deps)).stop();
    expect(await pendingJobs()).toEqual([]);

    // Down over 1 November 06:00; both instances start again on the 3rd.
    clock.set('2026-11-03T09:00:00Z');
    const restarted = await Promise.all([startSchedules(first.deps), startSchedules(second.deps)]);
    await Promise.all(restarted.map((running) => running.stop()));
    expect(await pendingJobs()).toEqual(['start_scheduled_run']);
    await jobsSettled();
    await vi.waitFor(async () => {
      expect((await runs())[0]?.slack_summary_ts).toBeTruthy();
    });

    expect((await runs()).map((run) => [run.trigger, run.started_by, run.period_start])).toEqual([
      ['schedule', 'schedule:monthly', '2026-10-01'],
    ]);
    const [note, summary, ...rest] = billingMessages();
    expect(rest).toEqual([]);
    expect(note).toContain('October 2026');
    expect(note).toContain('1 Nov 2026, 06:00 (Europe/London)');
    expect(note).toContain('missed while billops was down');
    expect(summary).toContain('Billing run · October 2026');

    // Another restart the same week catches nothing up.
    clock.set('2026-11-04T09:00:00Z');
    await (await startSchedules(second.deps)).stop();
    expect(await pendingJobs()).toEqual([]);
    expect(await runs()).toHaveLength(1);
    expect(billingMessages()).toHaveLength(2);
  });

  it('does not catch up a period from before billops knew the schedule, nor with catch_up: false', async () => {
    const { deps } = await startInstance([MONTHLY, { ...MONTHLY, name: 'no-catch-up', catchUp: false }]);
    await (await startSchedules(deps)).stop();
    expect(await pendingJobs()).toEqual([]);
    expect(await catchUpMissedFiring(deps, MONTHLY)).toEqual({ code: 'new_schedule' });

    clock.set('2026-10-20T10:00:00Z');
    const off = { ...MONTHLY, name: 'off', catchUp: false };
    expect(await catchUpMissedFiring(deps, off)).toEqual({ code: 'off' });
    clock.set('2026-11-03T09:00:00Z');
    expect(await catchUpMissedFiring(deps, off)).toEqual({ code: 'off' });
    expect(await catchUpMissedFiring(deps, MONTHLY, { enabled: false })).toEqual({ code: 'off' });
    expect(await pendingJobs()).toEqual([]);
    expect(await runs()).toEqual([]);
  });
});
