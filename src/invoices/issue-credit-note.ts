import { formatMoney } from '../money/format-money.ts';
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import { isApprover } from '../approval/approver-check.ts';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import {
  claimSlackRequest,
  REPEAT_WINDOW_MINUTES,
  type SlackRequest,
} from '../events/claim-slack-request.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import type { Database, InvoiceStatus } from '../db/schema.ts';
import { creditNoteMessageId } from '../delivery/credit-note-email.ts';
import { queueEmail } from '../delivery/queue-email.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { minorUnits } from '../money/currency.ts';
import { Decimal, parseDecimal, sum } from '../money/decimal.ts';
import { isRoundedFor, roundMoney, toMoneyString } from '../money/rounding.ts';
import { outstandingOf } from '../money/outstanding.ts';
import { messageIdDomain } from '../delivery/invoice-email.ts';
import { allocateInvoiceNumber, formatInvoiceNumber } from './invoice-number.ts';
import { MIN_REASON_WORDS, reasonIsEnough } from './void-invoice.ts';

/** Credit notes have their own gapless series, apart from the invoices' (billing.yml has none for them). */
export const CREDIT_NOTE_SERIES = 'CN';
export const CREDIT_NOTE_PATTERN = 'CN-{YYYY}-{seq:5}';

export interface CreditNoteInput {
  /** The invoice it corrects. */
  number: string;
  /** Tax included, in the invoice currency; undefined = all that is not credited yet. */
  amount: string | undefined;
  reason: string;
  userId: string;
  /**
   * The Slack command that asked: claimed with the credit note (a redelivery issues nothing), and
   * unless `again` is set, a credit of the same amount this person issued on the invoice within
   * REPEAT_WINDOW_MINUTES is shown to them instead of issued twice.
   */
  slack?: { request: SlackRequest; again: boolean };
}

export interface IssuedCreditNote {
  creditNoteId: string;
  creditNoteNumber: string;
  invoiceId: string;
  invoiceNumber: string;
  currency: string;
  /** Fixed-point strings in the invoice currency; amount includes taxAmount. */
  amount: string;
  taxAmount: string;
  /** True when the invoice is now credited in full (this note and earlier ones). */
  full: boolean;
  /** What the invoice still owes after the credit. */
  outstanding: string;
  /** The invoice's status afterwards: 'void' when an unpaid invoice is credited in full. */
  status: InvoiceStatus;
}

export type IssueCreditNoteResult =
  | ({ code: 'issued' } & IssuedCreditNote)
  | { code: 'not_an_approver'; message: string }
  | { code: 'reason_required'; message: string }
  | { code: 'invoice_not_found'; message: string }
  | { code: 'not_creditable'; status: InvoiceStatus; message: string }
  | { code: 'invalid_amount'; message: string }
  | { code: 'exceeds_creditable'; creditable: string; message: string }
  /** This Slack request was handled before (a redelivery): nothing changed, its first answer stands. */
  | { code: 'duplicate_request'; message: string }
  /** The same person issued a credit of this amount on the invoice minutes ago: nothing issued until they confirm. */
  | { code: 'repeated'; earlier: EarlierCreditNote; message: string };

export interface EarlierCreditNote {
  invoiceNumber: string;
  creditNoteNumber: string;
  amount: string;
  currency: string;
  issuedAt: Date;
}

const CREDITABLE: readonly InvoiceStatus[] = ['finalized', 'partially_paid', 'paid', 'overdue'];

/**
 * `/invoice credit`: corrects a finalized invoice with a credit note, in one transaction: lock the
 * invoice, bound the amount by what is not credited yet, work out its tax (a partial credit takes the
 * invoice's tax pro rata, rounded once by the money rule; the credit that completes the invoice takes
 * exactly the tax left, so credits in full reverse the tax to the cent), take the next number of the
 * credit note series (the same locked counter as invoices, series CN), reduce what the invoice owes
 * (amount_credited), write the audit entry and queue the thread post. An unpaid invoice credited in
 * full becomes void; a paid one stays paid and the credit is a refund due.
 */
export async function issueCreditNote(
  deps: Pick<Deps, 'db' | 'clock' | 'billing' | 'slack' | 'erp'>,
  input: CreditNoteInput,
): Promise<IssueCreditNoteResult> {
  if (!(await isApprover(deps, input.userId))) {
    return {
      code: 'not_an_approver',
      message: 'Only billing approvers can issue credit notes: a credit note changes what the customer owes.',
    };
  }
  const reason = input.reason.trim().replace(/\s+/g, ' ');
  if (!reasonIsEnough(reason)) {
    return {
      code: 'reason_required',
      message: `Say why ${input.number} is credited, in a few words (at least ${MIN_REASON_WORDS}): it goes on the credit note.`,
    };
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    if (input.slack !== undefined && !(await claimSlackRequest(trx, input.slack.request))) {
      return { code: 'duplicate_request', message: 'This request was handled already.' } as const;
    }
    const invoice = await trx
      .selectFrom('invoices')
      .select(['id', 'number', 'status', 'currency', 'total', 'tax_total', 'amount_paid', 'amount_credited'])
      .where('number', '=', input.number)
      .forUpdate()
      .executeTakeFirst();
    if (invoice?.number == null) {
      return { code: 'invoice_not_found', message: `No invoice has the number ${input.number}.` } as const;
    }
    const { number, currency } = invoice;
    const money = (value: Decimal) => toMoneyString(value, currency);
    // NOTE: what a person reads is in the one money format ("£96.00"); `money` is the stored string.
    const shown = (value: Decimal) => formatMoney(value, currency);
    if (!CREDITABLE.includes(invoice.status)) {
      return {
        code: 'not_creditable',
        status: invoice.status,
        message:
          invoice.status === 'void'
            ? `${number} is void: there is nothing left to credit.`
            : `${number} is not finalized: only finalized invoices take credit notes.`,
      } as const;
    }
    const total = new Decimal(invoice.total);
    const credited = new Decimal(invoice.amount_credited);
    const creditable = total.minus(credited);
    if (creditable.lessThanOrEqualTo(0)) {
      return {
        code: 'exceeds_creditable',
        creditable: money(creditable),
        message: `${number} is already credited in full: nothing is left to credit.`,
      } as const;
    }
    let amount = creditable;
    if (input.amount !== undefined) {
      const parsed = parseDecimal(input.amount);
      if (parsed === undefined || parsed.lessThanOrEqualTo(0)) {
        return {
          code: 'invalid_amount',
          message: `"${input.amount}" is not an amount: give the credit, tax included, such as ${money(creditable)}.`,
        } as const;
      }
      if (!isRoundedFor(parsed, currency)) {
        const digits = minorUnits(currency);
        return {
          code: 'invalid_amount',
          message: `${input.amount} has more decimals than ${currency} has (${digits === 0 ? 'none' : digits}).`,
        } as const;
      }
      if (parsed.greaterThan(creditable)) {
        return {
          code: 'exceeds_creditable',
          creditable: money(creditable),
          message: `${number} totals ${shown(total)} and ${shown(credited)} is already credited: a credit note can be at most ${shown(creditable)}, not ${shown(parsed)}.`,
        } as const;
      }
      amount = parsed;
    }
    if (input.slack !== undefined && !input.slack.again) {
      const earlier = await sameCreditJustIssued(trx, invoice.id, money(amount), input.userId);
      if (earlier !== undefined) {
        return {
          code: 'repeated',
          earlier: {
            invoiceNumber: number,
            creditNoteNumber: earlier.number,
            amount: earlier.amount,
            currency,
            issuedAt: earlier.issued_at,
          },
          message: `You issued ${earlier.number} for this same amount on ${number} a few minutes ago: nothing was issued now, in case it was sent twice.`,
        } as const;
      }
    }

    const full = amount.equals(creditable);
    let taxAmount: Decimal;
    if (full) {
      const earlier = await trx
        .selectFrom('credit_notes')
        .select('tax_amount')
        .where('invoice_id', '=', invoice.id)
        .execute();
      taxAmount = new Decimal(invoice.tax_total).minus(
        sum(earlier.map((row) => new Decimal(row.tax_amount))),
      );
    } else {
      taxAmount = total.isZero()
        ? new Decimal(0)
        : roundMoney(new Decimal(invoice.tax_total).times(amount).dividedBy(total), currency);
    }
    taxAmount = Decimal.min(Decimal.max(taxAmount, 0), amount);

    const issueDate = todayIn(deps.billing.timezone, now);
    const seq = await allocateInvoiceNumber(trx, CREDIT_NOTE_SERIES, Number(issueDate.slice(0, 4)));
    const creditNoteNumber = formatInvoiceNumber(CREDIT_NOTE_PATTERN, issueDate, seq);
    const note = await trx
      .insertInto('credit_notes')
      .values({
        invoice_id: invoice.id,
        series: CREDIT_NOTE_SERIES,
        number: creditNoteNumber,
        amount: money(amount),
        tax_amount: money(taxAmount),
        currency,
        full_credit: full,
        reason,
        created_by: input.userId,
        issue_date: issueDate,
        issued_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const creditedAfter = credited.plus(amount);
    const outstanding = outstandingOf({
      total: invoice.total,
      amount_paid: invoice.amount_paid,
      amount_credited: creditedAfter.toFixed(),
    });
    const settled = outstanding.isZero() && invoice.status !== 'paid';
    const status: InvoiceStatus = !settled
      ? invoice.status
      : new Decimal(invoice.amount_paid).greaterThan(0)
        ? 'paid'
        : 'void';
    await trx
      .updateTable('invoices')
      .set((eb) => ({
        amount_credited: money(creditedAfter),
        status,
        ...(status === 'void'
          ? { voided_at: now, void_reason: `Credited in full by ${creditNoteNumber}` }
          : {}),
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', invoice.id)
      .execute();
    await enqueueCardRefresh(trx, invoice.id);
    if (settled) {
      await trx
        .updateTable('deliveries')
        .set({ state: 'cancelled', error: `Not sent: ${number} is settled by ${creditNoteNumber}.` })
        .where('invoice_id', '=', invoice.id)
        .where('kind', '=', 'reminder')
        .where('state', '=', 'queued')
        .execute();
    }
    await recordAuditEntry(
      trx,
      {
        actor: input.userId,
        action: 'credit_note.issued',
        subjectType: 'invoice',
        subjectId: invoice.id,
        details: {
          number,
          creditNoteId: note.id,
          creditNoteNumber,
          amount: money(amount),
          taxAmount: money(taxAmount),
          currency,
          full,
          reason,
          amountCredited: money(creditedAfter),
          outstanding: money(outstanding),
          previousStatus: invoice.status,
          status,
        },
      },
      now,
    );
    await queueCreditNoteEffects(deps, trx, { creditNoteId: note.id, invoiceId: invoice.id });
    await enqueueJob(
      trx,
      'post_credit_note_news',
      { creditNoteId: note.id },
      { queueName: `payments:${invoice.id}`, maxAttempts: 10 },
    );
    return {
      code: 'issued',
      creditNoteId: note.id,
      creditNoteNumber,
      invoiceId: invoice.id,
      invoiceNumber: number,
      currency,
      amount: money(amount),
      taxAmount: money(taxAmount),
      full: creditedAfter.equals(total),
      outstanding: money(outstanding),
      status,
    } as const;
  });
}

/**
 * A credit note of this amount that this person issued on the invoice within the last
 * REPEAT_WINDOW_MINUTES (by the database's clock): most likely the same command sent twice.
 */
async function sameCreditJustIssued(
  trx: Transaction<Database>,
  invoiceId: string,
  amount: string,
  userId: string,
) {
  return trx
    .selectFrom('credit_notes')
    .select(['number', 'amount', 'issued_at'])
    .where('invoice_id', '=', invoiceId)
    .where('created_by', '=', userId)
    .where('amount', '=', sql<string>`${amount}::numeric`)
    .where('created_at', '>', sql<Date>`now() - make_interval(mins => ${REPEAT_WINDOW_MINUTES})`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * What follows a credit note, queued in its own transaction: its PDF (stored hash, posted in the
 * thread), its email through the delivery ledger (sent once), and its ERP posting when the invoice
 * went (or is going) to the ERP; an invoice never posted there gets no credit note there either.
 */
async function queueCreditNoteEffects(
  deps: Pick<Deps, 'billing' | 'erp'>,
  trx: Transaction<Database>,
  note: { creditNoteId: string; invoiceId: string },
): Promise<void> {
  const { creditNoteId, invoiceId } = note;
  await enqueueJob(trx, 'publish_credit_note_pdf', { creditNoteId }, { jobKey: `cn-pdf:${creditNoteId}` });
  const customer = await trx
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select(['customers.email_to', 'customers.email_cc'])
    .where('invoices.id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  if (customer.email_to.length > 0) {
    await queueEmail(trx, {
      invoiceId,
      creditNoteId,
      kind: 'credit_note',
      dedupeKey: `credit_note:${creditNoteId}`,
      recipients: customer.email_to,
      cc: customer.email_cc,
      messageId: creditNoteMessageId(creditNoteId, messageIdDomain(deps.billing.seller.email)),
    });
  }
  if (deps.erp === undefined) return;
  const invoiceSync = await trx
    .selectFrom('erp_syncs')
    .select('state')
    .where('invoice_id', '=', invoiceId)
    .where('provider', '=', deps.erp.provider)
    .executeTakeFirst();
  if (invoiceSync === undefined || invoiceSync.state === 'skipped') return;
  const sync = await trx
    .insertInto('erp_credit_note_syncs')
    .values({ credit_note_id: creditNoteId, provider: deps.erp.provider, idempotency_key: randomUUID() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await enqueueJob(
    trx,
    'sync_credit_note_to_erp',
    { syncId: sync.id },
    { queueName: `erp:${deps.erp.provider}`, maxAttempts: 10 },
  );
}
