import { createHash } from 'node:crypto';

import {
  AccountingApi,
  Allocation,
  Allocations,
  Contact,
  Contacts,
  CreditNote,
  CreditNotes,
  Invoice,
  Invoices,
} from 'xero-node';

import { Decimal } from '../../money/decimal.ts';
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
import { toXeroContact } from './contact-mapping.ts';
import { toCreditNoteRef, toXeroCreditNote } from './credit-note-mapping.ts';
import { toInvoiceRef, toXeroInvoice, XERO_UNIT_DECIMALS } from './invoice-mapping.ts';
import { fromXeroAmount, toXeroNumber } from './xero-amounts.ts';
import { toErpPayments } from './payment-mapping.ts';
import { SessionAuthentication } from './session-auth.ts';
import { translateXeroFailure, validationCode, type XeroOperation } from './xero-errors.ts';
import { whereEquals } from './where-clause.ts';
import { xeroModel } from './xero-models.ts';

export const XERO_API_URL = 'https://api.xero.com/api.xro/2.0';
// NOTE: Xero asks for batches of at most 50 elements per request (and bodies under 3.5 MB).
export const XERO_BATCH_SIZE = 50;
// NOTE: the SDK documents Idempotency-Key as 128 characters at most.
const MAX_IDEMPOTENCY_KEY = 128;
const DEFAULT_TIMEOUT_MS = 60_000;

export interface XeroClientOptions {
  session: ErpSession;
  /** The Accounting API base (AccountingApi.basePath); a local Xero's `apiUrl` in tests. */
  apiUrl?: string;
  /** Per request; a call with no answer by then is `timeout` (uncertain for writes). */
  timeoutMs?: number;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Keys longer than Xero takes are hashed, so the same ledger key always sends the same header. */
function headerKey(key: string): string {
  return key.length <= MAX_IDEMPOTENCY_KEY ? key : `sha256-${sha256(key)}`;
}

/** One request's key for a batch: a single invoice keeps its own; a batch hashes its members' keys. */
function batchKey(keys: readonly string[]): string {
  const [only] = keys;
  return keys.length === 1 && only !== undefined ? headerKey(only) : `batch-${sha256(keys.join('\n'))}`;
}

function failed(error: ErpError): { ok: false; error: ErpError } {
  return { ok: false, error };
}

function unexpectedAnswer(what: string): ErpError {
  return {
    retryable: false,
    code: 'unexpected_response',
    message: `Xero's answer to ${what} was incomplete.`,
  };
}

/** Picks the invoice a number names: one not deleted or voided when there are several. */
function bestByNumber(invoices: readonly Invoice[], number: string): Invoice | undefined {
  const exact = invoices.filter((invoice) => invoice.invoiceNumber === number);
  const live = exact.find((invoice) => !['DELETED', 'VOIDED'].includes(String(invoice.status)));
  return live ?? exact[0];
}

type Submission = { index: number; input: ErpInvoiceInput; idempotencyKey: string; invoice: Invoice };

type ContactAnswer = ErpResult<{ id: string; created: boolean }>;

function contactSubject(input: ErpContactInput): string {
  return `the contact for customer ${input.customerKey}`;
}

/** One PUT Contacts' key: a single customer keeps `contact-<key>`; several hash their sorted keys. */
function contactsKey(sortedKeys: readonly string[]): string {
  const [only] = sortedKeys;
  return sortedKeys.length === 1 && only !== undefined
    ? headerKey(`contact-${only}`)
    : `contacts-${sha256(sortedKeys.join('\n'))}`;
}

/** What Xero answered for one contact of a PUT Contacts (summarizeErrors=false): its id, or why not. */
function createdContact(input: ErpContactInput, contact: Contact | undefined): ContactAnswer {
  const subject = contactSubject(input);
  const messages = (contact?.validationErrors ?? []).flatMap((entry) =>
    entry.message === undefined ? [] : [entry.message],
  );
  if (messages.some((message) => /already assigned to another contact/i.test(message))) {
    return failed({
      retryable: false,
      code: 'contact_name_taken',
      message: `Xero already has a contact named "${input.name}" that is not linked to customer ${input.customerKey}. Set that contact's Contact number to ${input.customerKey} in Xero (or rename the customer), then retry.`,
    });
  }
  if (
    messages.length > 0 ||
    contact?.hasValidationErrors === true ||
    contact?.statusAttributeString === 'ERROR'
  ) {
    return failed({
      retryable: false,
      code: 'validation',
      message: `Xero rejected ${subject}: ${messages.join('; ') || 'no reason given'}`,
    });
  }
  if (contact?.contactID === undefined) return failed(unexpectedAnswer(`creating ${subject}`));
  return { ok: true, value: { id: contact.contactID, created: true } };
}

/** The Xero ErpClient over xero-node's AccountingApi, for one connected organisation (session.tenantId). */
export function createXeroClient(options: XeroClientOptions): ErpClient {
  const { session } = options;
  const api = new AccountingApi(options.apiUrl ?? XERO_API_URL);
  api.setDefaultAuthentication(new SessionAuthentication(session, options.timeoutMs ?? DEFAULT_TIMEOUT_MS));

  async function attempt<T>(operation: XeroOperation, call: () => Promise<T>): Promise<ErpResult<T>> {
    try {
      return { ok: true, value: await call() };
    } catch (error) {
      return failed(translateXeroFailure(error, operation));
    }
  }

  /** One PUT Invoices of up to 50, each invoice succeeding or failing alone (summarizeErrors=false). */
  async function submitBatch(batch: readonly Submission[]): Promise<ErpResult<ErpInvoiceRef>[]> {
    const [first] = batch;
    const what =
      batch.length === 1 && first !== undefined
        ? `creating invoice ${first.input.number}`
        : `creating ${batch.length} invoices`;
    const subject =
      batch.length === 1 && first !== undefined ? `invoice ${first.input.number}` : 'the invoices';
    const sent = await attempt({ what, subject, write: true }, () =>
      api.createInvoices(
        session.tenantId,
        xeroModel(Invoices, { invoices: batch.map((submission) => submission.invoice) }),
        false,
        XERO_UNIT_DECIMALS,
        batchKey(batch.map((submission) => submission.idempotencyKey)),
      ),
    );
    if (!sent.ok) return batch.map(() => sent);
    const returned = sent.value.body.invoices ?? [];
    return batch.map((submission, position) => {
      const { number } = submission.input;
      const candidate = returned[position];
      const invoice =
        candidate?.invoiceNumber === number ? candidate : (bestByNumber(returned, number) ?? candidate);
      if (invoice === undefined) return failed(unexpectedAnswer(`creating invoice ${number}`));
      const messages = (invoice.validationErrors ?? []).flatMap((entry) =>
        entry.message === undefined ? [] : [entry.message],
      );
      if (invoice.hasErrors === true || invoice.statusAttributeString === 'ERROR' || messages.length > 0) {
        const reasons = messages.length > 0 ? messages.join('; ') : 'no reason given';
        return failed({
          retryable: false,
          code: validationCode(messages),
          message: `Xero rejected invoice ${number}: ${reasons}`,
        });
      }
      const ref = toInvoiceRef(invoice, submission.input.currency);
      return ref === undefined
        ? failed(unexpectedAnswer(`creating invoice ${number}`))
        : { ok: true, value: ref };
    });
  }

  async function createInvoices(
    inputs: readonly { input: ErpInvoiceInput; idempotencyKey: string }[],
  ): Promise<ErpResult<ErpInvoiceRef>[]> {
    const results: ErpResult<ErpInvoiceRef>[] = [];
    const submissions: Submission[] = [];
    for (const [index, { input, idempotencyKey }] of inputs.entries()) {
      const mapped = toXeroInvoice(input);
      if (mapped.ok) submissions.push({ index, input, idempotencyKey, invoice: mapped.value });
      else results[index] = mapped;
    }
    let stopped: ErpError | undefined;
    for (let start = 0; start < submissions.length; start += XERO_BATCH_SIZE) {
      const batch = submissions.slice(start, start + XERO_BATCH_SIZE);
      // A rate limit applies to the batches after it too: they are not sent, and say why.
      const limit = stopped;
      const outcomes = limit === undefined ? await submitBatch(batch) : batch.map(() => failed(limit));
      batch.forEach((submission, position) => {
        const outcome = outcomes[position] ?? failed(unexpectedAnswer('creating invoices'));
        results[submission.index] = outcome;
        if (!outcome.ok && ['rate_limited', 'daily_limit'].includes(outcome.error.code))
          stopped = outcome.error;
      });
    }
    return results;
  }

  /**
   * One chunk of up to 50 customers: ONE GET Contacts whose `where` ORs their ContactNumbers (archived
   * included, so an archived one is reported rather than duplicated), then ONE PUT Contacts of those
   * not found, each succeeding or failing alone (summarizeErrors=false). NOTE: 50 numbers match at
   * most 50 contacts, within the first page even where Xero pages Contacts by 100.
   */
  async function findOrCreateChunk(chunk: readonly ErpContactInput[]): Promise<Map<string, ContactAnswer>> {
    const answers = new Map<string, ContactAnswer>();
    const [only] = chunk;
    const single = chunk.length === 1 && only !== undefined;
    const subject = single ? contactSubject(only) : `the contacts of ${chunk.length} customers`;
    const where = chunk.map((input) => whereEquals('ContactNumber', input.customerKey)).join(' OR ');
    const existing = await attempt({ what: `finding ${subject}`, subject, write: false }, () =>
      api.getContacts(session.tenantId, undefined, where, undefined, undefined, undefined, true),
    );
    if (!existing.ok) return new Map(chunk.map((input) => [input.customerKey, existing]));
    const found = existing.value.body.contacts ?? [];
    const missing: { input: ErpContactInput; contact: Contact }[] = [];
    for (const input of chunk) {
      const match = found.find((contact) => contact.contactNumber === input.customerKey);
      if (match?.contactID === undefined) {
        const mapped = toXeroContact(input);
        if (mapped.ok) missing.push({ input, contact: mapped.value });
        else answers.set(input.customerKey, mapped);
      } else if (String(match.contactStatus) === 'ARCHIVED') {
        answers.set(
          input.customerKey,
          failed({
            retryable: false,
            code: 'contact_archived',
            message: `Xero contact "${match.name ?? input.name}" (customer ${input.customerKey}) is archived. Restore it in Xero, then retry.`,
          }),
        );
      } else answers.set(input.customerKey, { ok: true, value: { id: match.contactID, created: false } });
    }
    if (missing.length === 0) return answers;

    const [alone] = missing;
    const creating =
      missing.length === 1 && alone !== undefined
        ? contactSubject(alone.input)
        : `the contacts of ${missing.length} customers`;
    const keys = missing.map(({ input }) => input.customerKey).sort();
    const created = await attempt({ what: `creating ${creating}`, subject: creating, write: true }, () =>
      api.createContacts(
        session.tenantId,
        xeroModel(Contacts, { contacts: missing.map(({ contact }) => contact) }),
        false,
        contactsKey(keys),
      ),
    );
    if (!created.ok) {
      for (const { input } of missing) answers.set(input.customerKey, created);
      return answers;
    }
    const returned = created.value.body.contacts ?? [];
    missing.forEach(({ input }, position) => {
      const candidate = returned[position];
      const contact =
        candidate?.contactNumber === input.customerKey
          ? candidate
          : (returned.find((element) => element.contactNumber === input.customerKey) ?? candidate);
      answers.set(input.customerKey, createdContact(input, contact));
    });
    return answers;
  }

  async function findOrCreateContacts(
    inputs: readonly ErpContactInput[],
  ): Promise<Map<string, ContactAnswer>> {
    const unique = [...new Map(inputs.map((input) => [input.customerKey, input])).values()];
    const answers = new Map<string, ContactAnswer>();
    let stopped: ErpError | undefined;
    for (let start = 0; start < unique.length; start += XERO_BATCH_SIZE) {
      const chunk = unique.slice(start, start + XERO_BATCH_SIZE);
      // A rate limit applies to the chunks after it too: they are not sent, and say why.
      const limit = stopped;
      const outcomes =
        limit === undefined
          ? await findOrCreateChunk(chunk)
          : new Map(chunk.map((input) => [input.customerKey, failed(limit)]));
      for (const input of chunk) {
        const outcome =
          outcomes.get(input.customerKey) ?? failed(unexpectedAnswer(`finding ${contactSubject(input)}`));
        answers.set(input.customerKey, outcome);
        if (!outcome.ok && ['rate_limited', 'daily_limit'].includes(outcome.error.code))
          stopped = outcome.error;
      }
    }
    return answers;
  }

  /** The credit note as Xero holds it, by its id. */
  async function readCreditNote(id: string): Promise<ErpResult<CreditNote>> {
    const subject = `Xero credit note ${id}`;
    const found = await attempt({ what: `reading ${subject}`, subject, write: false }, () =>
      api.getCreditNote(session.tenantId, id),
    );
    if (!found.ok) return found;
    const note = (found.value.body.creditNotes ?? []).find(
      (candidate) => candidate.creditNoteID?.toLowerCase() === id.toLowerCase(),
    );
    return note === undefined ? failed(unexpectedAnswer(`reading ${subject}`)) : { ok: true, value: note };
  }

  return {
    provider: 'xero',

    async createCreditNote(
      input: ErpCreditNoteInput,
      idempotencyKey: string,
    ): Promise<ErpResult<ErpCreditNoteRef>> {
      const mapped = toXeroCreditNote(input);
      if (!mapped.ok) return mapped;
      const what = `creating credit note ${input.number}`;
      const sent = await attempt({ what, subject: `credit note ${input.number}`, write: true }, () =>
        api.createCreditNotes(
          session.tenantId,
          xeroModel(CreditNotes, { creditNotes: [mapped.value] }),
          false,
          XERO_UNIT_DECIMALS,
          headerKey(idempotencyKey),
        ),
      );
      if (!sent.ok) return sent;
      const [note] = sent.value.body.creditNotes ?? [];
      if (note === undefined) return failed(unexpectedAnswer(what));
      const messages = (note.validationErrors ?? []).flatMap((entry) =>
        entry.message === undefined ? [] : [entry.message],
      );
      if (note.hasErrors === true || note.statusAttributeString === 'ERROR' || messages.length > 0) {
        return failed({
          retryable: false,
          code: validationCode(messages.map((message) => message.replace(/credit note/i, 'invoice'))),
          message: `Xero rejected credit note ${input.number}: ${messages.join('; ') || 'no reason given'}`,
        });
      }
      const ref = toCreditNoteRef(note, input.currency);
      return ref === undefined ? failed(unexpectedAnswer(what)) : { ok: true, value: ref };
    },

    async findCreditNoteByNumber(number: string): Promise<ErpResult<ErpCreditNoteRef | null>> {
      const found = await attempt(
        { what: `looking up credit note ${number}`, subject: `credit note ${number}`, write: false },
        () => api.getCreditNotes(session.tenantId, undefined, whereEquals('CreditNoteNumber', number)),
      );
      if (!found.ok) return found;
      const exact = (found.value.body.creditNotes ?? []).filter((note) => note.creditNoteNumber === number);
      const note =
        exact.find((candidate) => !['DELETED', 'VOIDED'].includes(String(candidate.status))) ?? exact[0];
      if (note === undefined) return { ok: true, value: null };
      const ref = toCreditNoteRef(note, '');
      return ref === undefined
        ? failed(unexpectedAnswer(`looking up credit note ${number}`))
        : { ok: true, value: ref };
    },

    /** Reads the credit note's remaining credit and the invoice's amount due, then allocates the least. */
    async allocateCreditNote(
      creditNoteExternalId: string,
      invoiceExternalId: string,
      maxAmount: string,
      idempotencyKey: string,
    ): Promise<ErpResult<{ amount: string }>> {
      const note = await readCreditNote(creditNoteExternalId);
      if (!note.ok) return note;
      const invoiceRead = await attempt(
        {
          what: `reading Xero invoice ${invoiceExternalId}`,
          subject: `invoice ${invoiceExternalId}`,
          write: false,
        },
        () => api.getInvoice(session.tenantId, invoiceExternalId),
      );
      if (!invoiceRead.ok) return invoiceRead;
      const invoice = (invoiceRead.value.body.invoices ?? []).find(
        (candidate) => candidate.invoiceID?.toLowerCase() === invoiceExternalId.toLowerCase(),
      );
      const currency = note.value.currencyCode === undefined ? '' : String(note.value.currencyCode);
      const remaining = fromXeroAmount(note.value.remainingCredit ?? 0, currency);
      const due = fromXeroAmount(invoice?.amountDue ?? 0, currency);
      if (invoice === undefined || remaining === undefined || due === undefined)
        return failed(unexpectedAnswer(`allocating credit note ${note.value.creditNoteNumber ?? ''}`));
      const amount = Decimal.min(new Decimal(maxAmount), new Decimal(remaining), new Decimal(due));
      const zero = { ok: true as const, value: { amount: new Decimal(0).toFixed(2) } };
      if (amount.lessThanOrEqualTo(0) || String(invoice.status) !== 'AUTHORISED') return zero;
      const sentAmount = toXeroNumber(amount.toFixed());
      if (sentAmount === undefined) return failed(unexpectedAnswer('allocating a credit note'));
      const name = note.value.creditNoteNumber ?? creditNoteExternalId;
      const allocated = await attempt(
        {
          what: `allocating credit note ${name} to invoice ${invoice.invoiceNumber ?? invoiceExternalId}`,
          subject: `credit note ${name}`,
          write: true,
        },
        () =>
          api.createCreditNoteAllocation(
            session.tenantId,
            note.value.creditNoteID ?? creditNoteExternalId,
            xeroModel(Allocations, {
              allocations: [
                xeroModel(Allocation, {
                  invoice: xeroModel(Invoice, { invoiceID: invoice.invoiceID }),
                  amount: sentAmount,
                  date: new Date().toISOString().slice(0, 10),
                }),
              ],
            }),
            false,
            headerKey(idempotencyKey),
          ),
      );
      if (!allocated.ok) return allocated;
      const [answer] = allocated.value.body.allocations ?? [];
      const messages = (answer?.validationErrors ?? []).flatMap((entry) =>
        entry.message === undefined ? [] : [entry.message],
      );
      if (answer === undefined || messages.length > 0) {
        return failed({
          retryable: false,
          code: 'validation',
          message: `Xero refused to allocate credit note ${name}: ${messages.join('; ') || 'no reason given'}`,
        });
      }
      return { ok: true, value: { amount: amount.toFixed(2) } };
    },

    async findInvoiceByNumber(number: string): Promise<ErpResult<ErpInvoiceRef | null>> {
      const found = await attempt(
        { what: `looking up invoice ${number}`, subject: `invoice ${number}`, write: false },
        () =>
          // NOTE: xero-node joins InvoiceNumbers with commas, so a number holding one is looked up by `where`.
          number.includes(',')
            ? api.getInvoices(session.tenantId, undefined, whereEquals('InvoiceNumber', number))
            : api.getInvoices(session.tenantId, undefined, undefined, undefined, undefined, [number]),
      );
      if (!found.ok) return found;
      const invoice = bestByNumber(found.value.body.invoices ?? [], number);
      if (invoice === undefined) return { ok: true, value: null };
      const ref = toInvoiceRef(invoice, '');
      return ref === undefined
        ? failed(unexpectedAnswer(`looking up invoice ${number}`))
        : { ok: true, value: ref };
    },

    findOrCreateContacts,

    async createInvoice(input: ErpInvoiceInput, idempotencyKey: string): Promise<ErpResult<ErpInvoiceRef>> {
      const [result] = await createInvoices([{ input, idempotencyKey }]);
      return result ?? failed(unexpectedAnswer(`creating invoice ${input.number}`));
    },

    createInvoices,

    async attachPdf(
      invoiceId: string,
      filename: string,
      pdf: Buffer,
      idempotencyKey: string,
    ): Promise<ErpResult<{ id: string }>> {
      const attached = await attempt(
        {
          what: `attaching ${filename} to the Xero invoice`,
          subject: `the attachment ${filename}`,
          write: true,
        },
        () =>
          api.createInvoiceAttachmentByFileName(
            session.tenantId,
            invoiceId,
            filename,
            pdf,
            true,
            headerKey(idempotencyKey),
            {
              headers: { 'Content-Type': 'application/pdf' },
            },
          ),
      );
      if (!attached.ok) return attached;
      const id = attached.value.body.attachments?.[0]?.attachmentID;
      return id === undefined
        ? failed(unexpectedAnswer(`attaching ${filename}`))
        : { ok: true, value: { id } };
    },

    async getInvoicePayments(invoiceExternalId: string): Promise<ErpResult<ErpPayment[]>> {
      const what = `reading the payments on Xero invoice ${invoiceExternalId}`;
      const found = await attempt({ what, subject: `invoice ${invoiceExternalId}`, write: false }, () =>
        api.getInvoice(session.tenantId, invoiceExternalId),
      );
      if (!found.ok) return found;
      const invoice = (found.value.body.invoices ?? []).find(
        (candidate) => candidate.invoiceID?.toLowerCase() === invoiceExternalId.toLowerCase(),
      );
      if (invoice === undefined) return failed(unexpectedAnswer(what));
      const payments = toErpPayments(invoice, '');
      return payments === undefined ? failed(unexpectedAnswer(what)) : { ok: true, value: payments };
    },

    /** Reads the invoice (void already? paid?), then POSTs Status VOIDED to it. */
    async voidInvoice(invoiceExternalId: string): Promise<ErpResult<ErpVoidOutcome>> {
      const subject = `Xero invoice ${invoiceExternalId}`;
      const found = await attempt({ what: `reading ${subject}`, subject, write: false }, () =>
        api.getInvoice(session.tenantId, invoiceExternalId),
      );
      if (!found.ok) return found;
      const invoice = (found.value.body.invoices ?? []).find(
        (candidate) => candidate.invoiceID?.toLowerCase() === invoiceExternalId.toLowerCase(),
      );
      if (invoice?.invoiceID === undefined) return failed(unexpectedAnswer(`reading ${subject}`));
      const name = invoice.invoiceNumber ?? invoiceExternalId;
      if (String(invoice.status) === 'VOIDED') {
        return { ok: true, value: { id: invoice.invoiceID, alreadyVoid: true } };
      }
      if ((invoice.payments ?? []).length > 0 || String(invoice.status) === 'PAID') {
        return failed({
          retryable: false,
          code: 'has_payments',
          message: `Xero holds payments against invoice ${name}, so it cannot be voided there: remove them in Xero or issue a credit note instead.`,
        });
      }
      const voided = await attempt(
        { what: `voiding invoice ${name}`, subject: `invoice ${name}`, write: true },
        () =>
          api.updateInvoice(
            session.tenantId,
            invoice.invoiceID ?? invoiceExternalId,
            xeroModel(Invoices, {
              invoices: [
                xeroModel(Invoice, { invoiceID: invoice.invoiceID, status: Invoice.StatusEnum.VOIDED }),
              ],
            }),
            undefined,
            headerKey(`void-${invoiceExternalId}`),
          ),
      );
      if (!voided.ok) return voided;
      const [answer] = voided.value.body.invoices ?? [];
      if (answer === undefined || String(answer.status) !== 'VOIDED') {
        return failed(unexpectedAnswer(`voiding invoice ${name}`));
      }
      return { ok: true, value: { id: invoice.invoiceID, alreadyVoid: false } };
    },
  };
}
