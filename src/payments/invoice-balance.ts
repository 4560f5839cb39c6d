import type { InvoiceStatus } from '../db/schema.ts';

// Which invoices still owe money, for payments and for whoever chases them (reminders; how much is in
// src/money/outstanding.ts): an invoice is owed money exactly while its status is one of
// PAYABLE_STATUSES; recordPayment moves it to 'paid' when the last of it arrives, and to
// 'partially_paid' before that ('overdue' stays overdue until paid).

/** Statuses of a finalized invoice that is still owed money: payments may be recorded against it. */
export const PAYABLE_STATUSES = [
  'finalized',
  'partially_paid',
  'overdue',
] as const satisfies readonly InvoiceStatus[];

export type PayableStatus = (typeof PAYABLE_STATUSES)[number];

export function isPayableStatus(status: InvoiceStatus): status is PayableStatus {
  return (PAYABLE_STATUSES as readonly InvoiceStatus[]).includes(status);
}
