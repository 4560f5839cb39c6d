import { messageLink } from '../../blocks/app-home.ts';
import type { OverdueInvoiceView } from '../../blocks/overdue-news.ts';
import type { BillingConfig } from '../billing-config/billing-config.ts';
import type { Db } from '../db/database.ts';
import { outstandingOf } from '../money/outstanding.ts';
import { toMoneyString } from '../money/rounding.ts';
import { customerTimeZone, daysOverdue } from '../calendar/overdue-date.ts';

export interface OverdueInvoice extends OverdueInvoiceView {
  invoiceId: string;
}

/** Every overdue invoice with money outstanding, oldest first, with its days overdue in the customer's zone. */
export async function loadOverdueInvoices(
  db: Db,
  billing: BillingConfig,
  now: Date,
): Promise<OverdueInvoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.id',
      'invoices.number',
      'invoices.currency',
      'invoices.total',
      'invoices.amount_paid',
      'invoices.amount_credited',
      'invoices.due_date',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
      'customers.name',
      'customers.timezone',
    ])
    .where('invoices.status', '=', 'overdue')
    .where('invoices.due_date', 'is not', null)
    .whereRef('invoices.total', '>', 'invoices.amount_paid')
    .orderBy('invoices.due_date')
    .orderBy('invoices.number')
    .execute();
  return rows.flatMap((row) =>
    row.due_date === null
      ? []
      : [
          {
            invoiceId: row.id,
            number: row.number ?? row.id,
            customerName: row.name,
            outstanding: toMoneyString(outstandingOf(row), row.currency),
            currency: row.currency,
            dueDate: row.due_date,
            daysOverdue: daysOverdue(row.due_date, customerTimeZone(row.timezone, billing.timezone), now),
            threadLink: messageLink(row.slack_channel_id, row.slack_thread_ts),
          },
        ],
  );
}
