import { randomUUID } from 'node:crypto';

import { Decimal, sum } from '../../money/decimal.ts';
import { readInvoiceElement } from './invoice-validation.ts';
import { contactIdFor, today, unitdpOf } from './invoices-endpoint.ts';
import type { OrganisationBooks, StoredCreditAllocation, StoredCreditNote } from './org-books.ts';
import { compileWhere, QueryParseError } from './where-filter.ts';
import {
  badRequest,
  notFound,
  ok,
  paidAndDue,
  validationErrors,
  validationException,
  wireCreditNote,
  type WireRecord,
  type XeroAnswer,
} from './wire-format.ts';
import { flagParameter, pageOf, parameter, writeElements, type XeroRequest } from './xero-request.ts';
import { dayOf, decimal, isRecord, text } from './wire-values.ts';

// Credit notes (PUT/POST CreditNotes, GET CreditNotes) and their allocation to invoices
// (PUT CreditNotes/{id}/Allocations), in Xero's wire format. A credit note is read and validated as an
// invoice is (contact, account codes, tax types, amounts); an allocation lowers the invoice's AmountDue
// and the note's RemainingCredit, and may pay the invoice off (PAID).

const NO_ID = '00000000-0000-0000-0000-000000000000';
const CREDIT_TYPES: Record<string, string> = { ACCRECCREDIT: 'ACCREC', ACCPAYCREDIT: 'ACCPAY' };

function toWire(books: OrganisationBooks, note: StoredCreditNote): WireRecord {
  return wireCreditNote(note, books.contacts.get(note.contactId));
}

function findCreditNote(books: OrganisationBooks, idOrNumber: string): StoredCreditNote | undefined {
  return (
    books.creditNotes.get(idOrNumber.toLowerCase()) ??
    [...books.creditNotes.values()].find((note) => note.creditNoteNumber === idOrNumber)
  );
}

/** GET CreditNotes (where, page) and GET CreditNotes/{id|number}. */
export function getCreditNotes(request: XeroRequest): XeroAnswer {
  const { books, query } = request;
  const single = request.segments[1];
  if (single !== undefined) {
    const note = findCreditNote(books, single);
    return note === undefined ? notFound() : ok(request.now, { CreditNotes: [toWire(books, note)] });
  }
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
  const found = [...books.creditNotes.values()].map((note) => toWire(books, note)).filter(matches);
  return ok(request.now, { CreditNotes: pageOf(found, query) });
}

type Planned = { element: Record<string, unknown>; errors: string[]; act: () => StoredCreditNote };

/** Reads one credit note element the way an invoice is read; every problem is reported. */
function plan(request: XeroRequest, element: Record<string, unknown>, batchNumbers: Set<string>): Planned {
  const { books, now } = request;
  const errors: string[] = [];
  const typeText = text(element.Type) ?? '';
  const invoiceType = CREDIT_TYPES[typeText];
  if (invoiceType === undefined) errors.push('Credit Note Type must be ACCRECCREDIT or ACCPAYCREDIT.');
  if (text(element.CreditNoteID) !== undefined) errors.push('Updating a credit note is not supported here.');
  const number = text(element.CreditNoteNumber);
  const read = readInvoiceElement(
    {
      ...element,
      Type: invoiceType ?? 'ACCREC',
      InvoiceNumber: number,
      // NOTE: a credit note has no due date; the invoice reader asks for one when AUTHORISED.
      DueDate: element.Date ?? today(now),
    },
    { books, unitdp: unitdpOf(request), today: today(now) },
  );
  if (!read.ok) errors.push(...read.errors.map((error) => error.replace(/invoice/gi, 'credit note')));
  if (number !== undefined && invoiceType !== undefined) {
    const key = number.toLowerCase();
    if (batchNumbers.has(key) || books.creditNotesNumbered(number, typeText).length > 0)
      errors.push('Credit Note Number must be unique.');
    batchNumbers.add(key);
  }
  if (request.injectedValidation !== undefined) errors.push(request.injectedValidation);
  if (!read.ok || errors.length > 0) return { element, errors, act: unreachable };
  const { draft } = read;
  return {
    element,
    errors,
    act: () => {
      const contactId = contactIdFor(books, draft.contact, now);
      const creditNoteId = randomUUID();
      const note: StoredCreditNote = {
        creditNoteId,
        creditNoteNumber: number ?? books.allocateCreditNoteNumber(typeText),
        type: typeText,
        status: draft.status,
        contactId,
        reference: draft.reference,
        currencyCode: draft.currencyCode,
        date: draft.date,
        lineAmountTypes: draft.lineAmountTypes,
        lineItems: draft.lineItems.map((line) => ({ lineItemId: randomUUID(), ...line })),
        subTotal: draft.totals.subTotal.toFixed(2),
        totalTax: draft.totals.totalTax.toFixed(2),
        total: draft.totals.total.toFixed(2),
        allocations: [],
        createdAt: now,
        updatedAt: now,
      };
      books.creditNotes.set(creditNoteId, note);
      return note;
    },
  };
}

/** PUT CreditNotes (create) and POST CreditNotes (create; updates are not supported here). */
export function writeCreditNotes(request: XeroRequest): XeroAnswer {
  const body = writeElements(request, 'CreditNotes');
  if (!body.ok) return body.answer;
  const summarizeErrors = flagParameter(request.query, 'summarizeErrors', true);
  const batchNumbers = new Set<string>();
  const planned = body.elements.map((element) => plan(request, element, batchNumbers));
  const failed = planned.filter((entry) => entry.errors.length > 0);
  if (summarizeErrors && failed.length > 0) {
    return validationException(failed.map((entry) => rejected(entry.element, entry.errors, 'CreditNoteID')));
  }
  const answered = planned.map((entry) => {
    if (entry.errors.length > 0) return rejected(entry.element, entry.errors, 'CreditNoteID');
    const wire = toWire(request.books, entry.act());
    return summarizeErrors ? wire : { ...wire, StatusAttributeString: 'OK' };
  });
  return ok(request.now, { CreditNotes: answered });
}

/**
 * PUT CreditNotes/{id}/Allocations: applies the credit to invoices of the same contact, each at most
 * what the invoice still owes and, together, at most the note's remaining credit.
 */
export function allocateCreditNote(request: XeroRequest): XeroAnswer {
  const { books, now } = request;
  const note = findCreditNote(books, request.segments[1] ?? '');
  if (note === undefined) return notFound();
  const body = writeElements(request, 'Allocations');
  if (!body.ok) return body.answer;
  const summarizeErrors = flagParameter(request.query, 'summarizeErrors', true);
  let remaining = new Decimal(note.total).minus(
    sum(note.allocations.map((allocation) => new Decimal(allocation.amount))),
  );
  const planned = body.elements.map((element) => {
    const errors: string[] = [];
    if (note.status !== 'AUTHORISED') errors.push('Credit note must be AUTHORISED to be allocated.');
    const invoiceElement = isRecord(element.Invoice) ? element.Invoice : {};
    const invoiceId = text(invoiceElement.InvoiceID)?.toLowerCase();
    const invoice = invoiceId === undefined ? undefined : books.invoices.get(invoiceId);
    if (invoice === undefined) errors.push('Invoice could not be found.');
    const amount = decimal(element.Amount);
    if (amount === undefined || amount === 'invalid' || amount.lessThanOrEqualTo(0))
      errors.push('Allocation Amount must be greater than zero.');
    const day = dayOf(element.Date);
    if (day === 'invalid') errors.push('Date is not a valid date.');
    if (invoice !== undefined) {
      if (invoice.status !== 'AUTHORISED') errors.push('Invoice must be AUTHORISED to be allocated to.');
      if (invoice.contactId !== note.contactId)
        errors.push('The credit note and the invoice must belong to the same contact.');
      if (invoice.currencyCode !== note.currencyCode)
        errors.push('The credit note and the invoice must have the same currency.');
      if (
        amount instanceof Decimal &&
        amount.greaterThan(paidAndDue(invoice).due) &&
        !errors.includes('Invoice must be AUTHORISED to be allocated to.')
      )
        errors.push('The amount being allocated exceeds the amount outstanding on the invoice.');
    }
    if (amount instanceof Decimal && amount.greaterThan(remaining))
      errors.push('The amount being allocated exceeds the remaining credit on the credit note.');
    if (errors.length === 0 && amount instanceof Decimal) remaining = remaining.minus(amount);
    return {
      element,
      errors,
      act: (): WireRecord => {
        if (invoice === undefined || !(amount instanceof Decimal)) return unreachable();
        const allocation: StoredCreditAllocation = {
          allocationId: randomUUID(),
          creditNoteId: note.creditNoteId,
          invoiceId: invoice.invoiceId,
          amount: amount.toFixed(2),
          date: day === undefined || day === 'invalid' ? today(now) : day.day,
        };
        note.allocations.push(allocation);
        note.updatedAt = now;
        const current = books.invoices.get(invoice.invoiceId) ?? invoice;
        const credits = [...(current.credits ?? []), allocation];
        const paidOff = paidAndDue({ ...current, credits }).due.isZero();
        books.invoices.set(current.invoiceId, {
          ...current,
          credits,
          status: paidOff ? 'PAID' : current.status,
          updatedAt: now,
        });
        return {
          AllocationID: allocation.allocationId,
          Amount: Number(allocation.amount),
          Date: element.Date,
          Invoice: { InvoiceID: invoice.invoiceId, InvoiceNumber: invoice.invoiceNumber },
          CreditNote: { CreditNoteID: note.creditNoteId, CreditNoteNumber: note.creditNoteNumber },
        };
      },
    };
  });
  const failed = planned.filter((entry) => entry.errors.length > 0);
  if (summarizeErrors && failed.length > 0) {
    return validationException(failed.map((entry) => rejected(entry.element, entry.errors, 'AllocationID')));
  }
  const answered = planned.map((entry) =>
    entry.errors.length > 0 ? rejected(entry.element, entry.errors, 'AllocationID') : entry.act(),
  );
  return ok(now, { Allocations: answered });
}

function rejected(element: Record<string, unknown>, errors: string[], idField: string): WireRecord {
  return {
    ...element,
    [idField]: text(element[idField]) ?? NO_ID,
    HasErrors: true,
    StatusAttributeString: 'ERROR',
    ValidationErrors: validationErrors(errors),
  };
}

function unreachable(): never {
  throw new Error('a rejected credit note element was committed');
}
