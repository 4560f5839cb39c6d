import type { Invoice } from 'xero-node';

import type { ErpPayment } from '../../ports/erp-client.ts';
import { fromXeroAmount } from './xero-amounts.ts';

// Xero invoice → the payments on it. Xero lists an invoice's payments on the invoice itself
// (Payments: PaymentID, Date, Amount in the invoice currency); a deleted payment is not one.

/**
 * A Xero date as YYYY-MM-DD. NOTE: xero-node turns MS-JSON dates ("/Date(1763596800000+0000)/") into
 * Date objects even in fields typed string (FACTS §1.2); Xero dates are UTC midnights.
 */
export function xeroDay(value: unknown): string | undefined {
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? undefined : value.toISOString().slice(0, 10);
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value)?.[1];
  if (ms !== undefined) return new Date(Number(ms)).toISOString().slice(0, 10);
  return /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1];
}

/** The payments on a Xero invoice, or undefined when one of them cannot be read exactly. */
export function toErpPayments(invoice: Invoice, fallbackCurrency: string): ErpPayment[] | undefined {
  const currency = invoice.currencyCode === undefined ? fallbackCurrency : String(invoice.currencyCode);
  const payments: ErpPayment[] = [];
  for (const payment of invoice.payments ?? []) {
    if (payment.status !== undefined && String(payment.status) === 'DELETED') continue;
    const amount = fromXeroAmount(payment.amount, currency);
    const date = xeroDay(payment.date);
    if (payment.paymentID === undefined || amount === undefined || date === undefined) return undefined;
    payments.push({ id: payment.paymentID, amount, date });
  }
  return payments;
}
