import { previousMonth } from '../calendar/billing-period.ts';
import { intakeCatalogFor } from '../intake/intake-catalog-for.ts';
import { addDays, todayIn } from '../calendar/calendar-date.ts';
import type { Db } from '../db/database.ts';
import type { Deps } from '../ports/deps.ts';
import { importCustomers } from '../intake/import-customers.ts';
import { importSubscriptions } from '../intake/import-subscriptions.ts';
import type { IntakeOutcome } from '../intake/intake-outcome.ts';
import { recordUsage } from '../intake/record-usage.ts';
import { seedPaidInvoice } from './seed-paid-invoice.ts';

// Demo data for a first look: six customers in GBP and EUR on the example plans (a flat fee, graduated,
// volume, package and percentage prices; VAT, inclusive EUR prices and a reverse charge), with last
// month's usage, so `/invoice run` drafts invoices that wait for an approver at once; one has a paid
// invoice for the month before, so its card compares the two. Everything goes through the same intake
// and use cases as real data, so it is validated the same way.

export interface DemoSummary {
  /** False when the demo customers were there already: nothing was changed. */
  created: boolean;
  customers: number;
  usageEvents: number;
  /** The month the usage falls in, which `/invoice run` bills by default: "October 2026". */
  periodLabel: string;
}

const CUSTOMERS = [
  {
    external_id: 'demo-acme',
    name: 'Acme Ltd',
    currency: 'GBP',
    tax_profile: 'gb_vat',
    country: 'GB',
    plan: 'starter',
  },
  {
    external_id: 'demo-initech',
    name: 'Initech Ltd',
    currency: 'GBP',
    tax_profile: 'gb_vat',
    country: 'GB',
    plan: 'growth',
  },
  {
    external_id: 'demo-hooli',
    name: 'Hooli UK Ltd',
    currency: 'GBP',
    tax_profile: 'gb_vat',
    country: 'GB',
    plan: 'starter',
  },
  {
    external_id: 'demo-globex',
    name: 'Globex GmbH',
    currency: 'EUR',
    tax_profile: 'de_vat',
    country: 'DE',
    plan: 'marketplace_eu',
  },
  {
    external_id: 'demo-umbrella',
    name: 'Umbrella BV',
    currency: 'EUR',
    tax_profile: 'eu_reverse_charge',
    // A reverse-charge invoice must show the customer's VAT number; without one the draft is blocked.
    tax_id: 'NL123456789B01',
    country: 'NL',
    plan: 'marketplace_eu',
  },
  {
    external_id: 'demo-wonka',
    name: 'Wonka Industries Ltd',
    currency: 'GBP',
    tax_profile: 'gb_vat',
    country: 'GB',
    plan: 'starter',
  },
] as const;

/** Usage per customer over the month: metric → quantity per day (as exact strings). */
const DAILY_USAGE: Record<string, Record<string, string>> = {
  'demo-acme': { api_calls: '1850' },
  'demo-initech': { storage_gb: '41.5', messages: '730' },
  'demo-hooli': { api_calls: '120' },
  'demo-globex': { payment_volume: '2450.75' },
  'demo-umbrella': { payment_volume: '980.20' },
  'demo-wonka': { api_calls: '2400' },
};

/**
 * The customer with history: its invoice for the month before was paid; this month its calls more than
 * double, so the total moves past the approval policy's change tolerance and its card shows by how much.
 */
const RETURNING_CUSTOMER = 'demo-wonka';
const EARLIER_DAILY_USAGE: Record<string, Record<string, string>> = {
  [RETURNING_CUSTOMER]: { api_calls: '1000' },
};

/** Whether any customer exists: the workspace page offers the demo only on an empty database. */
export async function hasCustomers(db: Db): Promise<boolean> {
  return (await db.selectFrom('customers').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Seeds the demo once; a second call changes nothing and says so. */
export async function seedDemoData(deps: Pick<Deps, 'db' | 'billing' | 'clock'>): Promise<DemoSummary> {
  const period = previousMonth(todayIn(deps.billing.timezone, deps.clock.now()));
  const existing = await deps.db
    .selectFrom('customers')
    .select('id')
    .where('external_id', 'like', 'demo-%')
    .execute();
  if (existing.length > 0) {
    return { created: false, customers: existing.length, usageEvents: 0, periodLabel: period.label };
  }
  const options = { catalog: intakeCatalogFor(deps.billing) };
  const missing = CUSTOMERS.filter((customer) => !deps.billing.plans.has(customer.plan));
  if (missing.length > 0) {
    throw new Error(
      `The demo needs the example plans (${missing.map((customer) => customer.plan).join(', ')}); run it with billing.example.yml`,
    );
  }
  expectImported(
    'customers',
    await importCustomers(
      deps.db,
      CUSTOMERS.map(({ plan: _plan, ...customer }, index) => ({
        row: index + 1,
        data: {
          ...customer,
          email_to: `accounts@${customer.external_id.slice(5)}.example`,
          address_line1: `${String(index + 1)} Demo Street`,
          city: customer.country === 'GB' ? 'London' : customer.country === 'DE' ? 'Berlin' : 'Amsterdam',
        },
      })),
      options,
    ),
  );
  expectImported(
    'subscriptions',
    await importSubscriptions(
      deps.db,
      CUSTOMERS.map((customer, index) => ({
        row: index + 1,
        data: {
          external_id: `${customer.external_id}-sub`,
          customer: customer.external_id,
          plan: customer.plan,
          // NOTE: started well before the month, so nothing is prorated in the demo's first run.
          starts_on: addDays(period.start, -90),
        },
      })),
      options,
    ),
  );
  const events = usageEvents(period.start, period.end, DAILY_USAGE);
  expectImported('usage', await recordUsage(deps.db, events, { source: 'demo' }));
  const earlier = previousMonth(period.start);
  const earlierEvents = usageEvents(earlier.start, earlier.end, EARLIER_DAILY_USAGE);
  expectImported('usage', await recordUsage(deps.db, earlierEvents, { source: 'demo' }));
  await seedPaidInvoice(deps, { customer: RETURNING_CUSTOMER, period: earlier });
  return {
    created: true,
    customers: CUSTOMERS.length,
    usageEvents: events.length,
    periodLabel: period.label,
  };
}

function usageEvents(start: string, end: string, usage: Record<string, Record<string, string>>) {
  const events: { row: number; data: Record<string, string> }[] = [];
  for (let day = start; day < end; day = addDays(day, 1)) {
    for (const [customer, metrics] of Object.entries(usage)) {
      for (const [metric, quantity] of Object.entries(metrics)) {
        events.push({
          row: events.length + 1,
          data: {
            event_id: `${customer}-${metric}-${day}`,
            customer,
            metric,
            quantity,
            occurred_at: `${day}T12:00:00Z`,
          },
        });
      }
    }
  }
  return events;
}

function expectImported(what: string, outcome: IntakeOutcome<object>): void {
  if (outcome.code === 'invalid_rows') {
    const problems = outcome.problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
    throw new Error(`The demo ${what} did not import: ${problems}`);
  }
}
