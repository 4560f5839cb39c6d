import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RETRY_JOB } from '../blocks/ids.ts';
import { enqueueJob } from '../src/queue/enqueue-job.ts';
import type { StoredMessage } from '../src/local/slack-api/index.ts';
import type { OneOffOrder } from '../src/queue/one-off-order.ts';
import { insertCustomer } from './support/billing-factories.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// A webhook's order reaches the worker as a draft_one_off_invoice job. An order for a customer billops
// does not know is not lost: the alerts channel says what to fix, and Retry drafts it once fixed.

let test: TestApp;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 100 });
const textOf = (message: StoredMessage) => visibleText(message.blocks);

const order: OneOffOrder = {
  origin: 'shopify:order:450789469',
  label: 'Shopify order #1001',
  customer: { externalId: '7390123', email: 'billing@acme.example', name: 'Acme Ltd' },
  currency: 'GBP',
  orderedAt: '2026-10-15T10:00:00Z',
  pricesIncludeTax: false,
  lines: [{ description: 'Enamel mug', quantity: '3', unitPrice: '7.99' }],
  mapping: { glAccount: '4000' },
  startedBy: 'webhook:shopify',
};

beforeAll(async () => {
  test = await startTestApp();
});
afterAll(async () => {
  await test.stop();
});

describe('draft_one_off_invoice', () => {
  it('alerts on an unknown customer with Retry, and drafts the order once the customer exists', async () => {
    const { db } = test.app.deps;
    await db.transaction().execute((trx) => enqueueJob(trx, 'draft_one_off_invoice', order));

    const alert = await eventually(() => {
      const found = test.slack.messages('C0ALERTS').find((message) => textOf(message).includes('#1001'));
      if (found === undefined) throw new Error('no alert yet');
      return found;
    });
    expect(textOf(alert)).toContain('Shopify order #1001* was not invoiced');
    expect(textOf(alert)).toContain(
      'no customer has the id "7390123" or the invoice email billing@acme.example',
    );
    expect(textOf(alert)).toContain('shopify:order:450789469');
    expect(await db.selectFrom('invoices').select('id').execute()).toEqual([]);

    await insertCustomer(db, { external_id: 'acme', name: 'Acme Ltd', email_to: ['billing@acme.example'] });
    await test.slack.clickButton({
      userId: 'U0APPROVER1',
      channelId: 'C0ALERTS',
      messageTs: alert.ts,
      actionId: RETRY_JOB,
    });

    const invoice = await eventually(async () => {
      const row = await db
        .selectFrom('invoices')
        .select(['id', 'total', 'status'])
        .where('origin', '=', order.origin)
        .executeTakeFirst();
      if (row === undefined) throw new Error('not drafted yet');
      return row;
    });
    // 3 × 7.99 = 23.97 + VAT 4.79
    expect(invoice).toMatchObject({ total: '28.76', status: 'pending_approval' });
    await eventually(() => {
      const summary = test.slack
        .messages('C0BILLING')
        .find((message) => textOf(message).includes('Shopify order #1001 (acme)'));
      expect(summary).toBeDefined();
    });
    // Told once: neither the automatic retries nor the retried job alert again once it drafts.
    expect(
      test.slack.messages('C0ALERTS').filter((message) => textOf(message).includes('#1001')),
    ).toHaveLength(1);
  });
});
