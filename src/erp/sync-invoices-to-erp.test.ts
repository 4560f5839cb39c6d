import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import {
  insertApprovedInvoice,
  insertCustomer,
  insertSubscription,
} from '../../test/support/billing-factories.ts';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import { parseBillingConfig } from '../billing-config/load-billing-config.ts';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { fixedClock, testDeps } from '../../test/support/test-deps.ts';
import type { Deps } from '../ports/deps.ts';
import { renderInvoicePdf } from '../documents/render-invoice-pdf.ts';
import { finalizeInvoice } from '../invoices/finalize-invoice.ts';
import { issueCreditNote } from '../invoices/issue-credit-note.ts';
import { voidInvoice } from '../invoices/void-invoice.ts';
import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';
import { startLocalQuickBooks, type LocalQuickBooks } from '../../test/fakes/quickbooks/index.ts';
import { startLocalXero, type LocalXero } from '../local/xero/index.ts';
import type { ErpClient } from '../ports/erp-client.ts';
import type { ErpGateway } from '../ports/erp-gateway.ts';
import { createQuickBooksClient } from './quickbooks/index.ts';
import { budgetedErpClient } from './budget/budgeted-erp-client.ts';
import { CallBudget, scaledBudgetClock, XERO_BUDGET } from './budget/call-budget.ts';
import { syncInvoicesToErp, syncInvoiceToErp, type ErpSyncDeps } from './sync-invoices-to-erp.ts';
import { createXeroClient } from './xero/index.ts';

// The sync ledger against the local Xero and QuickBooks servers, through the real SDKs.

let database: TestDatabase;
let deps: Deps;
let xero: LocalXero;
let quickbooks: LocalQuickBooks;
let customerId: string;
/** A customer without a tax profile, so the line's own QuickBooks code is used. */
let qboCustomerId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  deps = await testDeps(database, { clock: fixedClock('2026-11-21T10:00:00Z') });
  xero = await startLocalXero();
  quickbooks = await startLocalQuickBooks();
  customerId = await insertCustomer(database.db, { external_id: 'acme', name: 'Acme Ltd' });
  qboCustomerId = await insertCustomer(database.db, {
    external_id: 'globex',
    name: 'Globex',
    tax_profile: null,
  });
});
afterAll(async () => {
  await xero.stop();
  await quickbooks.stop();
  await database.close();
});

function syncDeps(erp: ErpClient): ErpSyncDeps {
  return {
    db: database.db,
    billing: deps.billing,
    erp,
    clock: deps.clock,
    renderPdf: async (invoiceId) => {
      const document = await loadInvoiceDocument(database.db, deps.billing, invoiceId);
      if (document === undefined) throw new Error('not finalized');
      return renderInvoicePdf(document);
    },
  };
}

const xeroClient = () =>
  createXeroClient({
    session: { tenantId: xero.tenantId, accessToken: () => Promise.resolve(xero.accessToken) },
    apiUrl: xero.apiUrl,
    timeoutMs: 1_000,
  });

/** A finalized invoice (two lines, £100.00 plus tax) and its pending ledger row for `provider`. */
async function finalizedInvoice(
  provider: 'xero' | 'quickbooks',
  accountCode = '200',
  source?: { subscriptionId: string; componentCode: string },
  customer = provider === 'xero' ? customerId : qboCustomerId,
): Promise<{ invoiceId: string; syncId: string }> {
  // Each local ERP's own standard rate: Xero OUTPUT2 is 20%, the local QuickBooks TAX code 10%.
  const invoiceId = await insertApprovedInvoice(database.db, {
    customerId: customer,
    taxRate: provider === 'xero' ? 20 : 10,
    taxCode: provider === 'xero' ? 'OUTPUT2' : 'TAX',
    itemCode: provider === 'quickbooks' ? '1' : null,
    accountCode,
    source,
  });
  const invoice = { id: invoiceId };
  await finalizeInvoice(deps, invoice.id);
  const sync = await database.db
    .insertInto('erp_syncs')
    .values({ invoice_id: invoice.id, provider, idempotency_key: randomUUID() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { invoiceId: invoice.id, syncId: sync.id };
}

describe('syncInvoiceToErp with Xero', () => {
  it('posts the invoice once, with our number and total, reuses the contact, and attaches the PDF once', async () => {
    const first = await finalizedInvoice('xero');
    const second = await finalizedInvoice('xero');
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), first.syncId)).toMatchObject({
      code: 'synced',
      figures: { matches: true },
    });
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), second.syncId)).toMatchObject({ code: 'synced' });
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), first.syncId)).toEqual({ code: 'already_synced' });

    expect(xero.invoices()).toHaveLength(2);
    expect(xero.contacts()).toHaveLength(1);
    expect(xero.attachments()).toHaveLength(2);
    const row = await database.db
      .selectFrom('erp_syncs')
      .selectAll()
      .where('id', '=', first.syncId)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('synced');
    expect(row.external_number).toMatch(/^INV-2026-\d{5}$/);
    const customer = await database.db
      .selectFrom('customers')
      .select('xero_contact_id')
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();
    expect(customer.xero_contact_id).not.toBeNull();
  });

  it('after a timeout that committed in Xero, finds the invoice on retry instead of making a second', async () => {
    const { syncId } = await finalizedInvoice('xero');
    const before = xero.invoices().length;
    xero.failNext({ kind: 'timeout_after_commit', hangMs: 2_000 }, { method: 'PUT', resource: 'Invoices' });
    const uncertain = await syncInvoiceToErp(syncDeps(xeroClient()), syncId);
    expect(uncertain).toMatchObject({ code: 'retry_later', error: { uncertain: true } });
    expect(
      (
        await database.db
          .selectFrom('erp_syncs')
          .select('state')
          .where('id', '=', syncId)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('uncertain');
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), syncId)).toMatchObject({ code: 'synced' });
    expect(xero.invoices()).toHaveLength(before + 1);
  });

  it('fails a validation error for a person, and a later retry that cannot reach Xero creates nothing', async () => {
    const { syncId } = await finalizedInvoice('xero', '999');
    const before = xero.invoices().length;
    const failed = await syncInvoiceToErp(syncDeps(xeroClient()), syncId);
    expect(failed).toMatchObject({ code: 'failed', error: { retryable: false } });
    expect(failed.code === 'failed' && failed.error.message).toContain('999');
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), syncId)).toMatchObject({
      code: 'not_claimed',
      state: 'failed',
    });

    // A person's Retry puts it back to pending; the attempt looks up first (it tried before) and
    // Xero being unavailable leaves it retryable, with nothing created.
    xero.failNext({ kind: 'status', status: 503 }, { method: 'GET', resource: 'Invoices' });
    await database.db.updateTable('erp_syncs').set({ state: 'pending' }).where('id', '=', syncId).execute();
    expect(await syncInvoiceToErp(syncDeps(xeroClient()), syncId)).toMatchObject({ code: 'retry_later' });
    expect(xero.invoices()).toHaveLength(before);
  });
});

describe('a mapping fixed in billing.yml', () => {
  it('is used on Retry: refused with the wrong account, posted once after the fix', async () => {
    const subscription = await insertSubscription(database.db, customerId, { plan_code: 'starter' });
    // Its lines came from the starter plan's platform fee: their account is looked up in the config now.
    const { syncId } = await finalizedInvoice('xero', '200', {
      subscriptionId: subscription,
      componentCode: 'platform',
    });
    const wrong = await withPlatformAccount('999');
    const before = xero.invoices().length;
    const refused = await syncInvoiceToErp({ ...syncDeps(xeroClient()), billing: wrong }, syncId);
    expect(refused).toMatchObject({ code: 'failed', error: { code: 'validation' } });
    expect(refused.code === 'failed' && refused.error.message).toContain('999');

    // billing.yml fixed (the committed example maps the fee to 200); a person retries.
    await database.db.updateTable('erp_syncs').set({ state: 'pending' }).where('id', '=', syncId).execute();
    const fixed = await syncInvoiceToErp(syncDeps(xeroClient()), syncId);
    expect(fixed.code === 'failed' ? fixed.error.message : fixed.code).toBe('synced');
    expect(xero.invoices()).toHaveLength(before + 1);
  });
});

async function withPlatformAccount(account: string): Promise<BillingConfig> {
  const text = await readFile('billing.example.yml', 'utf8');
  return parseBillingConfig(
    text.replace("amount: 49\n        gl_account: '200'", `amount: 49\n        gl_account: '${account}'`),
    'billing.yml',
  );
}

describe('syncInvoiceToErp with QuickBooks Online', () => {
  it('posts once with the requestid, and a retry after a reset finds it by number', async () => {
    const client = () =>
      createQuickBooksClient({
        session: { tenantId: quickbooks.realmId, accessToken: () => Promise.resolve(quickbooks.accessToken) },
        apiUrl: quickbooks.url,
        timeoutMs: 1_000,
      });
    const { syncId } = await finalizedInvoice('quickbooks');
    quickbooks.failNext({ kind: 'reset_after_commit' }, { resource: 'invoice' });
    expect(await syncInvoiceToErp(syncDeps(client()), syncId)).toMatchObject({
      code: 'retry_later',
      error: { uncertain: true },
    });
    expect(await syncInvoiceToErp(syncDeps(client()), syncId)).toMatchObject({
      code: 'synced',
      figures: { matches: true },
    });
    expect(quickbooks.invoices()).toHaveLength(1);
    expect(quickbooks.attachments()).toHaveLength(1);
  });
});

/** A local Xero and a budgeted client on time that runs 60 times fast (a budget-minute is a real second). */
async function scaledXero(limits: { perMinute: number }) {
  const clock = scaledBudgetClock(60);
  const server = await startLocalXero({ now: () => new Date(clock.now()), limits });
  const client = budgetedErpClient(
    createXeroClient({
      session: { tenantId: server.tenantId, accessToken: () => Promise.resolve(server.accessToken) },
      apiUrl: server.apiUrl,
    }),
    { budget: new CallBudget(XERO_BUDGET, clock), clock },
  );
  return { server, client };
}

describe("the ERP's total and tax beside ours", () => {
  const qbo = () =>
    createQuickBooksClient({
      session: { tenantId: quickbooks.realmId, accessToken: () => Promise.resolve(quickbooks.accessToken) },
      apiUrl: quickbooks.url,
      timeoutMs: 1_000,
    });

  it('are reported when the ERP works out other tax, even when told in a later attempt than the posting', async () => {
    // Our invoice charges 20% on 100.00; the QuickBooks code TAX is 10% there, so QuickBooks holds 10.00.
    const invoiceId = await insertApprovedInvoice(database.db, {
      customerId: qboCustomerId,
      taxRate: 20,
      taxCode: 'TAX',
      itemCode: '1',
      accountCode: '200',
    });
    await finalizeInvoice(deps, invoiceId);
    const sync = await database.db
      .insertInto('erp_syncs')
      .values({ invoice_id: invoiceId, provider: 'quickbooks', idempotency_key: randomUUID() })
      .returning('id')
      .executeTakeFirstOrThrow();
    quickbooks.failNext({ kind: 'status', status: 503 }, { resource: 'upload' });

    // NOTE: each attempt starts in a fresh second: the local QuickBooks allows 10 requests a second.
    const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1_000));
    await nextSecond();
    expect(await syncInvoiceToErp(syncDeps(qbo()), sync.id)).toMatchObject({
      code: 'retry_later',
      error: { code: 'server_error' },
    });
    await nextSecond();
    expect(await syncInvoiceToErp(syncDeps(qbo()), sync.id)).toMatchObject({
      code: 'synced',
      figures: {
        erpTotal: '110.00',
        erpTotalTax: '10.00',
        ourTotal: '120.00',
        ourTotalTax: '20.00',
        matches: false,
      },
    });
  });

  it('match when Xero is sent our tax on every line', async () => {
    const { syncId } = await finalizedInvoice('xero');

    expect(await syncInvoiceToErp(syncDeps(xeroClient()), syncId)).toMatchObject({
      code: 'synced',
      figures: { erpTotal: '120.00', erpTotalTax: '20.00', matches: true },
    });
  });
});

describe('an invoice voided here while its posting is on its way', () => {
  it('is voided in the ERP as soon as the posting lands', async () => {
    const { invoiceId, syncId } = await finalizedInvoice('xero');
    const real = xeroClient();
    // The void commits between the sync's last look (not void) and Xero's answer: it finds the sync
    // in flight, not synced, so it cannot ask the ERP for anything itself.
    const voidingMidway: ErpClient = {
      ...real,
      createInvoice: async (input, key) => {
        const voided = await voidInvoice(deps, {
          number: input.number,
          userId: 'U0APPROVER1',
          reason: 'billed the wrong customer',
        });
        expect(voided.code).toBe('voided');
        return real.createInvoice(input, key);
      },
    };

    expect((await syncInvoiceToErp(syncDeps(voidingMidway), syncId)).code).toBe('synced');

    const sync = await database.db
      .selectFrom('erp_syncs')
      .select(['state', 'void_state', 'external_id'])
      .where('id', '=', syncId)
      .executeTakeFirstOrThrow();
    expect(sync).toMatchObject({ state: 'synced', void_state: 'pending' });
    const { rows } = await sql<{ payload: { syncId: string } }>`
      select j.payload from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where t.identifier = 'void_invoice_in_erp'`.execute(database.db);
    expect(rows.map((row) => row.payload.syncId)).toContain(syncId);
    expect(xero.invoices().filter((posted) => posted.invoiceId === sync.external_id)).toHaveLength(1);
    const invoice = await database.db
      .selectFrom('invoices')
      .select('status')
      .where('id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    expect(invoice.status).toBe('void');
  });
});

describe('an invoice credited in full while its posting is on its way', () => {
  it('is left to its credit note in the ERP, not voided there as well', async () => {
    const { invoiceId, syncId } = await finalizedInvoice('xero');
    const real = xeroClient();
    const creditingMidway: ErpClient = {
      ...real,
      createInvoice: async (input, key) => {
        const credited = await issueCreditNote(
          { ...deps, erp: { provider: 'xero' } as ErpGateway },
          {
            number: input.number,
            amount: undefined,
            reason: 'the order was cancelled',
            userId: 'U0APPROVER1',
          },
        );
        expect(credited.code).toBe('issued');
        return real.createInvoice(input, key);
      },
    };

    expect((await syncInvoiceToErp(syncDeps(creditingMidway), syncId)).code).toBe('synced');

    const sync = await database.db
      .selectFrom('erp_syncs')
      .select(['state', 'void_state'])
      .where('id', '=', syncId)
      .executeTakeFirstOrThrow();
    expect(sync).toEqual({ state: 'synced', void_state: null });
    const creditNoteSyncs = await database.db
      .selectFrom('erp_credit_note_syncs')
      .innerJoin('credit_notes', 'credit_notes.id', 'erp_credit_note_syncs.credit_note_id')
      .select('erp_credit_note_syncs.state')
      .where('credit_notes.invoice_id', '=', invoiceId)
      .execute();
    expect(creditNoteSyncs).toEqual([{ state: 'pending' }]);
  });
});

describe('batches', () => {
  it('posts 50 invoices in one create: 47 synced, the 3 Xero refuses reported each on its own', async () => {
    const { server, client } = await scaledXero({ perMinute: 60 });
    try {
      await database.db.updateTable('customers').set({ xero_contact_id: null }).execute();
      const good = await Promise.all(Array.from({ length: 47 }, () => finalizedInvoice('xero')));
      const bad = await Promise.all(Array.from({ length: 3 }, () => finalizedInvoice('xero', '999')));

      const ids = [...good, ...bad].map((invoice) => invoice.syncId).sort();
      const results = await syncInvoicesToErp(syncDeps(client), ids);

      const codes = [...results.values()].map((result) => result.code);
      expect(codes.filter((code) => code === 'synced')).toHaveLength(47);
      for (const { syncId } of bad) {
        const result = results.get(syncId);
        expect(result).toMatchObject({ code: 'failed', error: { code: 'validation', retryable: false } });
        expect(result?.code === 'failed' && result.error.message).toContain('999');
      }
      const creates = server
        .calls()
        .filter((call) => call.method === 'PUT' && /\/Invoices(\?|$)/.test(call.path));
      expect(creates).toHaveLength(1);
      expect(server.invoices()).toHaveLength(47);
      expect(server.calls().filter((call) => call.status === 429)).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});

describe('contacts of new customers', () => {
  const contactCalls = (server: LocalXero) =>
    server.calls().filter((call) => /\/Contacts(\?|\/|$)/.test(call.path));

  it('are found and created in 2 calls per 50 customers: 60 new customers take 4 contact calls, not 120', async () => {
    const { server, client } = await scaledXero({ perMinute: 60 });
    try {
      const customers = await Promise.all(
        Array.from({ length: 60 }, (_, index) =>
          insertCustomer(database.db, { name: `Batch customer ${String(index).padStart(2, '0')}` }),
        ),
      );
      const invoices = await Promise.all(
        customers.map((customer) => finalizedInvoice('xero', '200', undefined, customer)),
      );

      const results = await syncInvoicesToErp(
        syncDeps(client),
        invoices.map((invoice) => invoice.syncId),
      );

      expect([...results.values()].filter((result) => result.code === 'synced')).toHaveLength(60);
      const calls = contactCalls(server);
      expect(calls.map((call) => call.method)).toEqual(['GET', 'PUT', 'GET', 'PUT']);
      expect(server.contacts()).toHaveLength(60);
      const stored = await database.db
        .selectFrom('customers')
        .select('xero_contact_id')
        .where('id', 'in', customers)
        .execute();
      expect(new Set(stored.map((row) => row.xero_contact_id))).toEqual(
        new Set(server.contacts().map((contact) => contact.contactId)),
      );
    } finally {
      await server.stop();
    }
  });

  it('fails only the invoice of a customer whose name Xero gives another contact', async () => {
    const { server, client } = await scaledXero({ perMinute: 60 });
    try {
      await createXeroClient({
        session: { tenantId: server.tenantId, accessToken: () => Promise.resolve(server.accessToken) },
        apiUrl: server.apiUrl,
      }).findOrCreateContacts([
        {
          customerKey: 'someone-else',
          name: 'Initech Ltd',
          email: undefined,
          taxNumber: undefined,
          addressLines: [],
          currency: 'GBP',
        },
      ]);
      const [first, taken, last] = await Promise.all(
        ['Hooli Ltd', 'Initech Ltd', 'Umbrella Ltd'].map((name) => insertCustomer(database.db, { name })),
      );
      if (first === undefined || taken === undefined || last === undefined) throw new Error('no customers');
      const invoices = await Promise.all(
        [first, taken, last].map((customer) => finalizedInvoice('xero', '200', undefined, customer)),
      );
      const before = contactCalls(server).length;

      const results = await syncInvoicesToErp(
        syncDeps(client),
        invoices.map((invoice) => invoice.syncId),
      );

      const [hooli, initech, umbrella] = invoices.map((invoice) => results.get(invoice.syncId));
      expect(hooli).toMatchObject({ code: 'synced' });
      expect(umbrella).toMatchObject({ code: 'synced' });
      expect(initech).toMatchObject({
        code: 'failed',
        error: { code: 'contact_name_taken', retryable: false },
      });
      expect(initech?.code === 'failed' && initech.error.message).toContain('Initech Ltd');
      const stored = await database.db
        .selectFrom('customers')
        .select(['id', 'xero_contact_id'])
        .where('id', 'in', [first, taken, last])
        .execute();
      expect(stored.find((row) => row.id === taken)?.xero_contact_id).toBeNull();
      expect(stored.filter((row) => row.xero_contact_id !== null)).toHaveLength(2);
      // One find and one create for the three: Initech's refusal did not stop Hooli's and Umbrella's.
      expect(
        contactCalls(server)
          .slice(before)
          .map((call) => call.method),
      ).toEqual(['GET', 'PUT']);
      expect(server.invoices()).toHaveLength(2);
    } finally {
      await server.stop();
    }
  });
});

describe('a 429 storm', () => {
  it('ends with every invoice synced once: the budget waits out each Retry-After', async () => {
    // The tenant's real budget is a third of what the client believes (another app shares it), so
    // Xero answers 429 again and again.
    const { server: stormy, client } = await scaledXero({ perMinute: 20 });
    try {
      await database.db.updateTable('customers').set({ xero_contact_id: null }).execute();
      const invoices = await Promise.all(Array.from({ length: 30 }, () => finalizedInvoice('xero')));
      let waiting = invoices.map((invoice) => invoice.syncId);
      // As the job would: entries the ERP asked to wait for are run again, until none is left.
      for (let round = 0; round < 10 && waiting.length > 0; round += 1) {
        const results = await syncInvoicesToErp({ ...syncDeps(client) }, waiting);
        waiting = [...results].filter(([, result]) => result.code !== 'synced').map(([id]) => id);
      }
      expect(waiting).toEqual([]);
      expect(stormy.calls().filter((call) => call.status === 429).length).toBeGreaterThan(0);
      const numbers = stormy.invoices().map((invoice) => invoice.invoiceNumber);
      expect(new Set(numbers).size).toBe(30);
      expect(numbers).toHaveLength(30);
      expect(stormy.attachments()).toHaveLength(30);
    } finally {
      await stormy.stop();
    }
  });
});
