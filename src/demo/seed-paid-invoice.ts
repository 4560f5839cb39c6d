import { startBillingRun } from '../billing-runs/start-billing-run.ts';
import type { BillingPeriod } from '../calendar/billing-period.ts';
import { addDays } from '../calendar/calendar-date.ts';
import { issueInvoiceNumber } from '../invoices/issue-invoice-number.ts';
import { recordPayment } from '../payments/record-payment.ts';
import type { Deps } from '../ports/deps.ts';

// NOTE: paid this many days after it was issued, so before any demo day (the next period is a month).
const PAID_AFTER_DAYS = 14;

/**
 * A customer's invoice for an earlier period as a team would have left it: drafted by a billing run on
 * the day after the period, approved, numbered and dated that day, and paid two weeks later, each by the
 * use case that does it. It is history: nothing is emailed, rendered or posted to the ERP for it.
 */
export async function seedPaidInvoice(
  deps: Pick<Deps, 'db' | 'billing' | 'clock'>,
  input: { customer: string; period: BillingPeriod },
): Promise<{ number: string }> {
  const issuedAt = new Date(`${input.period.end}T09:00:00Z`);
  const then = {
    ...deps,
    clock: { now: () => issuedAt },
    // Approved when drafted: it was reviewed back then; the demo has no earlier approver to click.
    billing: { ...deps.billing, approval: { ...deps.billing.approval, mode: 'skip_review' as const } },
  };
  const run = await startBillingRun(then, {
    period: input.period,
    scope: { customers: [input.customer] },
    trigger: 'command',
    startedBy: 'cli:demo',
  });
  const invoiceId = run.ok ? run.run.invoices[0]?.invoiceId : undefined;
  if (invoiceId == null) throw new Error(`The demo drafted no invoice for ${input.customer}`);
  const issued = await deps.db.transaction().execute((trx) => issueInvoiceNumber(trx, then, invoiceId));
  if (issued.code !== 'issued') throw new Error(`The demo invoice for ${input.customer} was not issued`);
  const { total } = await deps.db
    .selectFrom('invoices')
    .select('total')
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow();
  const paid = await recordPayment(deps, {
    invoice: { id: invoiceId },
    amount: total,
    paidOn: addDays(input.period.end, PAID_AFTER_DAYS),
    source: 'manual',
    externalId: null,
    recordedBy: deps.billing.approval.approvers.users[0] ?? 'system:demo',
  });
  if (paid.code !== 'recorded') throw new Error(`The demo payment was not recorded: ${paid.code}`);
  return { number: issued.number };
}
