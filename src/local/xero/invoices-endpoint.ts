import { randomUUID } from 'node:crypto';

import { readInvoiceElement, type InvoiceContact, type InvoiceDraft } from './invoice-validation.ts';
import type { OrganisationBooks, StoredInvoice } from './org-books.ts';
import { compileWhere, QueryParseError } from './where-filter.ts';
import {
  badRequest,
  notFound,
  ok,
  validationErrors,
  validationException,
  wireInvoice,
  type WireRecord,
  type XeroAnswer,
} from './wire-format.ts';
import {
  flagParameter,
  listParameter,
  pageOf,
  parameter,
  writeElements,
  type XeroRequest,
} from './xero-request.ts';
import { text } from './wire-values.ts';

const NO_ID = '00000000-0000-0000-0000-000000000000';

export function invoiceToWire(books: OrganisationBooks, invoice: StoredInvoice): WireRecord {
  return wireInvoice(
    invoice,
    books.contacts.get(invoice.contactId),
    books.attachmentsOf(invoice.invoiceId).length,
  );
}

function findInvoice(books: OrganisationBooks, idOrNumber: string): StoredInvoice | undefined {
  return (
    books.invoices.get(idOrNumber.toLowerCase()) ??
    [...books.invoices.values()].find((invoice) => invoice.invoiceNumber === idOrNumber)
  );
}

/** GET Invoices (IDs, InvoiceNumbers, ContactIDs, Statuses, where, page) and GET Invoices/{id|number}. */
export function getInvoices(request: XeroRequest): XeroAnswer {
  const { books, query } = request;
  const single = request.segments[1];
  if (single !== undefined) {
    const invoice = findInvoice(books, single);
    return invoice === undefined
      ? notFound()
      : ok(request.now, { Invoices: [invoiceToWire(books, invoice)] });
  }
  const ids = listParameter(query, 'IDs')?.map((id) => id.toLowerCase());
  const numbers = listParameter(query, 'InvoiceNumbers');
  const contactIds = listParameter(query, 'ContactIDs')?.map((id) => id.toLowerCase());
  const statuses = listParameter(query, 'Statuses');
  let matches: (record: WireRecord) => boolean = () => true;
  const where = parameter(query, 'where');
  if (where !== undefined && where.trim() !== '') {
    try {
      matches = compileWhere(where);
    } catch (error) {
      if (error instanceof QueryParseError) return badRequest('QueryParseException', error.message, 16);
      throw error;
    }
  }
  const found = [...books.invoices.values()]
    .filter((invoice) => ids === undefined || ids.includes(invoice.invoiceId))
    .filter((invoice) => numbers === undefined || numbers.includes(invoice.invoiceNumber))
    .filter((invoice) => contactIds === undefined || contactIds.includes(invoice.contactId))
    .filter((invoice) => statuses === undefined || statuses.includes(invoice.status))
    .map((invoice) => invoiceToWire(books, invoice))
    .filter(matches);
  return ok(request.now, { Invoices: pageOf(found, query) });
}

function commit(
  books: OrganisationBooks,
  draft: InvoiceDraft,
  now: Date,
  invoiceId: string = randomUUID(),
): StoredInvoice {
  const contactId = contactIdFor(books, draft.contact, now);
  const existing = books.invoices.get(invoiceId);
  const invoice: StoredInvoice = {
    invoiceId,
    invoiceNumber: draft.invoiceNumber ?? books.allocateInvoiceNumber(draft.type),
    type: draft.type,
    status: draft.status,
    contactId,
    reference: draft.reference,
    currencyCode: draft.currencyCode,
    date: draft.date,
    dueDate: draft.dueDate,
    lineAmountTypes: draft.lineAmountTypes,
    lineItems: draft.lineItems.map((line) => ({ lineItemId: randomUUID(), ...line })),
    subTotal: draft.totals.subTotal.toFixed(2),
    totalTax: draft.totals.totalTax.toFixed(2),
    total: draft.totals.total.toFixed(2),
    totalDiscount: draft.totalDiscount.toFixed(2),
    payments: existing?.payments ?? [],
    credits: existing?.credits ?? [],
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  books.invoices.set(invoiceId, invoice);
  return invoice;
}

/** Status changes Xero allows on an existing invoice through POST. */
const STATUS_CHANGES: Record<string, readonly string[]> = {
  DRAFT: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  SUBMITTED: ['DRAFT', 'SUBMITTED', 'AUTHORISED', 'DELETED'],
  AUTHORISED: ['AUTHORISED', 'VOIDED'],
};

type Outcome = { ok: true; act: () => StoredInvoice } | { ok: false; errors: string[] };

function updateExisting(
  request: XeroRequest,
  existing: StoredInvoice,
  element: Record<string, unknown>,
  batchNumbers: Set<string>,
): Outcome {
  const { books, now } = request;
  const status = text(element.Status) ?? existing.status;
  if (!(STATUS_CHANGES[existing.status] ?? []).includes(status)) {
    return { ok: false, errors: [`This invoice cannot be changed from ${existing.status} to ${status}.`] };
  }
  const statusOnly = Object.keys(element).every((key) => /^(InvoiceID|InvoiceNumber|Status|Type)$/.test(key));
  // NOTE: Xero refuses to void or edit an invoice with payments applied until they are removed.
  const allocated = existing.payments.length + (existing.credits ?? []).length;
  if (allocated > 0 && !(statusOnly && status === existing.status)) {
    return {
      ok: false,
      errors: ['This document cannot be edited as it has a payment or credit note allocated to it.'],
    };
  }
  if (status === 'DELETED' || status === 'VOIDED' || statusOnly) {
    return {
      ok: true,
      act: () => {
        const updated = { ...existing, status, updatedAt: now };
        books.invoices.set(existing.invoiceId, updated);
        return updated;
      },
    };
  }
  const merged = { ...invoiceToWire(books, existing), ...element, Status: status };
  const read = readInvoiceElement(merged, { books, unitdp: unitdpOf(request), today: today(now) });
  const errors = read.ok ? numberErrors(books, read.draft, batchNumbers, existing.invoiceId) : read.errors;
  if (!read.ok || errors.length > 0) return { ok: false, errors };
  const { draft } = read;
  return { ok: true, act: () => commit(books, draft, now, existing.invoiceId) };
}

function numberErrors(
  books: OrganisationBooks,
  draft: InvoiceDraft,
  batchNumbers: Set<string>,
  ownId?: string,
): string[] {
  if (draft.invoiceNumber === undefined || draft.type !== 'ACCREC') return [];
  const key = draft.invoiceNumber.toLowerCase();
  const taken =
    batchNumbers.has(key) ||
    books.invoicesNumbered(draft.invoiceNumber, draft.type).some((invoice) => invoice.invoiceId !== ownId);
  return taken ? ['Invoice # must be unique.'] : [];
}

export function unitdpOf(request: XeroRequest): number {
  return parameter(request.query, 'unitdp') === '4' ? 4 : 2;
}

export function today(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * PUT Invoices (create only) and POST Invoices (create or update). With summarizeErrors=false each element
 * succeeds or fails alone and the answer is 200; otherwise one bad element fails the request with a 400.
 */
export function writeInvoices(request: XeroRequest, mode: 'create' | 'upsert', pathId?: string): XeroAnswer {
  const body = writeElements(request, 'Invoices');
  if (!body.ok) return body.answer;
  if (pathId !== undefined) {
    // NOTE: POST Invoices/{id} updates the invoice the path names, whatever the element's InvoiceID says.
    const target = findInvoice(request.books, pathId);
    if (target === undefined) return notFound();
    body.elements.forEach((element) => {
      element.InvoiceID = target.invoiceId;
    });
  }
  const { books, now } = request;
  const summarizeErrors = flagParameter(request.query, 'summarizeErrors', true);
  const batchNumbers = new Set<string>();
  const planned: { element: Record<string, unknown>; act: () => StoredInvoice; errors: string[] }[] = [];

  for (const element of body.elements) {
    const invoiceId = text(element.InvoiceID)?.toLowerCase();
    const number = text(element.InvoiceNumber);
    const existing =
      mode === 'upsert'
        ? ((invoiceId === undefined ? undefined : books.invoices.get(invoiceId)) ??
          (number === undefined
            ? undefined
            : books.invoicesNumbered(number, text(element.Type) ?? 'ACCREC')[0]))
        : undefined;
    const injected = request.injectedValidation === undefined ? [] : [request.injectedValidation];
    if (mode === 'upsert' && invoiceId !== undefined && existing === undefined) {
      planned.push({
        element,
        act: () => unreachable(),
        errors: [`Invoice with ID ${invoiceId} could not be found.`],
      });
      continue;
    }
    if (existing !== undefined) {
      if (injected.length > 0) {
        planned.push({ element, act: () => unreachable(), errors: injected });
        continue;
      }
      const outcome = updateExisting(request, existing, element, batchNumbers);
      if (outcome.ok) planned.push({ element, act: outcome.act, errors: [] });
      else planned.push({ element, act: () => unreachable(), errors: outcome.errors });
      continue;
    }
    const read = readInvoiceElement(element, { books, unitdp: unitdpOf(request), today: today(now) });
    const errors = [...(read.ok ? numberErrors(books, read.draft, batchNumbers) : read.errors), ...injected];
    if (read.ok && read.draft.invoiceNumber !== undefined)
      batchNumbers.add(read.draft.invoiceNumber.toLowerCase());
    const draft = read.ok ? read.draft : undefined;
    planned.push({
      element,
      act: () => (draft === undefined ? unreachable() : commit(books, draft, now)),
      errors,
    });
  }

  const failed = planned.filter((plan) => plan.errors.length > 0);
  if (summarizeErrors && failed.length > 0) {
    return validationException(failed.map((plan) => rejectedElement(plan.element, plan.errors)));
  }
  const answered = planned.map((plan) => {
    if (plan.errors.length > 0) return rejectedElement(plan.element, plan.errors);
    const wire = invoiceToWire(books, plan.act());
    return summarizeErrors ? wire : { ...wire, StatusAttributeString: 'OK' };
  });
  return ok(now, { Invoices: answered });
}

function rejectedElement(element: Record<string, unknown>, errors: string[]): WireRecord {
  return {
    ...element,
    InvoiceID: text(element.InvoiceID) ?? NO_ID,
    HasErrors: true,
    StatusAttributeString: 'ERROR',
    ValidationErrors: validationErrors(errors),
  };
}

function unreachable(): never {
  throw new Error('a rejected invoice element was committed');
}

/** The draft's contact: the one it names, or a new one created by name, as Xero does on a write. */
export function contactIdFor(books: OrganisationBooks, contact: InvoiceContact, now: Date): string {
  if (contact.kind === 'existing') return contact.contactId;
  const contactId = randomUUID();
  books.contacts.set(contactId, {
    contactId,
    name: contact.name,
    contactNumber: undefined,
    emailAddress: undefined,
    taxNumber: undefined,
    defaultCurrency: undefined,
    addresses: [],
    status: 'ACTIVE',
    updatedAt: now,
  });
  return contactId;
}
