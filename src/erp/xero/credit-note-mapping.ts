import { CreditNote } from 'xero-node';

import type { ErpCreditNoteInput, ErpCreditNoteRef } from '../../ports/erp-client.ts';
import { toXeroInvoice, type Mapped } from './invoice-mapping.ts';
import { fromXeroAmount } from './xero-amounts.ts';
import { xeroModel } from './xero-models.ts';

// billops credit note → Xero ACCRECCREDIT, approved (AUTHORISED) with our number. Its lines are built
// exactly as an invoice's are (same account, item, tax type and rounding rules), amounts positive.

export function toXeroCreditNote(input: ErpCreditNoteInput): Mapped<CreditNote> {
  const invoice = toXeroInvoice({ ...input, dueDate: input.issueDate });
  if (!invoice.ok) {
    return {
      ok: false,
      error: { ...invoice.error, message: invoice.error.message.replace(/^Invoice /, 'Credit note ') },
    };
  }
  const { contact, currencyCode, date, lineAmountTypes, lineItems } = invoice.value;
  return {
    ok: true,
    value: xeroModel(CreditNote, {
      type: CreditNote.TypeEnum.ACCRECCREDIT,
      status: CreditNote.StatusEnum.AUTHORISED,
      creditNoteNumber: input.number,
      reference: input.invoiceNumber,
      contact,
      currencyCode,
      date,
      lineAmountTypes,
      lineItems,
    }),
  };
}

/** Our reference to a credit note Xero holds; undefined when Xero's answer lacks what we need. */
export function toCreditNoteRef(note: CreditNote, fallbackCurrency: string): ErpCreditNoteRef | undefined {
  const currency = note.currencyCode === undefined ? fallbackCurrency : String(note.currencyCode);
  const total = fromXeroAmount(note.total, currency);
  const remaining = fromXeroAmount(note.remainingCredit ?? note.total, currency);
  if (
    note.creditNoteID === undefined ||
    note.creditNoteNumber === undefined ||
    total === undefined ||
    remaining === undefined
  )
    return undefined;
  return { id: note.creditNoteID, number: note.creditNoteNumber, total, remainingCredit: remaining };
}
