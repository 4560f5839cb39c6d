import { randomUUID } from 'node:crypto';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import { dueDateFor } from '../billing-config/due-date.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import type { Deps } from '../ports/deps.ts';
import { invoiceMessageId, messageIdDomain } from '../delivery/invoice-email.ts';
import { DEFAULT_MAX_ATTEMPTS } from '../delivery/send-invoice-email.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { enqueueErpSyncs } from '../queue/enqueue-erp-syncs.ts';
import { allocateInvoiceNumber, formatInvoiceNumber } from './invoice-number.ts';

export type FinalizeInvoiceResult =
  | { code: 'finalized'; number: string; deliveryId: string | null }
  | { code: 'already_finalized'; number: string }
  | { code: 'not_approved'; status: string }
  | { code: 'not_found' };

/**
 * Turns an approved invoice into a legal document, in one transaction: lock it, take the next gapless
 * number of its series, date it today, write the audit entry and the delivery ledger row, and queue
 * its PDF and email. A crash or error anywhere leaves no number taken and nothing queued.
 */
export async function finalizeInvoice(
  deps: Pick<Deps, 'db' | 'billing' | 'clock' | 'erp'>,
  invoiceId: string,
): Promise<FinalizeInvoiceResult> {
  return deps.db.transaction().execute(async (trx) => {
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
    if (invoice === undefined) return { code: 'not_found' } as const;
    if (invoice.number !== null) return { code: 'already_finalized', number: invoice.number } as const;
    if (invoice.status !== 'approved') return { code: 'not_approved', status: invoice.status } as const;

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

    let deliveryId: string | null = null;
    if (invoice.email_to.length > 0) {
      const delivery = await trx
        .insertInto('deliveries')
        .values({
          invoice_id: invoiceId,
          kind: 'invoice',
          dedupe_key: `invoice:${invoiceId}`,
          recipients: invoice.email_to,
          cc: invoice.email_cc,
          message_id: invoiceMessageId(invoiceId, messageIdDomain(deps.billing.seller.email)),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      deliveryId = delivery.id;
      await enqueueJob(trx, 'send_invoice_email', { deliveryId }, { maxAttempts: DEFAULT_MAX_ATTEMPTS });
    }
    await enqueueJob(trx, 'publish_invoice_pdf', { invoiceId }, { jobKey: `pdf:${invoiceId}` });
    if (deps.erp !== undefined) {
      const sync = await trx
        .insertInto('erp_syncs')
        .values({ invoice_id: invoiceId, provider: deps.erp.provider, idempotency_key: randomUUID() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await enqueueErpSyncs(trx, deps.erp.provider, [sync.id], now);
    }
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
    return { code: 'finalized', number, deliveryId } as const;
  });
}
