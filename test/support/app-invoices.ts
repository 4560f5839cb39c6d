import { vi } from 'vitest';
import { finalizeInvoice } from '../../src/invoices/finalize-invoice.ts';
import { insertApprovedInvoice, insertCustomer } from './billing-factories.ts';
import type { TestApp } from './start-test-app.ts';

// Invoices inside a running test app, as the approval flow would leave them, without clicking through it.

export interface AppInvoice {
  id: string;
  number: string;
  /** Its thread in the billing channel (a stand-in approval card). */
  threadTs: string;
}

const BILLING = 'C0BILLING';

/** A finalized £120.00 invoice (100.00 + 20.00 VAT) with a thread in the billing channel. */
export async function finalizedAppInvoice(
  test: TestApp,
  customer: { email_to?: string[] } = {},
): Promise<AppInvoice> {
  const db = test.app.deps.db;
  const customerId = await insertCustomer(db, customer);
  const id = await insertApprovedInvoice(db, {
    customerId,
    taxRate: 20,
    taxCode: 'OUTPUT2',
    itemCode: null,
    accountCode: '200',
  });
  const card = await test.app.deps.slack.post({ channel: BILLING, text: 'Approval card' });
  await db
    .updateTable('invoices')
    .set({ slack_channel_id: BILLING, slack_thread_ts: card.ts })
    .where('id', '=', id)
    .execute();
  const finalized = await finalizeInvoice(test.app.deps, id);
  if (finalized.code !== 'finalized') throw new Error(`not finalized: ${finalized.code}`);
  return { id, number: finalized.number, threadTs: card.ts };
}

/** Finalized and posted to the local Xero by the app's own sync job; with its Xero id. */
export async function syncedAppInvoice(
  test: TestApp,
  customer: { email_to?: string[] } = {},
): Promise<AppInvoice & { xeroId: string }> {
  const invoice = await finalizedAppInvoice(test, customer);
  const xeroId = await vi.waitFor(
    async () => {
      const sync = await test.app.deps.db
        .selectFrom('erp_syncs')
        .select(['state', 'external_id'])
        .where('invoice_id', '=', invoice.id)
        .executeTakeFirstOrThrow();
      if (sync.state !== 'synced' || sync.external_id === null) throw new Error(`sync is ${sync.state}`);
      return sync.external_id;
    },
    { timeout: 20_000, interval: 100 },
  );
  return { ...invoice, xeroId };
}
