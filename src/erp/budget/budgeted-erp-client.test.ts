import { afterEach, describe, expect, it } from 'vitest';

import type {
  ErpClient,
  ErpContactInput,
  ErpError,
  ErpInvoiceInput,
  ErpInvoiceRef,
  ErpResult,
} from '../../ports/erp-client.ts';
import { startLocalXero, type LocalXero } from '../../local/xero/index.ts';
import { createXeroClient } from '../xero/index.ts';
import {
  budgetedErpClient,
  QUICKBOOKS_CALLS_PER_OPERATION,
  QUICKBOOKS_CONTACT_BATCH_SIZE,
} from './budgeted-erp-client.ts';
import { CallBudget, QUICKBOOKS_BUDGET, realBudgetClock } from './call-budget.ts';
import { startLocalQuickBooks, type LocalQuickBooks } from '../../../test/fakes/quickbooks/index.ts';
import { createQuickBooksClient } from '../quickbooks/quickbooks-client.ts';
import { VirtualClock } from './virtual-clock.ts';

const rateLimited = (retryAfterSeconds?: number): ErpError => ({
  retryable: true,
  code: 'rate_limited',
  message: 'slow down',
  ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
});
const dailyLimit: ErpError = {
  retryable: true,
  code: 'daily_limit',
  message: 'day over',
  retryAfterSeconds: 3600,
};
const unauthorized: ErpError = { retryable: false, code: 'unauthorized', message: 'token refused' };
const ref = (number: string): ErpInvoiceRef => ({
  id: `id-${number}`,
  number,
  total: '10.00',
  totalTax: '0.00',
  status: 'DRAFT',
});
const invoice = (number: string): { input: ErpInvoiceInput; idempotencyKey: string } => ({
  input: {
    number,
    contactId: 'c-1',
    currency: 'GBP',
    issueDate: '2025-01-01',
    dueDate: '2025-01-31',
    pricesIncludeTax: false,
    lines: [],
    total: '10.00',
    totalTax: '0.00',
  },
  idempotencyKey: `key-${number}`,
});
const contact: ErpContactInput = {
  customerKey: 'cus-1',
  name: 'Acme',
  email: undefined,
  taxNumber: undefined,
  addressLines: [],
  currency: 'GBP',
};

/** A fake ERP answering from a script (then success), counting the calls that reached it. */
function fakeErp(
  script: {
    single?: ErpError[];
    batches?: ((number: string) => ErpError | undefined)[];
    contacts?: ((customerKey: string) => ErpError | undefined)[];
  } = {},
) {
  const single = [...(script.single ?? [])];
  const batches = [...(script.batches ?? [])];
  const contactChunks = [...(script.contacts ?? [])];
  const calls: string[] = [];
  const answer = <T>(name: string, value: T): Promise<ErpResult<T>> => {
    calls.push(name);
    const error = single.shift();
    return Promise.resolve(error === undefined ? { ok: true, value } : { ok: false, error });
  };
  const client: ErpClient = {
    provider: 'xero',
    findInvoiceByNumber: (number) => answer('findInvoiceByNumber', ref(number)),
    findOrCreateContacts: (inputs) => {
      calls.push(`findOrCreateContacts(${inputs.length})`);
      const fails = contactChunks.shift();
      return Promise.resolve(
        new Map(
          inputs.map((input): [string, ErpResult<{ id: string; created: boolean }>] => {
            const error = fails?.(input.customerKey);
            return [
              input.customerKey,
              error === undefined
                ? { ok: true, value: { id: `c-${input.customerKey}`, created: false } }
                : { ok: false, error },
            ];
          }),
        ),
      );
    },
    createInvoice: (input) => answer('createInvoice', ref(input.number)),
    createInvoices: (inputs) => {
      calls.push('createInvoices');
      const fails = batches.shift();
      return Promise.resolve(
        inputs.map(({ input }): ErpResult<ErpInvoiceRef> => {
          const error = fails?.(input.number);
          return error === undefined ? { ok: true, value: ref(input.number) } : { ok: false, error };
        }),
      );
    },
    attachPdf: () => answer('attachPdf', { id: 'att-1' }),
    getInvoicePayments: () => answer('getInvoicePayments', []),
    voidInvoice: (id) => answer('voidInvoice', { id, alreadyVoid: false }),
    createCreditNote: (input) =>
      answer('createCreditNote', {
        id: 'cn-1',
        number: input.number,
        total: input.total,
        remainingCredit: '0',
      }),
    findCreditNoteByNumber: () => answer('findCreditNoteByNumber', null),
    allocateCreditNote: () => answer('allocateCreditNote', { amount: '0.00' }),
  };
  return { client, calls };
}

function setUp(script: Parameters<typeof fakeErp>[0] = {}, maxRateLimitWaits?: number) {
  const clock = new VirtualClock();
  const budget = new CallBudget({ perMinute: 60, perDay: 5000, concurrent: 5 }, clock);
  const fake = fakeErp(script);
  const reauthorized: string[] = [];
  const client = budgetedErpClient(fake.client, {
    budget,
    ...(maxRateLimitWaits === undefined ? {} : { maxRateLimitWaits }),
    reauthorize: () => {
      reauthorized.push(`after call ${fake.calls.length}`);
      return Promise.resolve();
    },
  });
  return { clock, budget, client, calls: fake.calls, reauthorized };
}

describe('budgetedErpClient', () => {
  it('renews the token once after a 401 and sends the call again', async () => {
    const { client, calls, reauthorized } = setUp({ single: [unauthorized] });
    expect(await client.voidInvoice('inv-1')).toEqual({
      ok: true,
      value: { id: 'inv-1', alreadyVoid: false },
    });
    expect(calls).toEqual(['voidInvoice', 'voidInvoice']);
    expect(reauthorized).toEqual(['after call 1']);
  });

  it('gives the 401 back when renewing the token fails, instead of throwing', async () => {
    const clock = new VirtualClock();
    const fake = fakeErp({ single: [unauthorized] });
    const client = budgetedErpClient(fake.client, {
      budget: new CallBudget({ perMinute: 60 }, clock),
      reauthorize: () => Promise.reject(new Error('database unavailable')),
    });
    expect(await client.findInvoiceByNumber('INV-1')).toEqual({ ok: false, error: unauthorized });
    expect(fake.calls).toHaveLength(1);
  });

  it('gives a second 401 back: a renewed token that is refused too is for a person to look at', async () => {
    const { client, calls, reauthorized } = setUp({ single: [unauthorized, unauthorized] });
    expect(await client.findInvoiceByNumber('INV-1')).toEqual({ ok: false, error: unauthorized });
    expect(calls).toHaveLength(2);
    expect(reauthorized).toHaveLength(1);
  });

  it('sends a batch again after renewing the token only when the whole batch was refused with 401', async () => {
    const whole = setUp({ batches: [() => unauthorized] });
    const results = await whole.client.createInvoices([invoice('INV-1'), invoice('INV-2')]);
    expect(results.every((result) => result.ok)).toBe(true);
    expect(whole.calls).toEqual(['createInvoices', 'createInvoices']);

    const partly = setUp({ batches: [(number) => (number === 'INV-2' ? unauthorized : undefined)] });
    const mixed = await partly.client.createInvoices([invoice('INV-1'), invoice('INV-2')]);
    expect(mixed.map((result) => result.ok)).toEqual([true, false]);
    expect(partly.calls).toEqual(['createInvoices']);
    expect(partly.reauthorized).toEqual([]);
  });

  it('waits out 429s for as long as the vendor asked, then gives back the success', async () => {
    const { clock, client, calls } = setUp({ single: [rateLimited(7), rateLimited(7)] });
    expect(await client.findInvoiceByNumber('INV-1')).toEqual({ ok: true, value: ref('INV-1') });
    expect(calls).toHaveLength(3);
    expect(clock.now()).toBe(14_000);
  });

  it('waits 60 s after a 429 that did not say how long nor which limit', async () => {
    const { clock, client } = setUp({ single: [rateLimited()] });
    expect((await client.createInvoice(invoice('INV-1').input, 'k')).ok).toBe(true);
    expect(clock.now()).toBe(60_000);
  });

  it('waits 1 s after a concurrent-limit 429, which has no Retry-After: a call in flight ends soon', async () => {
    const { clock, client } = setUp({ single: [{ ...rateLimited(), rateLimit: 'concurrent' }] });
    expect((await client.createInvoice(invoice('INV-1').input, 'k')).ok).toBe(true);
    expect(clock.now()).toBe(1_000);
  });

  it('gives the 429 back after maxRateLimitWaits in a row', async () => {
    const { client, calls } = setUp({ single: [rateLimited(1), rateLimited(1), rateLimited(1)] }, 2);
    expect(await client.attachPdf('inv', 'a.pdf', Buffer.from('%PDF'), 'k')).toEqual({
      ok: false,
      error: rateLimited(1),
    });
    expect(calls).toHaveLength(3);
  });

  it('after a daily_limit refuses the next calls without calling the vendor', async () => {
    const { clock, client, calls } = setUp({ single: [dailyLimit] });
    expect(await client.findInvoiceByNumber('INV-1')).toEqual({ ok: false, error: dailyLimit });
    const refused = await client.findInvoiceByNumber('INV-2');
    expect(refused).toEqual({
      ok: false,
      error: {
        retryable: true,
        code: 'daily_limit',
        retryAfterSeconds: 3600,
        message:
          "Xero's daily limit of API calls for this organisation is used up; billops carries on at 1970-01-01T01:00:00.000Z.",
      },
    });
    const batch = await client.createInvoices([invoice('INV-3'), invoice('INV-4')]);
    expect(batch.map((result) => !result.ok && result.error.code)).toEqual(['daily_limit', 'daily_limit']);
    expect(calls).toEqual(['findInvoiceByNumber']);
    expect(clock.now()).toBe(0);
  });

  it('sends a whole batch again when every invoice in it was refused with a 429', async () => {
    const { clock, client, calls } = setUp({ batches: [() => rateLimited(5)] });
    const results = await client.createInvoices([invoice('INV-1'), invoice('INV-2')]);
    expect(results).toEqual([
      { ok: true, value: ref('INV-1') },
      { ok: true, value: ref('INV-2') },
    ]);
    expect(calls).toEqual(['createInvoices', 'createInvoices']);
    expect(clock.now()).toBe(5_000);
  });

  it('passes mixed batch results through as they are', async () => {
    const { client, calls } = setUp({
      batches: [(number) => (number === 'INV-2' ? rateLimited(5) : undefined)],
    });
    const results = await client.createInvoices([invoice('INV-1'), invoice('INV-2')]);
    expect(results).toEqual([
      { ok: true, value: ref('INV-1') },
      { ok: false, error: rateLimited(5) },
    ]);
    expect(calls).toEqual(['createInvoices']);
  });

  it('charges each operation the vendor calls it may make', async () => {
    const clock = new VirtualClock();
    const budget = new CallBudget({ perMinute: 600 }, clock);
    const { client } = fakeErp();
    const budgeted = budgetedErpClient(client, {
      budget,
      batchSize: 50,
      callsPerOperation: { attachPdf: 3 },
    });
    expect(budgeted.provider).toBe('xero');
    await budgeted.findOrCreateContacts([contact]);
    expect(budget.admitted).toBe(2);
    await budgeted.createInvoices(Array.from({ length: 120 }, (_, index) => invoice(`INV-${index}`)));
    expect(budget.admitted).toBe(5);
    await budgeted.attachPdf('inv', 'a.pdf', Buffer.from('%PDF'), 'k');
    expect(budget.admitted).toBe(8);
    expect(await budgeted.createInvoices([])).toEqual([]);
    expect(await budgeted.findOrCreateContacts([])).toEqual(new Map());
    expect(budget.admitted).toBe(8);
  });

  it('charges a find and a create per 50 contacts (Xero), and 3 calls per customer for QuickBooks', async () => {
    const clock = new VirtualClock();
    const xeroBudget = new CallBudget({ perMinute: 600 }, clock);
    const xero = fakeErp();
    const customers = Array.from({ length: 120 }, (_, index) => ({
      ...contact,
      customerKey: `cus-${index}`,
    }));
    const answers = await budgetedErpClient(xero.client, { budget: xeroBudget }).findOrCreateContacts([
      ...customers,
      customers[0] ?? contact,
    ]);
    expect(answers.size).toBe(120);
    expect(xero.calls).toEqual([
      'findOrCreateContacts(50)',
      'findOrCreateContacts(50)',
      'findOrCreateContacts(20)',
    ]);
    expect(xeroBudget.admitted).toBe(6);

    const quickBooksBudget = new CallBudget({ perMinute: 600 }, clock);
    const quickBooks = fakeErp();
    await budgetedErpClient(quickBooks.client, {
      budget: quickBooksBudget,
      contactBatchSize: QUICKBOOKS_CONTACT_BATCH_SIZE,
      callsPerOperation: QUICKBOOKS_CALLS_PER_OPERATION,
    }).findOrCreateContacts(customers.slice(0, 4));
    expect(quickBooks.calls).toEqual(Array.from({ length: 4 }, () => 'findOrCreateContacts(1)'));
    expect(quickBooksBudget.admitted).toBe(12);
  });

  it('sends a chunk of contacts again when any of them met a 429: finding first makes it harmless', async () => {
    const { clock, client, calls } = setUp({
      contacts: [(key) => (key === 'cus-2' ? rateLimited(5) : undefined)],
    });
    const answers = await client.findOrCreateContacts([
      { ...contact, customerKey: 'cus-1' },
      { ...contact, customerKey: 'cus-2' },
    ]);
    expect([...answers.values()].every((answer) => answer.ok)).toBe(true);
    expect(calls).toEqual(['findOrCreateContacts(2)', 'findOrCreateContacts(2)']);
    expect(clock.now()).toBe(5_000);
  });

  it('after a daily_limit on one chunk of contacts answers the next chunks unsent', async () => {
    const { client, calls } = setUp({ contacts: [() => dailyLimit] });
    const customers = Array.from({ length: 60 }, (_, index) => ({ ...contact, customerKey: `cus-${index}` }));
    const answers = await client.findOrCreateContacts(customers);
    expect(answers.size).toBe(60);
    expect([...answers.values()].every((answer) => !answer.ok && answer.error.code === 'daily_limit')).toBe(
      true,
    );
    expect(calls).toEqual(['findOrCreateContacts(50)']);
  });
});

describe('budgetedErpClient against the local Xero', () => {
  let sandbox: LocalXero | undefined;
  afterEach(async () => {
    await sandbox?.stop();
    sandbox = undefined;
  });

  it('makes 25 concurrent lookups at 10 a minute without a single 429', async () => {
    // NOTE: virtual time moves only while no HTTP request is under way, so the server's clock and the
    // budget's agree on every call's start.
    let inFlight = 0;
    const clock = new VirtualClock(Date.UTC(2025, 0, 1), () => inFlight > 0);
    const local = await startLocalXero({
      now: () => new Date(clock.now()),
      limits: { perMinute: 10, perDay: 1000, concurrent: 5 },
      latencyMs: 5,
    });
    sandbox = local;
    const xero = createXeroClient({
      session: { tenantId: local.tenantId, accessToken: () => Promise.resolve(local.accessToken) },
      apiUrl: local.apiUrl,
    });
    const tracked: ErpClient = {
      ...xero,
      findInvoiceByNumber: async (number) => {
        inFlight += 1;
        try {
          return await xero.findInvoiceByNumber(number);
        } finally {
          inFlight -= 1;
        }
      },
    };
    const budget = new CallBudget({ perMinute: 10, concurrent: 5 }, clock);
    const client = budgetedErpClient(tracked, { budget });
    const started = clock.now();

    const results = await Promise.all(
      Array.from({ length: 25 }, (_, index) => client.findInvoiceByNumber(`INV-${index}`)),
    );

    expect(results.filter((result) => result.ok)).toHaveLength(25);
    const calls = local.calls();
    expect(calls).toHaveLength(25);
    expect(calls.filter((call) => call.status === 429)).toEqual([]);
    expect(clock.now() - started).toBe(120_000);
  });
});

describe('budgetedErpClient against the local QuickBooks', () => {
  let local: LocalQuickBooks | undefined;
  afterEach(async () => {
    await local?.stop();
    local = undefined;
  });

  it('keeps to 10 requests in flight per company, so slow answers earn no 429', async () => {
    // NOTE: answers take 1.5 s, so 10 a second alone would put 15 in flight; QBO refuses the 11th.
    const server = await startLocalQuickBooks({ latencyMs: 1_500 });
    local = server;
    const quickBooks = createQuickBooksClient({
      session: { tenantId: server.realmId, accessToken: () => Promise.resolve(server.accessToken) },
      apiUrl: server.url,
      timeoutMs: 10_000,
    });
    const client = budgetedErpClient(quickBooks, {
      budget: new CallBudget(QUICKBOOKS_BUDGET, realBudgetClock),
    });

    const results = await Promise.all(
      Array.from({ length: 25 }, (_, index) => client.findInvoiceByNumber(`INV-${index}`)),
    );

    expect(results.filter((result) => result.ok)).toHaveLength(25);
    expect(server.calls().filter((call) => call.status === 429)).toEqual([]);
  });
});
