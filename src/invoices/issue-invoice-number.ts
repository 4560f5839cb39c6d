import type { Transaction } from 'kysely';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { dueDateFor } from '../billing-config/due-date.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import type { Database } from '../db/schema.ts';
import type { Deps } from '../ports/deps.ts';
import { allocateInvoiceNumber, formatInvoiceNumber } from './invoice-number.ts';

export type IssueInvoiceNumberResult =
  | { code: 'issued'; number: string; invoice: { id: string; emailTo: string[]; emailCc: string[] } }
  | { code: 'already_finalized'; number: string }
  | { code: 'not_approved'; status: string }
  | { code: 'not_found' };

/**
 * The finalize step, in the caller's transaction: lock the approved invoice, take the next gapless
 * number of its series, date it today (due under the customer's terms), mark it finalized and audit it.
 */
export async function issueInvoiceNumber(
  trx: Transaction<Database>,
  deps: Pick<Deps, 'billing' | 'clock'>,
  invoiceId: string,
): Promise<IssueInvoiceNumberResult> {
  const invoice = await trx
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.id',
      'invoices.status',
      'invoices.number',
      'invoices.total',
      'invoices.currency',
      'customers.email_to',
      'customers.email_cc',
      'customers.payment_terms',
    ])
    .where('invoices.id', '=', invoiceId)
    .forUpdate('invoices')
    .executeTakeFirst();
  if (invoice === undefined) return { code: 'not_found' };
  if (invoice.number !== null) return { code: 'already_finalized', number: invoice.number };
  if (invoice.status !== 'approved') return { code: 'not_approved', status: invoice.status };

  const now = deps.clock.now();
  const issueDate = todayIn(deps.billing.timezone, now);
  const { series, pattern } = deps.billing.numbering;
  const seq = await allocateInvoiceNumber(trx, series, Number(issueDate.slice(0, 4)));
  const number = formatInvoiceNumber(pattern, issueDate, seq);
  await trx
    .updateTable('invoices')
    .set((eb) => ({
      status: 'finalized',
      number,
      series,
      finalized_at: now,
      issue_date: issueDate,
      due_date: dueDateFor(deps.billing, invoice.payment_terms, issueDate).dueDate,
      version: eb('version', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', invoiceId)
    .execute();
  await recordAuditEntry(
    trx,
    {
      actor: 'system:finalize',
      action: 'invoice.finalized',
      subjectType: 'invoice',
      subjectId: invoiceId,
      details: { number, total: invoice.total, currency: invoice.currency, emailedTo: invoice.email_to },
    },
    now,
  );
  return {
    code: 'issued',
    number,
    invoice: { id: invoiceId, emailTo: invoice.email_to, emailCc: invoice.email_cc },
  };
}
