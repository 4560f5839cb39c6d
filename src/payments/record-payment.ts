import { formatMoney } from '../money/format-money.ts';
import { recordAuditEntry } from '../audit/record-audit-entry.ts';
import {
  claimSlackRequest,
  REPEAT_WINDOW_MINUTES,
  type SlackRequest,
} from '../events/claim-slack-request.ts';
import { isCalendarDate, todayIn } from '../calendar/calendar-date.ts';
import { sql, type Transaction } from 'kysely';
import type { Database, InvoiceStatus, PaymentSource } from '../db/schema.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueueCardRefresh } from '../queue/enqueue-card-refresh.ts';
import { enqueueJob } from '../queue/enqueue-job.ts';
import { minorUnits } from '../money/currency.ts';
import { Decimal, parseDecimal } from '../money/decimal.ts';
import { isRoundedFor, toMoneyString } from '../money/rounding.ts';
import { outstandingOf } from '../money/outstanding.ts';
import { isPayableStatus } from './invoice-balance.ts';

export interface PaymentInput {
  /** By id (ERP pulls) or by number (people). */
  invoice: { id: string } | { number: string };
  /** An exact decimal in the invoice's currency, as typed or as the ERP sent it ("40", "40.00"). */
  amount: string;
  /** YYYY-MM-DD: the day the money arrived. */
  paidOn: string;
  source: PaymentSource;
  /** The ERP's payment id (required for ERP sources, null for payments recorded by hand). */
  externalId: string | null;
  /** Slack user id, or `system:xero` / `system:quickbooks`. */
  recordedBy: string;
  /**
   * Set when a person asked in Slack: the request is claimed with the payment (a redelivery records
   * nothing), and unless `again` is set, the same payment recorded by the same person within
   * REPEAT_WINDOW_MINUTES is shown to them instead of recorded twice.
   */
  slack?: { request: SlackRequest; again: boolean };
}

export interface RecordedPayment {
  paymentId: string;
  invoiceId: string;
  number: string;
  currency: string;
  /** Fixed-point strings with the currency's decimals. */
  amount: string;
  amountPaid: string;
  outstanding: string;
  paidOn: string;
  previousStatus: InvoiceStatus;
  status: 'partially_paid' | 'overdue' | 'paid';
  paidInFull: boolean;
}

export type RecordPaymentResult =
  | ({ code: 'recorded' } & RecordedPayment)
  /** That ERP payment is already recorded (or matched) against this invoice: nothing changed. */
  | { code: 'already_recorded'; paymentId: string; number: string; message: string }
  /** The ERP payment is the same money as one recorded by hand: matched to it, counted once. */
  | { code: 'matched'; paymentId: string; number: string; message: string }
  /** Recorded by hand, but the ERP already reported a payment of that amount: nothing added. */
  | { code: 'reported_by_erp'; message: string }
  | { code: 'invoice_not_found'; message: string }
  /** Not finalized yet, void, or already paid in full. */
  | { code: 'not_payable'; status: InvoiceStatus; message: string }
  | { code: 'invalid_amount'; message: string }
  | { code: 'invalid_date'; message: string }
  | { code: 'overpayment'; outstanding: string; excess: string; message: string }
  /** This Slack request was handled before (a redelivery): nothing changed, its first answer stands. */
  | { code: 'duplicate_request'; message: string }
  /** The same person recorded this same payment minutes ago: nothing added until they confirm. */
  | { code: 'repeated'; earlier: EarlierPayment; message: string };

export interface EarlierPayment {
  number: string;
  currency: string;
  amount: string;
  paidOn: string;
  recordedAt: Date;
}

type PaymentDeps = Pick<Deps, 'db' | 'clock' | 'billing'>;

function refusedStatus(number: string | null, status: InvoiceStatus): string {
  const name = number ?? 'This invoice';
  switch (status) {
    case 'paid':
      return `${name} is already paid in full: there is nothing left to record against it.`;
    case 'void':
      return `${name} is void: payments cannot be recorded against it. If money came in for it, refund it or apply it to another invoice in the ERP.`;
    default:
      return `This invoice is not finalized yet (it is ${status.replace('_', ' ')}): payments can only be recorded against finalized invoices.`;
  }
}

const ERP_NAMES = { xero: 'Xero', quickbooks: 'QuickBooks' } as const;

// NOTE: the same money is entered in two places within weeks (a bank feed, a month-end reconciliation);
// equal amounts further apart are taken for different payments.
const SAME_MONEY_DAYS = 31;

/** A payment received within SAME_MONEY_DAYS of `paidOn`, either way. */
function sameMoneyWindow(paidOn: string) {
  return sql<boolean>`paid_on between ${paidOn}::date - ${SAME_MONEY_DAYS}::int and ${paidOn}::date + ${SAME_MONEY_DAYS}::int`;
}

/**
 * The latest payment of exactly this amount the ERP reported for the invoice within weeks of this one,
 * on its own row (not matched to one recorded by hand): a person typing it is most likely telling the
 * same money again. NOTE: the ERP is the book of record, so a genuine second payment belongs there.
 */
async function erpPaymentOfSameAmount(
  trx: Transaction<Database>,
  invoiceId: string,
  payment: { amount: string; paidOn: string },
): Promise<{ source: Exclude<PaymentSource, 'manual'>; paid_on: string } | undefined> {
  const row = await trx
    .selectFrom('payments')
    .select(['source', 'paid_on'])
    .where('invoice_id', '=', invoiceId)
    .where('source', '<>', 'manual')
    .where('amount', '=', sql<string>`${payment.amount}::numeric`)
    .where(sameMoneyWindow(payment.paidOn))
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined || row.source === 'manual'
    ? undefined
    : { source: row.source, paid_on: row.paid_on };
}

/**
 * A payment of this amount, received on this day, that this person recorded by hand against the invoice
 * within the last REPEAT_WINDOW_MINUTES (by the database's clock, which stamped it): most likely the
 * same command sent twice.
 */
async function samePaymentJustRecorded(
  trx: Transaction<Database>,
  invoiceId: string,
  payment: { amount: string; paidOn: string; recordedBy: string },
) {
  return trx
    .selectFrom('payments')
    .select(['amount', 'paid_on', 'created_at'])
    .where('invoice_id', '=', invoiceId)
    .where('source', '=', 'manual')
    .where('recorded_by', '=', payment.recordedBy)
    .where('amount', '=', sql<string>`${payment.amount}::numeric`)
    .where('paid_on', '=', payment.paidOn)
    .where('created_at', '>', sql<Date>`now() - make_interval(mins => ${REPEAT_WINDOW_MINUTES})`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * An ERP payment billops has already: recorded on its own row, or matched to a payment recorded by hand.
 * NOTE: a person often types /invoice paid when the money shows up, and the bookkeeper enters the same
 * money in the ERP later; the ERP's payment of the same amount then matches the oldest unmatched
 * hand-recorded one received within weeks of it (the ERP is the book of record) instead of counting
 * the money twice.
 */
async function knownErpPayment(
  trx: Transaction<Database>,
  invoice: { id: string; number: string | null },
  source: Exclude<PaymentSource, 'manual'>,
  externalId: string,
  payment: { amount: string; paidOn: string },
  now: Date,
): Promise<RecordPaymentResult | undefined> {
  const number = invoice.number ?? '';
  const existing = await trx
    .selectFrom('payments')
    .select('id')
    .where('invoice_id', '=', invoice.id)
    .where((eb) =>
      eb.or([
        eb.and([eb('source', '=', source), eb('external_id', '=', externalId)]),
        eb.and([eb('matched_source', '=', source), eb('matched_external_id', '=', externalId)]),
      ]),
    )
    .executeTakeFirst();
  if (existing !== undefined) {
    return {
      code: 'already_recorded',
      paymentId: existing.id,
      number,
      message: `This ${source} payment (${externalId}) is already recorded against ${invoice.number ?? 'the invoice'}.`,
    };
  }
  if (parseDecimal(payment.amount) === undefined) return undefined;
  const matched = await trx
    .updateTable('payments')
    .set({ matched_source: source, matched_external_id: externalId, matched_at: now })
    .where(
      'id',
      '=',
      trx
        .selectFrom('payments')
        .select('id')
        .where('invoice_id', '=', invoice.id)
        .where('source', '=', 'manual')
        .where('matched_source', 'is', null)
        .where('amount', '=', sql<string>`${payment.amount}::numeric`)
        .where(sameMoneyWindow(payment.paidOn))
        .orderBy('created_at')
        .limit(1),
    )
    .returning(['id', 'amount', 'paid_on', 'recorded_by'])
    .executeTakeFirst();
  if (matched === undefined) return undefined;
  await recordAuditEntry(
    trx,
    {
      actor: `system:${source}`,
      action: 'invoice.payment_matched',
      subjectType: 'invoice',
      subjectId: invoice.id,
      details: { number, paymentId: matched.id, amount: matched.amount, source, externalId },
    },
    now,
  );
  await enqueueJob(
    trx,
    'post_payment_news',
    { paymentId: matched.id, matched: true },
    { queueName: `payments:${invoice.id}`, maxAttempts: 10 },
  );
  return {
    code: 'matched',
    paymentId: matched.id,
    number,
    message: `This ${source} payment (${externalId}) is the ${matched.amount} recorded by hand on ${number}: matched to it, not counted again.`,
  };
}

/**
 * Records money received against a finalized invoice, in one transaction: lock the invoice, refuse
 * what cannot be right (an invoice not owed money, an amount finer than the currency, an overpayment),
 * add the payment, move amount_paid and the status (partially_paid, or paid when nothing is left),
 * write the audit entry, and queue the post in the invoice's thread. An ERP payment already recorded
 * against the invoice changes nothing, so a pull and a webhook may both report it.
 */
export async function recordPayment(deps: PaymentDeps, input: PaymentInput): Promise<RecordPaymentResult> {
  if (!isCalendarDate(input.paidOn)) {
    return { code: 'invalid_date', message: `"${input.paidOn}" is not a date: write it as YYYY-MM-DD.` };
  }
  const now = deps.clock.now();
  const today = todayIn(deps.billing.timezone, now);
  // NOTE: only people are held to today: the ERP's own record is the truth, whatever its time zone.
  if (input.source === 'manual' && input.paidOn > today) {
    return {
      code: 'invalid_date',
      message: `${input.paidOn} is in the future (today is ${today}): record a payment once the money has arrived.`,
    };
  }
  if ((input.source === 'manual') !== (input.externalId === null)) {
    throw new Error(`A ${input.source} payment ${input.externalId === null ? 'needs' : 'has no'} ERP id`);
  }

  return deps.db.transaction().execute(async (trx) => {
    if (input.slack !== undefined && !(await claimSlackRequest(trx, input.slack.request))) {
      return { code: 'duplicate_request', message: 'This request was handled already.' } as const;
    }
    const query = trx
      .selectFrom('invoices')
      .select(['id', 'number', 'status', 'currency', 'total', 'amount_paid', 'amount_credited'])
      .forUpdate();
    const invoice = await (
      'id' in input.invoice
        ? query.where('id', '=', input.invoice.id)
        : query.where('number', '=', input.invoice.number)
    ).executeTakeFirst();
    if (invoice === undefined) {
      const message =
        'number' in input.invoice
          ? `No invoice has the number ${input.invoice.number}.`
          : `Invoice ${input.invoice.id} does not exist.`;
      return { code: 'invoice_not_found', message } as const;
    }
    const { currency } = invoice;

    if (input.source !== 'manual' && input.externalId !== null) {
      const known = await knownErpPayment(
        trx,
        invoice,
        input.source,
        input.externalId,
        { amount: input.amount, paidOn: input.paidOn },
        now,
      );
      if (known !== undefined) return known;
    }
    if (invoice.number === null || !isPayableStatus(invoice.status)) {
      return {
        code: 'not_payable',
        status: invoice.status,
        message: refusedStatus(invoice.number, invoice.status),
      } as const;
    }
    const { number } = invoice;

    const amount = parseDecimal(input.amount);
    if (amount === undefined || amount.lessThanOrEqualTo(0)) {
      return {
        code: 'invalid_amount',
        message: `"${input.amount}" is not an amount: give the money received, such as ${toMoneyString(outstandingOf(invoice), currency)}.`,
      } as const;
    }
    if (!isRoundedFor(amount, currency)) {
      const digits = minorUnits(currency);
      return {
        code: 'invalid_amount',
        message: `${input.amount} has more decimals than ${currency} has (${digits === 0 ? 'none' : digits}): give the amount exactly as received.`,
      } as const;
    }
    const outstanding = outstandingOf(invoice);
    const money = (value: Decimal) => toMoneyString(value, currency);
    // NOTE: what a person reads is in the one money format ("£363.96"); `money` is the stored string.
    const shown = (value: Decimal) => formatMoney(value, currency);
    if (input.source === 'manual') {
      const reported = await erpPaymentOfSameAmount(trx, invoice.id, {
        amount: money(amount),
        paidOn: input.paidOn,
      });
      if (reported !== undefined) {
        const erp = ERP_NAMES[reported.source];
        return {
          code: 'reported_by_erp',
          message: `${erp} already reported a payment of ${shown(amount)} for ${number} (received on ${reported.paid_on}), and it is counted. Nothing was added, so the money is not counted twice. If this is another payment, record it in ${erp}: billops picks it up from there.`,
        } as const;
      }
    }
    if (amount.greaterThan(outstanding)) {
      const excess = amount.minus(outstanding);
      return {
        code: 'overpayment',
        outstanding: money(outstanding),
        excess: money(excess),
        message: `${number} has ${shown(outstanding)} outstanding; a payment of ${shown(amount)} would overpay it by ${shown(excess)}. Record ${shown(outstanding)}, or refund the difference outside billops.`,
      } as const;
    }

    if (input.slack !== undefined && !input.slack.again) {
      const earlier = await samePaymentJustRecorded(trx, invoice.id, {
        amount: money(amount),
        paidOn: input.paidOn,
        recordedBy: input.recordedBy,
      });
      if (earlier !== undefined) {
        return {
          code: 'repeated',
          earlier: {
            number,
            currency,
            amount: earlier.amount,
            paidOn: earlier.paid_on,
            recordedAt: earlier.created_at,
          },
          message: `You recorded this same payment on ${number} a few minutes ago: nothing was added now, in case it was sent twice.`,
        } as const;
      }
    }

    const amountPaid = new Decimal(invoice.amount_paid).plus(amount);
    const left = outstanding.minus(amount);
    const paidInFull = left.isZero();
    const status = paidInFull ? 'paid' : invoice.status === 'overdue' ? 'overdue' : 'partially_paid';
    await trx
      .updateTable('invoices')
      .set((eb) => ({
        amount_paid: money(amountPaid),
        status,
        version: eb('version', '+', 1),
        updated_at: now,
      }))
      .where('id', '=', invoice.id)
      .execute();
    const payment = await trx
      .insertInto('payments')
      .values({
        invoice_id: invoice.id,
        amount: money(amount),
        currency,
        paid_on: input.paidOn,
        source: input.source,
        external_id: input.externalId,
        recorded_by: input.recordedBy,
        amount_paid_after: money(amountPaid),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAuditEntry(
      trx,
      {
        actor: input.recordedBy,
        action: 'invoice.payment_recorded',
        subjectType: 'invoice',
        subjectId: invoice.id,
        details: {
          number,
          paymentId: payment.id,
          amount: money(amount),
          currency,
          paidOn: input.paidOn,
          source: input.source,
          externalId: input.externalId,
          amountPaid: money(amountPaid),
          outstanding: money(left),
          previousStatus: invoice.status,
          status,
        },
      },
      now,
    );
    await enqueueCardRefresh(trx, invoice.id);
    // NOTE: one queue per invoice, so its payments are told in its thread in the order they came.
    await enqueueJob(
      trx,
      'post_payment_news',
      { paymentId: payment.id },
      { queueName: `payments:${invoice.id}`, maxAttempts: 10 },
    );
    return {
      code: 'recorded',
      paymentId: payment.id,
      invoiceId: invoice.id,
      number,
      currency,
      amount: money(amount),
      amountPaid: money(amountPaid),
      outstanding: money(left),
      paidOn: input.paidOn,
      previousStatus: invoice.status,
      status,
      paidInFull,
    } as const;
  });
}
