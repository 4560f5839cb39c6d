import { randomUUID } from 'node:crypto';

import { minorUnits } from '../../money/currency.ts';
import { parseDecimal } from '../../money/decimal.ts';
import type { OrganisationBooks, StoredPayment } from './org-books.ts';
import { paidAndDue } from './wire-format.ts';
import { dayOf } from './wire-values.ts';

// A customer's payment applied to a sales invoice, with the checks Xero makes when one is entered
// (PUT Payments or "Add payment" on the invoice): an approved invoice, at most what is due. The
// invoice becomes PAID when nothing is left; its UpdatedDateUTC moves either way.

export interface PaymentEntry {
  invoiceNumber: string;
  /** In the invoice currency, as a decimal string ("40.00"). */
  amount: string;
  /** YYYY-MM-DD */
  date: string;
  reference?: string;
}

/** Applies a payment, or throws with the message Xero would refuse it with. */
export function applyPayment(books: OrganisationBooks, entry: PaymentEntry, now: Date): StoredPayment {
  const [invoice] = books.invoicesNumbered(entry.invoiceNumber, 'ACCREC');
  if (invoice === undefined) throw new RangeError(`Invoice number ${entry.invoiceNumber} does not exist.`);
  if (invoice.status !== 'AUTHORISED') {
    throw new RangeError(`Payments can only be made against Authorised documents (${invoice.status}).`);
  }
  const amount = parseDecimal(entry.amount);
  if (amount === undefined || amount.lessThanOrEqualTo(0)) {
    throw new RangeError('Payment amount must be greater than zero.');
  }
  if (amount.decimalPlaces() > minorUnits(invoice.currencyCode)) {
    throw new RangeError(
      `Payment amount ${entry.amount} has more decimals than ${invoice.currencyCode} has.`,
    );
  }
  if (amount.greaterThan(paidAndDue(invoice).due)) {
    throw new RangeError('Payment amount exceeds the amount outstanding on this document.');
  }
  const day = dayOf(entry.date);
  if (day === undefined || day === 'invalid')
    throw new RangeError(`Payment date ${entry.date} is not a date.`);
  const payment: StoredPayment = {
    paymentId: randomUUID(),
    date: day.day,
    amount: amount.toFixed(2),
    reference: entry.reference ?? '',
    createdAt: now,
  };
  const payments = [...invoice.payments, payment];
  const paidInFull = paidAndDue({ ...invoice, payments }).due.isZero();
  books.invoices.set(invoice.invoiceId, {
    ...invoice,
    payments,
    status: paidInFull ? 'PAID' : invoice.status,
    updatedAt: now,
  });
  return payment;
}
