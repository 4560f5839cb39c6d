import { Decimal } from './decimal.ts';

/**
 * What an invoice still owes: total − amount_paid − amount_credited, exactly (the columns as pg returns
 * them). Credit notes reduce what is owed; one that credits more than is still owed leaves a refund due,
 * never a negative debt. NOTE: amount_credited is optional only for readers that predate credit notes.
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
