import type { InvoiceStatus } from '../db/schema.ts';
import { Decimal } from '../money/decimal.ts';

// What an invoice still owes, for payments and for whoever chases it (reminders): an invoice is owed
// money exactly while its status is one of PAYABLE_STATUSES; recordPayment moves it to 'paid' when
// the last of it arrives, and to 'partially_paid' before that ('overdue' stays overdue until paid).

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

/**
 * total − amount_paid − amount_credited, exactly (the columns as pg returns them). Credit notes reduce
 * what is owed; one that credits more than is still owed leaves a refund due, never a negative debt.
 * NOTE: amount_credited is optional only for readers that predate credit notes.
 */
export function outstandingOf(invoice: {
  total: string;
  amount_paid: string;
  amount_credited?: string;
}): Decimal {
  const owed = new Decimal(invoice.total)
    .minus(new Decimal(invoice.amount_paid))
    .minus(new Decimal(invoice.amount_credited ?? '0'));
  return Decimal.max(owed, 0);
}
