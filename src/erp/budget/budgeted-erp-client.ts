import type {
  ErpClient,
  ErpContactInput,
  ErpError,
  ErpInvoiceInput,
  ErpInvoiceRef,
  ErpResult,
} from '../../ports/erp-client.ts';
import type { BudgetClock, CallBudget } from './call-budget.ts';

// Puts an ErpClient behind a CallBudget: every operation waits for its turn, 429s are absorbed by
// waiting as long as the vendor asked, and a used-up day is answered without calling the vendor.
// A 401 (the access token revoked before it expired) is retried once after `reauthorize`.

/**
 * The operations counted per call; createInvoices is counted per chunk of `batchSize` inputs,
 * findOrCreateContacts per chunk of `contactBatchSize` customers.
 */
export type BudgetedOperation =
  | 'findInvoiceByNumber'
  | 'findOrCreateContacts'
  | 'createInvoice'
  | 'createInvoices'
  | 'attachPdf'
  | 'getInvoicePayments'
  | 'voidInvoice'
  | 'createCreditNote'
  | 'findCreditNoteByNumber'
  | 'allocateCreditNote';

export interface BudgetedOptions {
  budget: CallBudget;
  /** Defaults to the budget's clock. */
  clock?: BudgetClock;
  /** How many 429s in a row to absorb by waiting before giving the error back (default 5). */
  maxRateLimitWaits?: number;
  /** Inputs per createInvoices request, as the adapter chunks them (default 50, Xero's; QBO's is 30). */
  batchSize?: number;
  /**
   * Customers per findOrCreateContacts chunk, as the adapter chunks them (default 50, Xero's: one find
   * and one create per chunk). QBO finds and creates each customer alone: QUICKBOOKS_CONTACT_BATCH_SIZE.
   */
  contactBatchSize?: number;
  /**
   * Vendor calls each operation may make. NOTE: the budget is applied per operation, not per HTTP
   * request, so an operation is charged the most calls it can make (findOrCreateContacts: a find, then
   * maybe a create, per chunk). For QuickBooks pass QUICKBOOKS_CALLS_PER_OPERATION, batchSize 30 and
   * contactBatchSize QUICKBOOKS_CONTACT_BATCH_SIZE.
   */
  callsPerOperation?: Partial<Record<BudgetedOperation, number>>;
  /**
   * Called once when an operation is refused as unauthorized (401), before it is tried again: marks the
   * access token expired, so the retry uses a refreshed one. A dead grant then fails the refresh, and
   * the connection is marked for reconnecting as usual.
   */
  reauthorize?: () => Promise<void>;
}

// NOTE: QBO's adapter finds before it writes: a customer may take a find and two creates (the second
// under a keyed name), a PDF a find, an upload and a link, and each batch of invoices a find first;
// an invoice's payments are its read, then a query for the payments it links to. The first write of
// an invoice or credit memo through a client also reads the company's tax settings (Preferences).
export const QUICKBOOKS_CALLS_PER_OPERATION: Partial<Record<BudgetedOperation, number>> = {
  findOrCreateContacts: 3,
  attachPdf: 3,
  createInvoice: 2,
  createCreditNote: 2,
  createInvoices: 3,
  getInvoicePayments: 2,
  voidInvoice: 2,
};

const defaultCalls: Record<BudgetedOperation, number> = {
  findInvoiceByNumber: 1,
  // NOTE: per chunk of contactBatchSize: one find of them all, then one create of those missing.
  findOrCreateContacts: 2,
  createInvoice: 1,
  createInvoices: 1,
  attachPdf: 1,
  getInvoicePayments: 1,
  // NOTE: a read (is it void already?), then the void.
  voidInvoice: 2,
  createCreditNote: 1,
  findCreditNoteByNumber: 1,
  // NOTE: reads the credit note and the invoice, then allocates.
  allocateCreditNote: 3,
};

// NOTE: a 429 without Retry-After waits for what its limit implies: a concurrent limit frees as soon
// as a call in flight ends (Xero: 5 in flight, no Retry-After on that 429; QuickBooks: 10 concurrent
// per realm), a minute limit within the rolling minute (QBO suggests 60 s after a 429 that says no more).
const RATE_LIMIT_WAIT_S: Record<NonNullable<ErpError['rateLimit']> | 'unnamed', number> = {
  concurrent: 1,
  minute: 60,
  app_minute: 60,
  unnamed: 60,
};
// NOTE: a day-limit answer without Retry-After: the rolling day frees calls gradually, so look again in an hour.
const DEFAULT_DAY_WAIT_S = 3600;
// NOTE: QBO's adapter finds and creates customers one at a time, so each is charged on its own.
export const QUICKBOOKS_CONTACT_BATCH_SIZE = 1;

const providerNames: Record<ErpClient['provider'], string> = { xero: 'Xero', quickbooks: 'QuickBooks' };

/** What an answer says: a 429 to wait out, the day used up, a token to renew, or nothing. */
type Verdict = { kind: 'rate_limited' | 'daily_limit' | 'unauthorized'; error: ErpError } | undefined;

function verdictOf(result: ErpResult<unknown>): Verdict {
  if (result.ok) return undefined;
  const { code } = result.error;
  return code === 'rate_limited' || code === 'daily_limit' || code === 'unauthorized'
    ? { kind: code, error: result.error }
    : undefined;
}

/** A batch counts as a 429 (or a 401) only when every invoice in it was refused so (nothing was applied). */
function batchVerdict(results: readonly ErpResult<ErpInvoiceRef>[]): Verdict {
  const verdicts = results.map(verdictOf);
  const daily = verdicts.find((verdict) => verdict?.kind === 'daily_limit');
  if (daily !== undefined) return daily;
  const [first] = verdicts;
  return first !== undefined && verdicts.every((verdict) => verdict?.kind === first.kind) ? first : undefined;
}

/**
 * A chunk of contacts counts as a 429 (or a 401) when any contact in it was refused so: finding first
 * makes sending the chunk again harmless (the contacts created by then are found, not made twice).
 */
function contactsVerdict(results: ReadonlyMap<string, ErpResult<unknown>>): Verdict {
  const verdicts = [...results.values()].map(verdictOf);
  return (
    verdicts.find((verdict) => verdict?.kind === 'daily_limit') ??
    verdicts.find((verdict) => verdict !== undefined)
  );
}

export function budgetedErpClient(client: ErpClient, options: BudgetedOptions): ErpClient {
  const { budget } = options;
  const clock = options.clock ?? budget.clock;
  const maxWaits = options.maxRateLimitWaits ?? 5;
  const batchSize = options.batchSize ?? 50;
  const contactBatchSize = options.contactBatchSize ?? 50;
  const calls = { ...defaultCalls, ...options.callsPerOperation };
  const provider = providerNames[client.provider];

  function dayUsedUp(untilMs: number): ErpError {
    return {
      retryable: true,
      code: 'daily_limit',
      retryAfterSeconds: Math.max(1, Math.ceil((untilMs - clock.now()) / 1000)),
      message: `${provider}'s daily limit of API calls for this organisation is used up; billops carries on at ${new Date(untilMs).toISOString()}.`,
    };
  }

  /** Runs `call` within the budget; `refused` builds the answer when the day is used up. */
  async function budgeted<T>(
    count: number,
    call: () => Promise<T>,
    judge: (result: T) => Verdict,
    refused: (error: ErpError) => T,
  ): Promise<T> {
    let reauthorized = false;
    for (let waits = 0; ; waits += 1) {
      const admission = await budget.acquire(count);
      if (!admission.ok) return refused(dayUsedUp(admission.untilMs));
      let result: T;
      try {
        result = await call();
      } finally {
        admission.release();
      }
      const verdict = judge(result);
      if (verdict === undefined) return result;
      const seconds = verdict.error.retryAfterSeconds;
      if (verdict.kind === 'daily_limit') {
        budget.dayExhaustedUntil(clock.now() + (seconds ?? DEFAULT_DAY_WAIT_S) * 1000);
        return result;
      }
      if (verdict.kind === 'unauthorized') {
        // NOTE: a 401 is refused before anything is applied, so sending it again cannot duplicate anything.
        if (reauthorized || options.reauthorize === undefined) return result;
        reauthorized = true;
        try {
          await options.reauthorize();
        } catch {
          return result; // the 401 itself says what a person needs to know
        }
        continue;
      }
      if (waits >= maxWaits) return result;
      // NOTE: a 429 means the request was not applied, so sending it again cannot duplicate anything.
      const implied = RATE_LIMIT_WAIT_S[verdict.error.rateLimit ?? 'unnamed'];
      budget.holdUntil(clock.now() + (seconds ?? implied) * 1000);
    }
  }

  function single<T>(count: number, call: () => Promise<ErpResult<T>>): Promise<ErpResult<T>> {
    return budgeted(count, call, verdictOf, (error) => ({ ok: false, error }));
  }

  function createInvoices(
    inputs: readonly { input: ErpInvoiceInput; idempotencyKey: string }[],
  ): Promise<ErpResult<ErpInvoiceRef>[]> {
    if (inputs.length === 0) return client.createInvoices(inputs);
    const count = Math.ceil(inputs.length / batchSize) * calls.createInvoices;
    return budgeted(
      count,
      () => client.createInvoices(inputs),
      batchVerdict,
      (error) => inputs.map(() => ({ ok: false, error })),
    );
  }

  /**
   * Chunk by chunk, each charged on its own, so a long list is paced like single calls. A chunk still
   * refused after the waits (or the day used up) answers for the chunks after it, unsent.
   */
  async function findOrCreateContacts(
    inputs: readonly ErpContactInput[],
  ): Promise<Map<string, ErpResult<{ id: string; created: boolean }>>> {
    const unique = [...new Map(inputs.map((input) => [input.customerKey, input])).values()];
    const answers = new Map<string, ErpResult<{ id: string; created: boolean }>>();
    let stopped: ErpError | undefined;
    for (let start = 0; start < unique.length; start += contactBatchSize) {
      const chunk = unique.slice(start, start + contactBatchSize);
      const refused = (error: ErpError) =>
        new Map(chunk.map((input) => [input.customerKey, { ok: false as const, error }]));
      const limit = stopped;
      const outcomes =
        limit === undefined
          ? await budgeted(
              calls.findOrCreateContacts,
              () => client.findOrCreateContacts(chunk),
              contactsVerdict,
              refused,
            )
          : refused(limit);
      for (const [key, outcome] of outcomes) answers.set(key, outcome);
      const verdict = contactsVerdict(outcomes);
      if (verdict !== undefined && verdict.kind !== 'unauthorized') stopped = verdict.error;
    }
    return answers;
  }

  return {
    provider: client.provider,
    findInvoiceByNumber: (number) =>
      single(calls.findInvoiceByNumber, () => client.findInvoiceByNumber(number)),
    findOrCreateContacts,
    createInvoice: (input, idempotencyKey) =>
      single(calls.createInvoice, () => client.createInvoice(input, idempotencyKey)),
    createInvoices,
    attachPdf: (invoiceId, filename, pdf, idempotencyKey) =>
      single(calls.attachPdf, () => client.attachPdf(invoiceId, filename, pdf, idempotencyKey)),
    getInvoicePayments: (invoiceExternalId) =>
      single(calls.getInvoicePayments, () => client.getInvoicePayments(invoiceExternalId)),
    voidInvoice: (invoiceExternalId) =>
      single(calls.voidInvoice, () => client.voidInvoice(invoiceExternalId)),
    createCreditNote: (input, idempotencyKey) =>
      single(calls.createCreditNote, () => client.createCreditNote(input, idempotencyKey)),
    findCreditNoteByNumber: (number) =>
      single(calls.findCreditNoteByNumber, () => client.findCreditNoteByNumber(number)),
    allocateCreditNote: (creditNoteExternalId, invoiceExternalId, maxAmount, idempotencyKey) =>
      single(calls.allocateCreditNote, () =>
        client.allocateCreditNote(creditNoteExternalId, invoiceExternalId, maxAmount, idempotencyKey),
      ),
  };
}
