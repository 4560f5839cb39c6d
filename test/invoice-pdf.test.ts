import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BillingConfig } from '../src/billing-config/billing-config.ts';
import { startBillingRun } from '../src/billing-runs/start-billing-run.ts';
import { parseBillingPeriod, type BillingPeriod } from '../src/calendar/billing-period.ts';
import { loadInvoiceDocument } from '../src/documents/load-invoice-document.ts';
import { renderInvoicePdf } from '../src/documents/render-invoice-pdf.ts';
import { finalizeInvoice } from '../src/invoices/finalize-invoice.ts';
import type { Deps } from '../src/ports/deps.ts';
import { insertCustomer, insertSubscription, insertUsage } from './support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { testDeps } from './support/test-deps.ts';

// Invoices drafted from usage by a run, finalized, loaded and rendered as the customer receives them.

const OCTOBER = parseBillingPeriod('2026-10') as BillingPeriod;

let database: TestDatabase;
let deps: Deps;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database);
});
afterAll(async () => {
  await database.close();
});

/** The finalized customer's invoice as PDF text, every run of white space one space. */
async function renderedInvoice(
  customerId: string,
  billing: BillingConfig = deps.billing,
): Promise<{ number: string; text: string }> {
  const invoice = await database.db
    .selectFrom('invoices')
    .select('id')
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  await database.db
    .updateTable('invoices')
    .set({ status: 'approved' })
    .where('id', '=', invoice.id)
    .execute();
  const finalized = await finalizeInvoice(deps, invoice.id);
  if (finalized.code !== 'finalized') throw new Error(finalized.code);
  const document = await loadInvoiceDocument(database.db, billing, invoice.id);
  if (document === undefined) throw new Error('no invoice document');
  const pdf = await getDocument({ data: new Uint8Array(await renderInvoicePdf(document)), verbosity: 0 })
    .promise;
  try {
    let text = '';
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const content = await (await pdf.getPage(number)).getTextContent();
      for (const item of content.items) if ('str' in item) text += `${item.str}${item.hasEOL ? '\n' : ''}`;
    }
    return { number: finalized.number, text: text.replace(/\s+/g, ' ') };
  } finally {
    await pdf.destroy();
  }
}

describe('an invoice PDF', () => {
  let umbrella = '';
  let initech = '';
  beforeAll(async () => {
    umbrella = await insertCustomer(database.db, {
      external_id: 'umbrella',
      name: 'Umbrella BV',
      currency: 'EUR',
      tax_profile: 'eu_reverse_charge',
    });
    await database.db
      .updateTable('customers')
      .set({
        tax_id: 'NL123456789B01',
        billing_address: { line1: '1 Demo Street', city: 'Amsterdam', postal_code: '1011 AB', country: 'NL' },
      })
      .where('id', '=', umbrella)
      .execute();
    await insertSubscription(database.db, umbrella, { plan_code: 'marketplace_eu' });
    await insertUsage(database.db, umbrella, 'payment_volume', '73522.50', '2026-10-03T10:00:00Z');

    initech = await insertCustomer(database.db, { external_id: 'initech', name: 'Initech Ltd' });
    await insertSubscription(database.db, initech, { plan_code: 'growth' });
    await insertUsage(database.db, initech, 'storage_gb', '1286.5', '2026-10-03T10:00:00Z');
    await insertUsage(database.db, initech, 'messages', '21900', '2026-10-03T10:00:00Z');

    const result = await startBillingRun(deps, {
      period: OCTOBER,
      scope: { customers: 'all' },
      trigger: 'command',
      startedBy: 'cli:finance',
    });
    if (!result.ok) throw new Error(result.message);
  });

  it('shows a percentage fee as the percent of the amount it is charged on', async () => {
    const { text } = await renderedInvoice(umbrella);
    expect(text).toContain('Payment processing (1.4%) 1.4% of €73,522.50 0% €1,029.32');
    expect(text).not.toContain('€0.014');
  });

  it('shows packages and volume tiers in words, and a unit price only where quantity × price is the amount', async () => {
    const { text } = await renderedInvoice(initech);
    expect(text).toContain('Messages (per 1,000) 21,900 in packages of 1,000: 22 packages × £1.50 22 £1.50');
    expect(text).toContain(
      'Storage (GB-months) Volume tier over 1,000 up to 10,000: every unit at £0.08 1,286.5 £0.08 20% £102.92',
    );
    expect(text).toContain('Growth platform fee 1 £299.00 20% £299.00');
    expect(text).not.toContain('£0.0015068493');
  });
});
