import { Decimal } from './decimal.ts';

interface InvoiceMoneyColumns {
  total: string;
  amount_paid: string;
  amount_credited?: string;
}

/** total − amount_paid − amount_credited, exactly: below zero when more was paid and credited than the total. */
function balanceOf(invoice: InvoiceMoneyColumns): Decimal {
  return new Decimal(invoice.total)
    .minus(new Decimal(invoice.amount_paid))
    .minus(new Decimal(invoice.amount_credited ?? '0'));
}

/**
 * What an invoice still owes: total − amount_paid − amount_credited, exactly (the columns as pg returns
 * them). Credit notes reduce what is owed; one that credits more than is still owed leaves a refund due,
 * never a negative debt. NOTE: amount_credited is optional only for readers that predate credit notes.
 */
export function outstandingOf(invoice: InvoiceMoneyColumns): Decimal {
  return Decimal.max(balanceOf(invoice), 0);
}

/** The refund due when a credit note credits more than was still owed (a paid invoice): the rest of the sum. */
export function refundDueOf(invoice: InvoiceMoneyColumns): Decimal {
  return Decimal.max(balanceOf(invoice).negated(), 0);
}
