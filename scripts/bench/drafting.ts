import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { loadBillingConfig } from '../../src/billing-config/load-billing-config.ts';
import { parseBillingPeriod, type BillingPeriod } from '../../src/calendar/billing-period.ts';
import { startBillingRun } from '../../src/billing-runs/start-billing-run.ts';
import type { Db } from '../../src/db/database.ts';
import { openBenchDatabase } from './bench-database.ts';
import { seedCustomersWithUsage } from './bench-seed.ts';

const CUSTOMERS = 10_000;
const EVENTS_PER_CUSTOMER = 100;
const ROUNDS = 3;

/**
 * Drafting a run over 10,000 customers × 100 usage events against the floor: a plain SQL GROUP BY of
 * the same usage, in the same process and database. Target: run ÷ GROUP BY ≤ 3.
 */
export async function benchDrafting(): Promise<void> {
  const database = await openBenchDatabase();
  try {
    const billing = await loadBillingConfig('billing.example.yml');
    const period = parseBillingPeriod('2026-10') as BillingPeriod;
    const seeded = performance.now();
    const rows = await seedCustomersWithUsage(database.db, {
      customers: CUSTOMERS,
      eventsPerCustomer: EVENTS_PER_CUSTOMER,
      periods: [period],
      timezone: billing.timezone,
    });
    log(
      `drafting: seeded ${CUSTOMERS} customers, ${rows} usage rows in ${seconds(performance.now() - seeded)}`,
    );

    const groupBy: number[] = [];
    const runs: number[] = [];
    let drafted = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      groupBy.push(
        await timed(() =>
          sql`
            select customer_id, metric, sum(quantity), count(*) from usage_records
            where occurred_at >= (${period.start}::date::timestamp at time zone ${billing.timezone})
              and occurred_at < (${period.end}::date::timestamp at time zone ${billing.timezone})
            group by customer_id, metric`.execute(database.db),
        ),
      );
      await sql`truncate invoice_lines, invoices, billing_runs cascade`.execute(database.db);
      runs.push(
        await timed(async () => {
          const result = await startBillingRun(
            { db: database.db, billing, clock: { now: () => new Date('2026-11-01T09:00:00Z') } },
            { period, scope: { customers: 'all' }, trigger: 'command', startedBy: 'bench' },
          );
          if (!result.ok || result.outcome !== 'created') throw new Error('the bench run was not created');
          drafted = result.run.counts.drafted;
        }),
      );
    }
    const run = median(runs);
    const floor = median(groupBy);
    const writes = await timeBareWrites(database.db);
    log(
      `drafting: ${drafted} drafts; run ${seconds(run)} (median of ${ROUNDS}), plain GROUP BY ${seconds(floor)}`,
    );
    log(`drafting: ${Math.round(rows / (run / 1000)).toLocaleString('en')} usage rows/s`);
    log(`drafting: ratio run / GROUP BY = ${(run / floor).toFixed(2)} (target ≤ 3)`);
    log(
      `drafting: for scale, inserting the run's own invoices and lines and nothing else takes ${seconds(writes)} ` +
        `(${(writes / floor).toFixed(2)} × GROUP BY): no run that stores its drafts can be faster`,
    );
  } finally {
    await database.close();
  }
}

/**
 * The write floor: the last run's invoices and lines inserted again from a copy already in Postgres
 * (no pricing, no parsing, no network), with every index, key and check they have; rolled back.
 */
async function timeBareWrites(db: Db): Promise<number> {
  let elapsed = 0;
  const rollBack = new Error('roll back');
  await db
    .transaction()
    .execute(async (trx) => {
      await sql`create temp table bench_invoices on commit drop as select * from invoices`.execute(trx);
      await sql`create temp table bench_lines on commit drop as select * from invoice_lines`.execute(trx);
      await sql`truncate invoice_lines, invoices cascade`.execute(trx);
      elapsed = await timed(async () => {
        await sql`insert into invoices select * from bench_invoices`.execute(trx);
        await sql`insert into invoice_lines select * from bench_lines`.execute(trx);
      });
      throw rollBack;
    })
    .catch((error: unknown) => {
      if (error !== rollBack) throw error;
    });
  return elapsed;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}
