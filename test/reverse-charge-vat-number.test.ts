import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInvoice } from '../src/approval/approve-invoice.ts';
import { requestReview } from '../src/billing-runs/request-review.ts';
import { startBillingRun } from '../src/billing-runs/start-billing-run.ts';
import { parseBillingPeriod, type BillingPeriod } from '../src/calendar/billing-period.ts';
import type { Deps } from '../src/ports/deps.ts';
import { insertCustomer, insertSubscription, insertUsage } from './support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { testDeps } from './support/test-deps.ts';

const OCTOBER = parseBillingPeriod('2026-10') as BillingPeriod;
const APPROVER = 'U0APPROVER1';

let database: TestDatabase;
let deps: Deps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database);
});
afterAll(async () => {
  await database.close();
});

async function invoiceOf(customerId: string) {
  return database.db
    .selectFrom('invoices')
    .select(['id', 'status', 'version', 'exceptions'])
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
}

describe('a reverse-charge customer without a VAT number', () => {
  it('is drafted with a blocking exception saying what to add and how to re-draft, and cannot be approved until the VAT number is added', async () => {
    const umbrella = await insertCustomer(database.db, {
      external_id: 'umbrella',
      name: 'Umbrella BV',
      currency: 'EUR',
      tax_profile: 'eu_reverse_charge',
    });
    await insertSubscription(database.db, umbrella, { plan_code: 'marketplace_eu' });
    await insertUsage(database.db, umbrella, 'payment_volume', '980.20', '2026-10-03T10:00:00Z');
    const result = await startBillingRun(deps, {
      period: OCTOBER,
      scope: { customers: 'all' },
      trigger: 'command',
      startedBy: 'cli:finance',
    });
    if (!result.ok) throw new Error(result.message);

    const drafted = await invoiceOf(umbrella);
    expect(drafted.status).toBe('draft');
    expect(drafted.exceptions).toEqual([
      {
        code: 'reverse_charge_without_vat_number',
        message:
          'Umbrella BV is billed under reverse charge (tax profile "eu_reverse_charge") but has no VAT number, ' +
          "which a reverse-charge invoice must show; add the customer's VAT number (tax_id), then " +
          '/invoice review umbrella to re-draft this invoice',
      },
    ]);
    const refused = await approveInvoice(deps, {
      invoiceId: drafted.id,
      version: drafted.version,
      userId: APPROVER,
    });
    expect(refused).toEqual({ code: 'blocked', exceptions: [expect.stringContaining('no VAT number')] });
    expect((await invoiceOf(umbrella)).status).toBe('draft');

    await database.db
      .updateTable('customers')
      .set({ tax_id: 'NL123456789B01' })
      .where('id', '=', umbrella)
      .execute();
    const review = await requestReview(deps, { customerExternalId: 'umbrella', userId: 'U0FINANCE' });
    expect(review.code).toBe('resubmitted');
    const redrafted = await invoiceOf(umbrella);
    expect(redrafted.exceptions).toEqual([]);
    expect(redrafted.status).toBe('pending_approval');
  });

  it('is not flagged with a VAT number, nor under a standard tax profile without one', async () => {
    const globex = await insertCustomer(database.db, {
      external_id: 'globex',
      currency: 'EUR',
      tax_profile: 'de_vat',
    });
    const initech = await insertCustomer(database.db, {
      external_id: 'initech',
      currency: 'EUR',
      tax_profile: 'eu_reverse_charge',
    });
    await database.db
      .updateTable('customers')
      .set({ tax_id: 'FR40303265045' })
      .where('id', '=', initech)
      .execute();
    for (const customer of [globex, initech]) {
      await insertSubscription(database.db, customer, { plan_code: 'marketplace_eu' });
    }
    const result = await startBillingRun(deps, {
      period: OCTOBER,
      scope: { customers: ['globex', 'initech'] },
      trigger: 'command',
      startedBy: 'cli:finance',
    });
    if (!result.ok) throw new Error(result.message);
    for (const customer of [globex, initech]) expect((await invoiceOf(customer)).exceptions).toEqual([]);
  });
});
