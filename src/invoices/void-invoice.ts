import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { isApprover } from '../approval/approver-check.ts';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import type { InvoiceStatus } from '../db/schema.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { Decimal } from '../money/decimal.ts';

export interface VoidInvoiceInput {
  number: string;
  /** Why, in words: kept on the invoice, in the audit log and in its thread. */
  reason: string;
  /** The Slack user voiding it; must be an approver. */
  userId: string;
}

export type VoidInvoiceResult =
  | {
      code: 'voided';
      invoiceId: string;
      number: string;
      /** True when the ERP holds the invoice: a job voids it there too. */
      erpVoid: boolean;
      remindersCancelled: number;
    }
  | { code: 'not_an_approver'; message: string }
  | { code: 'reason_required'; message: string }
  | { code: 'invoice_not_found'; message: string }
  | { code: 'not_finalized'; status: InvoiceStatus; message: string }
  | { code: 'already_void'; message: string }
  /** Money was received (or credited) against it: a void would hide that; a credit note corrects it. */
  | { code: 'has_payments'; status: InvoiceStatus; message: string };

/** A reason is at least three words: "duplicate" alone tells the auditor nothing. */
export const MIN_REASON_WORDS = 3;

export function reasonIsEnough(reason: string): boolean {
  return (
    reason
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '').length >= MIN_REASON_WORDS
  );
}

const VOIDABLE: readonly InvoiceStatus[] = ['finalized', 'overdue'];

/**
 * `/invoice void`: cancels an unpaid finalized invoice, in one transaction: lock it, refuse what a
 * void cannot correct (paid, part paid or credited: issue a credit note), set it void with the
 * reason, cancel its queued reminders, write the audit entry, and queue the thread post and (when
 * the ERP holds it) the ERP void. NOTE: the number stays taken: a void never frees a number.
 */
export async function voidInvoice(
  deps: Pick<Deps, 'db' | 'clock' | 'billing' | 'slack'>,
  input: VoidInvoiceInput,
): Promise<VoidInvoiceResult> {
  if (!(await isApprover(deps, input.userId))) {
    return {
      code: 'not_an_approver',
      message: 'Only billing approvers can void invoices: a void cancels what the customer owes.',
    };
  }
  const reason = input.reason.trim().replace(/\s+/g, ' ');
  if (!reasonIsEnough(reason)) {
    return {
      code: 'reason_required',
      message: `Say why ${input.number} is voided, in a few words (at least ${MIN_REASON_WORDS}): it goes on the record.`,
    };
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const invoice = await trx
      .selectFrom('invoices')
      .select(['id', 'number', 'status', 'total', 'amount_paid', 'amount_credited', 'currency'])
      .where('number', '=', input.number)
      .forUpdate()
      .executeTakeFirst();
    if (invoice?.number == null) {
      return { code: 'invoice_not_found', message: `No invoice has the number ${input.number}.` } as const;
    }
    const { number } = invoice;
    if (invoice.status === 'void') {
      return { code: 'already_void', message: `${number} is already void.` } as const;
    }
    const received = new Decimal(invoice.amount_paid).plus(new Decimal(invoice.amount_credited));
    if (['paid', 'partially_paid'].includes(invoice.status) || received.greaterThan(0)) {
      return {
        code: 'has_payments',
        status: invoice.status,
        message: `${number} has money received or credited against it, so it cannot be voided. Issue a credit note instead: /invoice credit ${number} all (or an amount), then the reason.`,
      } as const;
    }
    if (!VOIDABLE.includes(invoice.status)) {
      return {
        code: 'not_finalized',
        status: invoice.status,
        message: `${number} is ${invoice.status.replace('_', ' ')}: only finalized, unpaid invoices can be voided.`,
      } as const;
    }

    await trx
      .updateTable('invoices')
      .set((eb) => ({
        status: 'void',
        void_reason: reason,
        voided_at: now,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', invoice.id)
      .execute();
    // NOTE: its approval card (and that card's notification text) says voided from now on.
    await enqueueCardRefresh(trx, invoice.id);
    const cancelled = await trx
      .updateTable('deliveries')
      .set({ state: 'cancelled', error: `Not sent: ${number} was voided.` })
      .where('invoice_id', '=', invoice.id)
      .where('kind', '=', 'reminder')
      .where('state', '=', 'queued')
      .executeTakeFirst();
    const remindersCancelled = Number(cancelled.numUpdatedRows);

    // NOTE: only an invoice the ERP already holds is voided there. One still waiting to be posted is
    // held back by the sync itself (its row ends 'skipped'; an uncertain one found there is voided).
    const sync = await trx
      .updateTable('erp_syncs')
      .set({ void_state: 'pending' })
      .where('invoice_id', '=', invoice.id)
      .where('state', '=', 'synced')
      .where('external_id', 'is not', null)
      .where('void_state', 'is', null)
      .returning(['id', 'provider'])
      .executeTakeFirst();
    if (sync !== undefined) {
      await enqueueJob(
        trx,
        'void_invoice_in_erp',
        { syncId: sync.id },
        { queueName: `erp:${sync.provider}`, maxAttempts: 10 },
      );
    }
    await enqueueJob(trx, 'post_void_news', { invoiceId: invoice.id }, { maxAttempts: 10 });
    await recordAuditEntry(
      trx,
      {
        actor: input.userId,
        action: 'invoice.voided',
        subjectType: 'invoice',
        subjectId: invoice.id,
        details: {
          number,
          reason,
          previousStatus: invoice.status,
          total: invoice.total,
          currency: invoice.currency,
          erpVoid: sync !== undefined,
          remindersCancelled,
        },
      },
      now,
    );
    return { code: 'voided', invoiceId: invoice.id, number, erpVoid: sync !== undefined, remindersCancelled };
  });
}
