import { createHash } from 'node:crypto';

import { z } from 'zod';

import { parseDecimal, sum } from '../../money/decimal.ts';
import { toMoneyString } from '../../money/rounding.ts';
import type {
  ErpClient,
  ErpContactInput,
  ErpCreditNoteInput,
  ErpCreditNoteRef,
  ErpError,
  ErpInvoiceInput,
  ErpInvoiceRef,
  ErpPayment,
  ErpResult,
  ErpSession,
  ErpVoidOutcome,
} from '../../ports/erp-client.ts';
import {
  faultEntries,
  faultType,
  translateFault,
  translateQuickBooksError,
  type FailedOperation,
} from './quickbooks-errors.ts';
import {
  chooseCustomer,
  customerDisplayNames,
  readCustomer,
  readCustomers,
  toErpCreditNoteRef,
  toErpInvoiceRef,
  toQuickBooksCreditMemo,
  toQuickBooksCustomer,
  toQuickBooksInvoice,
  type InvoiceMappingOptions,
  type QuickBooksInvoicePayload,
} from './quickbooks-mapping.ts';
import {
  callSdk,
  companyEndpoint,
  connectQuickBooks,
  productionApiUrl,
  type QuickBooksSdk,
  type SdkCallback,
  type SdkOutcome,
} from './quickbooks-sdk.ts';

export interface QuickBooksClientOptions {
  /** tenantId is the QBO realm id; accessToken is called once per operation (refreshing is elsewhere). */
  session: ErpSession;
  /** Base URL of the v3 API: production (the default), sandbox, or the local server's `url`. */
  apiUrl?: string;
  /** QBO minorversion query parameter (default '75'). */
  minorVersion?: string;
  /** node-quickbooks sets no HTTP timeout; after this the call counts as timed out (default 60 s). */
  timeoutMs?: number;
  /** QBO Item id for lines without an item code; without it QBO picks its default item. */
  defaultItemId?: string;
  now?: () => Date;
}

// NOTE: QBO recommends at most 30 payloads per batch request (FACTS §2.6, Part B §3.3).
export const quickBooksBatchSize = 30;
// NOTE: a requestid may be at most 50 characters (FACTS §2.3).
const requestIdMaxLength = 50;

/** Our idempotency key as a QBO requestid: itself when it fits, else a stable hash of it. */
export function requestIdFor(key: string, purpose = ''): string {
  const plain = purpose === '' ? key : `${purpose}-${key}`;
  if (plain.length <= requestIdMaxLength && /^[\w-]+$/.test(plain)) return plain;
  return createHash('sha256').update(plain).digest('hex').slice(0, requestIdMaxLength);
}

const queryInvoices = z.looseObject({
  QueryResponse: z.looseObject({ Invoice: z.array(z.unknown()).optional() }).optional(),
});
const queryAttachables = z.looseObject({
  QueryResponse: z
    .looseObject({
      Attachable: z
        .array(z.looseObject({ Id: z.coerce.string(), FileName: z.string().optional() }))
        .optional(),
    })
    .optional(),
});
const linkedTxn = z.array(z.looseObject({ TxnId: z.coerce.string(), TxnType: z.string() })).optional();
const invoiceLinks = z.looseObject({
  Id: z.coerce.string(),
  CurrencyRef: z.looseObject({ value: z.string() }).optional(),
  LinkedTxn: linkedTxn,
});
const queryPayments = z.looseObject({
  QueryResponse: z
    .looseObject({
      Payment: z
        .array(
          z.looseObject({
            Id: z.coerce.string(),
            TxnDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
            Line: z
              .array(z.looseObject({ Amount: z.union([z.number(), z.string()]), LinkedTxn: linkedTxn }))
              .optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});
const queryCreditMemos = z.looseObject({
  QueryResponse: z.looseObject({ CreditMemo: z.array(z.unknown()).optional() }).optional(),
});
const voidable = z.looseObject({
  Id: z.coerce.string(),
  SyncToken: z.coerce.string(),
  DocNumber: z.string().optional(),
  PrivateNote: z.string().optional(),
  TotalAmt: z.union([z.number(), z.string()]).optional(),
  LinkedTxn: linkedTxn,
});
const voidAnswer = z.looseObject({ Invoice: z.looseObject({ Id: z.coerce.string() }) });
const batchResponse = z.looseObject({
  BatchItemResponse: z.array(z.looseObject({ bId: z.string() })),
});
const attachableResponse = z.looseObject({ Id: z.coerce.string() });
const preferencesAnswer = z.looseObject({
  TaxPrefs: z.looseObject({ PartnerTaxEnabled: z.boolean().optional() }).optional(),
});

function failure<T>(error: ErpError): ErpResult<T> {
  return { ok: false, error };
}

function unreadable(operation: FailedOperation): ErpError {
  return {
    retryable: false,
    code: 'unexpected_response',
    message: `QuickBooks answered about ${operation.subject} in a form billops could not read.`,
    uncertain: operation.kind === 'write',
  };
}

/** The QuickBooks Online adapter of the ERP port, over node-quickbooks. */
export function createQuickBooksClient(options: QuickBooksClientOptions): ErpClient {
  const endpoint = companyEndpoint(options.apiUrl ?? productionApiUrl);
  const minorVersion = options.minorVersion ?? '75';
  const timeoutMs = options.timeoutMs ?? 60_000;
  const now = options.now ?? (() => new Date());
  let taxSetup: Promise<ErpResult<InvoiceMappingOptions>> | undefined;

  const connect = async (): Promise<QuickBooksSdk> =>
    connectQuickBooks({
      endpoint,
      realmId: options.session.tenantId,
      accessToken: await options.session.accessToken(),
      minorVersion,
    });

  const call = (start: (callback: SdkCallback) => void): Promise<SdkOutcome> => callSdk(timeoutMs, start);

  const translated = (outcome: SdkOutcome & { ok: false }, operation: FailedOperation): ErpError =>
    translateQuickBooksError(
      { timedOut: outcome.timedOut, error: outcome.error, timeoutMs },
      operation,
      now(),
    );

  /**
   * How this company takes tax, read once per client: a US company on automated sales tax (AST) works
   * out its own tax, so it is sent ours as TxnTaxDetail.TotalTax. developer.intuit.com, "Manage sales tax
   * for US locales": query Preferences.TaxPrefs.PartnerTaxEnabled (minor version 3+).
   */
  function mappingFor(sdk: QuickBooksSdk): Promise<ErpResult<InvoiceMappingOptions>> {
    taxSetup ??= (async () => {
      const outcome = await call((callback) => {
        sdk.getPreferences(callback);
      });
      const operation: FailedOperation = { kind: 'read', subject: "the company's tax settings" };
      if (!outcome.ok) return failure<InvoiceMappingOptions>(translated(outcome, operation));
      const parsed = preferencesAnswer.safeParse(outcome.data);
      if (!parsed.success) return failure<InvoiceMappingOptions>(unreadable(operation));
      return {
        ok: true as const,
        value: {
          defaultItemId: options.defaultItemId,
          automatedSalesTax: parsed.data.TaxPrefs?.PartnerTaxEnabled === true,
        },
      };
    })();
    const setup = taxSetup;
    // NOTE: a failed read is not kept: the next operation asks again.
    void setup.then((result) => {
      if (!result.ok && taxSetup === setup) taxSetup = undefined;
    });
    return setup;
  }

  async function findInvoicesByNumber(
    sdk: QuickBooksSdk,
    numbers: readonly string[],
    operation: FailedOperation,
  ): Promise<ErpResult<unknown[]>> {
    const outcome = await call((callback) => {
      sdk.findInvoices({ DocNumber: numbers.length === 1 ? numbers[0] : [...numbers] }, callback);
    });
    if (!outcome.ok) return failure(translated(outcome, operation));
    const parsed = queryInvoices.safeParse(outcome.data);
    if (!parsed.success) return failure(unreadable(operation));
    return { ok: true, value: parsed.data.QueryResponse?.Invoice ?? [] };
  }

  async function findInvoiceByNumber(number: string): Promise<ErpResult<ErpInvoiceRef | null>> {
    const operation: FailedOperation = { kind: 'read', subject: `invoice ${number}`, invoiceNumber: number };
    const found = await findInvoicesByNumber(await connect(), [number], operation);
    if (!found.ok) return found;
    const refs = found.value.map((entity) => toErpInvoiceRef(entity, ''));
    const matching = refs.flatMap((ref) => (ref.ok && ref.value.number === number ? [ref.value] : []));
    // NOTE: with "warn on duplicate numbers" off a company can hold two; the oldest is the one we made.
    matching.sort((a, b) => Number(a.id) - Number(b.id));
    return { ok: true, value: matching[0] ?? null };
  }

  async function createCustomerNamed(
    sdk: QuickBooksSdk,
    input: ErpContactInput,
    displayName: string,
    operation: FailedOperation,
  ): Promise<ErpResult<{ id: string; created: boolean }>> {
    const customer = {
      ...toQuickBooksCustomer(input, displayName),
      requestId: requestIdFor(input.customerKey + displayName, 'customer'),
    };
    const outcome = await call((callback) => {
      sdk.createCustomer(customer, callback);
    });
    if (!outcome.ok) return failure(translated(outcome, operation));
    const created = readCustomer(outcome.data);
    if (created === undefined) return failure(unreadable(operation));
    return { ok: true, value: { id: created.Id, created: true } };
  }

  async function findOrCreateContact(
    input: ErpContactInput,
  ): Promise<ErpResult<{ id: string; created: boolean }>> {
    const operation: FailedOperation = { kind: 'write', subject: `customer ${input.name}` };
    const sdk = await connect();
    const names = customerDisplayNames(input);
    const found = await call((callback) => {
      sdk.findCustomers({ DisplayName: [names.plain, names.keyed] }, callback);
    });
    if (!found.ok) return failure(translated(found, { kind: 'read', subject: operation.subject }));
    const choice = chooseCustomer(readCustomers(found.data), input);
    if ('existingId' in choice) return { ok: true, value: { id: choice.existingId, created: false } };
    const created = await createCustomerNamed(sdk, input, choice.createAs, operation);
    // An inactive customer, a vendor or an employee may hold the plain name: QBO's queries skip them.
    if (!created.ok && created.error.code === 'duplicate_name' && choice.createAs === names.plain) {
      return createCustomerNamed(sdk, input, names.keyed, operation);
    }
    return created;
  }

  /** One customer at a time (QBO's budget is 500 calls a minute): a find, then a create if needed. */
  async function findOrCreateContacts(
    inputs: readonly ErpContactInput[],
  ): Promise<Map<string, ErpResult<{ id: string; created: boolean }>>> {
    const answers = new Map<string, ErpResult<{ id: string; created: boolean }>>();
    let stopped: ErpError | undefined;
    for (const input of inputs) {
      if (answers.has(input.customerKey)) continue;
      // A rate limit applies to the customers after it too: they are not sent, and say why.
      const answer: ErpResult<{ id: string; created: boolean }> =
        stopped === undefined ? await findOrCreateContact(input) : { ok: false, error: stopped };
      answers.set(input.customerKey, answer);
      if (!answer.ok && ['rate_limited', 'daily_limit'].includes(answer.error.code)) stopped = answer.error;
    }
    return answers;
  }

  async function createInvoice(
    input: ErpInvoiceInput,
    idempotencyKey: string,
  ): Promise<ErpResult<ErpInvoiceRef>> {
    const operation: FailedOperation = {
      kind: 'write',
      subject: `invoice ${input.number}`,
      invoiceNumber: input.number,
    };
    const sdk = await connect();
    const mapping = await mappingFor(sdk);
    if (!mapping.ok) return mapping;
    const payload = toQuickBooksInvoice(input, mapping.value);
    if (!payload.ok) return payload;
    // node-quickbooks moves requestId to ?requestid= and deletes it from the object it was given,
    // so each attempt builds a fresh object (FACTS §2.3).
    const invoice = { ...payload.value, requestId: requestIdFor(idempotencyKey) };
    const outcome = await call((callback) => {
      sdk.createInvoice(invoice, callback);
    });
    if (!outcome.ok) return failure(translated(outcome, operation));
    return toErpInvoiceRef(outcome.data, input.currency);
  }

  async function createChunk(
    sdk: QuickBooksSdk,
    inputs: readonly { input: ErpInvoiceInput; idempotencyKey: string }[],
  ): Promise<ErpResult<ErpInvoiceRef>[]> {
    const mapping = await mappingFor(sdk);
    if (!mapping.ok) return inputs.map(() => mapping);
    const results: (ErpResult<ErpInvoiceRef> | undefined)[] = inputs.map(() => undefined);
    const payloads = new Map<number, QuickBooksInvoicePayload>();
    inputs.forEach(({ input }, index) => {
      const payload = toQuickBooksInvoice(input, mapping.value);
      if (payload.ok) payloads.set(index, payload.value);
      else results[index] = payload;
    });

    // QBO batches cannot carry a requestid (FACTS §2.3), so DocNumber is the guard: invoices already
    // there (an earlier attempt that timed out) are reported as they are, never created again.
    const numbers = [...payloads.keys()].map((index) => inputs[index]?.input.number ?? '');
    if (numbers.length > 0) {
      const existing = await findInvoicesByNumber(sdk, numbers, {
        kind: 'read',
        subject: 'the invoices in this batch',
      });
      if (!existing.ok) return results.map((result) => result ?? existing);
      for (const entity of existing.value) {
        const ref = toErpInvoiceRef(entity, '');
        if (!ref.ok) continue;
        for (const [index] of payloads) {
          if (inputs[index]?.input.number === ref.value.number && results[index] === undefined) {
            results[index] = ref;
            payloads.delete(index);
          }
        }
      }
    }
    if (payloads.size === 0)
      return results.map((result) => result ?? failure(unreadable({ kind: 'write', subject: 'an invoice' })));

    const items = [...payloads].map(([index, payload]) => ({
      bId: String(index),
      operation: 'create',
      Invoice: payload,
    }));
    const outcome = await call((callback) => {
      sdk.batch(items, callback);
    });
    const operationFor = (index: number): FailedOperation => {
      const number = inputs[index]?.input.number ?? '';
      return { kind: 'write', subject: `invoice ${number}`, invoiceNumber: number };
    };
    if (!outcome.ok) {
      for (const [index] of payloads) results[index] = failure(translated(outcome, operationFor(index)));
    } else {
      const parsed = batchResponse.safeParse(outcome.data);
      const answers = new Map(
        (parsed.success ? parsed.data.BatchItemResponse : []).map((item) => [item.bId, item]),
      );
      for (const [index] of payloads) {
        const answer = answers.get(String(index));
        const [fault] = faultEntries(answer);
        results[index] =
          answer === undefined
            ? failure(unreadable(operationFor(index)))
            : fault !== undefined
              ? failure(translateFault(fault, operationFor(index), faultType(answer)))
              : toErpInvoiceRef(answer.Invoice, inputs[index]?.input.currency ?? '');
      }
    }
    return results.map((result) => result ?? failure(unreadable({ kind: 'write', subject: 'an invoice' })));
  }

  async function createInvoices(
    inputs: readonly { input: ErpInvoiceInput; idempotencyKey: string }[],
  ): Promise<ErpResult<ErpInvoiceRef>[]> {
    if (inputs.length === 0) return [];
    const sdk = await connect();
    const results: ErpResult<ErpInvoiceRef>[] = [];
    for (let start = 0; start < inputs.length; start += quickBooksBatchSize) {
      results.push(...(await createChunk(sdk, inputs.slice(start, start + quickBooksBatchSize))));
    }
    return results;
  }

  async function attachPdf(
    invoiceId: string,
    filename: string,
    pdf: Buffer,
    _idempotencyKey: string,
  ): Promise<ErpResult<{ id: string }>> {
    const operation: FailedOperation = { kind: 'write', subject: `the PDF ${filename}` };
    const sdk = await connect();
    // node-quickbooks' upload takes no requestid, so a file already linked to this invoice under this
    // name counts as done: a retry after a lost answer finds it instead of attaching a second copy.
    const found = await call((callback) => {
      sdk.findAttachables(
        [
          { field: 'AttachableRef.EntityRef.Type', value: 'Invoice' },
          { field: 'AttachableRef.EntityRef.value', value: invoiceId },
        ],
        callback,
      );
    });
    if (!found.ok) return failure(translated(found, { kind: 'read', subject: operation.subject }));
    const existing = queryAttachables.safeParse(found.data);
    const same = existing.success
      ? existing.data.QueryResponse?.Attachable?.find((attachable) => attachable.FileName === filename)
      : undefined;
    if (same !== undefined) return { ok: true, value: { id: same.Id } };

    // NOTE: upload is two calls (POST /upload, then link with POST /attachable?operation=update);
    // if the second fails, QBO keeps an unlinked file and the retry uploads again.
    const outcome = await call((callback) => {
      sdk.upload(filename, 'application/pdf', pdf, 'Invoice', invoiceId, callback);
    });
    if (!outcome.ok) return failure(translated(outcome, operation));
    const attachable = attachableResponse.safeParse(outcome.data);
    if (!attachable.success) return failure(unreadable(operation));
    return { ok: true, value: { id: attachable.data.Id } };
  }

  /**
   * QBO links an invoice to its payments (Invoice.LinkedTxn, TxnType Payment); each payment says how
   * much of it went to which invoice (Line[].LinkedTxn), since one payment may settle several.
   */
  async function getInvoicePayments(invoiceExternalId: string): Promise<ErpResult<ErpPayment[]>> {
    const operation: FailedOperation = { kind: 'read', subject: `invoice ${invoiceExternalId}` };
    const sdk = await connect();
    const read = await call((callback) => {
      sdk.getInvoice(invoiceExternalId, callback);
    });
    if (!read.ok) return failure(translated(read, operation));
    const invoice = invoiceLinks.safeParse(read.data);
    if (!invoice.success) return failure(unreadable(operation));
    const currency = invoice.data.CurrencyRef?.value ?? '';
    const paymentIds = [
      ...new Set(
        (invoice.data.LinkedTxn ?? []).flatMap((link) => (link.TxnType === 'Payment' ? [link.TxnId] : [])),
      ),
    ];
    if (paymentIds.length === 0) return { ok: true, value: [] };
    const found = await call((callback) => {
      sdk.findPayments({ Id: paymentIds }, callback);
    });
    if (!found.ok) return failure(translated(found, operation));
    const parsed = queryPayments.safeParse(found.data);
    if (!parsed.success) return failure(unreadable(operation));
    const payments: ErpPayment[] = [];
    for (const payment of parsed.data.QueryResponse?.Payment ?? []) {
      const applied = (payment.Line ?? []).filter((line) =>
        (line.LinkedTxn ?? []).some((link) => link.TxnType === 'Invoice' && link.TxnId === invoice.data.Id),
      );
      const amounts = applied.map((line) => parseDecimal(String(line.Amount)));
      if (amounts.some((amount) => amount === undefined)) return failure(unreadable(operation));
      const amount = sum(amounts.filter((value) => value !== undefined));
      if (amount.greaterThan(0)) {
        payments.push({ id: payment.Id, amount: toMoneyString(amount, currency), date: payment.TxnDate });
      }
    }
    return { ok: true, value: payments };
  }

  /**
   * Reads the invoice (void already? payments linked?), then voids it with its Id and SyncToken.
   * NOTE: QBO keeps a voided invoice with its amounts zeroed and PrivateNote "Voided".
   */
  async function voidInvoice(invoiceExternalId: string): Promise<ErpResult<ErpVoidOutcome>> {
    const operation: FailedOperation = { kind: 'read', subject: `invoice ${invoiceExternalId}` };
    const sdk = await connect();
    const read = await call((callback) => {
      sdk.getInvoice(invoiceExternalId, callback);
    });
    if (!read.ok) return failure(translated(read, operation));
    const invoice = voidable.safeParse(read.data);
    if (!invoice.success) return failure(unreadable(operation));
    const name = invoice.data.DocNumber ?? invoiceExternalId;
    const total = parseDecimal(String(invoice.data.TotalAmt ?? '0'));
    if (invoice.data.PrivateNote === 'Voided' && total?.isZero() === true) {
      return { ok: true, value: { id: invoice.data.Id, alreadyVoid: true } };
    }
    if ((invoice.data.LinkedTxn ?? []).some((link) => link.TxnType === 'Payment')) {
      return failure({
        retryable: false,
        code: 'has_payments',
        message: `QuickBooks holds payments against invoice ${name}, so it cannot be voided there: remove them in QuickBooks or issue a credit note instead.`,
      });
    }
    const write: FailedOperation = { kind: 'write', subject: `invoice ${name}`, invoiceNumber: name };
    const voided = await call((callback) => {
      sdk.voidInvoice({ Id: invoice.data.Id, SyncToken: invoice.data.SyncToken }, callback);
    });
    if (!voided.ok) return failure(translated(voided, write));
    const answer = voidAnswer.safeParse(voided.data);
    if (!answer.success) return failure(unreadable(write));
    return { ok: true, value: { id: answer.data.Invoice.Id, alreadyVoid: false } };
  }

  /** A CreditMemo with our number as DocNumber, keyed by the ledger row (QBO's requestid). */
  async function createCreditNote(
    input: ErpCreditNoteInput,
    idempotencyKey: string,
  ): Promise<ErpResult<ErpCreditNoteRef>> {
    const operation: FailedOperation = {
      kind: 'write',
      subject: `credit note ${input.number}`,
      invoiceNumber: input.number,
    };
    const sdk = await connect();
    const mapping = await mappingFor(sdk);
    if (!mapping.ok) return mapping;
    const payload = toQuickBooksCreditMemo(input, mapping.value);
    if (!payload.ok) return payload;
    const memo = { ...payload.value, requestId: requestIdFor(idempotencyKey) };
    const outcome = await call((callback) => {
      sdk.createCreditMemo(memo, callback);
    });
    if (!outcome.ok) return failure(translated(outcome, operation));
    return toErpCreditNoteRef(outcome.data, input.currency);
  }

  async function findCreditNoteByNumber(number: string): Promise<ErpResult<ErpCreditNoteRef | null>> {
    const operation: FailedOperation = { kind: 'read', subject: `credit note ${number}` };
    const sdk = await connect();
    const outcome = await call((callback) => {
      sdk.findCreditMemos({ DocNumber: number }, callback);
    });
    if (!outcome.ok) return failure(translated(outcome, operation));
    const parsed = queryCreditMemos.safeParse(outcome.data);
    if (!parsed.success) return failure(unreadable(operation));
    const refs = (parsed.data.QueryResponse?.CreditMemo ?? []).map((entity) =>
      toErpCreditNoteRef(entity, ''),
    );
    const matching = refs.flatMap((ref) => (ref.ok && ref.value.number === number ? [ref.value] : []));
    matching.sort((a, b) => Number(a.id) - Number(b.id));
    return { ok: true, value: matching[0] ?? null };
  }

  /**
   * NOTE: QBO applies a customer's open credit memos to their invoices itself (Automatically apply
   * credits, on by default) or when their next payment is received; billops allocates nothing there.
   */
  function allocateCreditNote(): Promise<ErpResult<{ amount: string }>> {
    return Promise.resolve({ ok: true, value: { amount: '0.00' } });
  }

  return {
    provider: 'quickbooks',
    createCreditNote,
    findCreditNoteByNumber,
    allocateCreditNote,
    voidInvoice,
    findInvoiceByNumber,
    findOrCreateContacts,
    createInvoice,
    createInvoices,
    attachPdf,
    getInvoicePayments,
  };
}
