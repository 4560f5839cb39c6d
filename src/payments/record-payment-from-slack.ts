import { isApprover } from '../approval/approver-check.ts';
import { todayIn } from '../calendar/calendar-date.ts';
import type { Deps } from '../ports/deps.ts';
import { recordPayment, type RecordPaymentResult } from './record-payment.ts';

export interface SlackPaymentInput {
  userId: string;
  number: string;
  amount: string;
  /** YYYY-MM-DD; undefined = today in the billing time zone. */
  paidOn: string | undefined;
  /** The command's trigger_id: a redelivery of the same command records nothing. */
  triggerId: string;
  /** `--again`: the person confirms a payment equal to one they recorded minutes ago. */
  again: boolean;
}

export type SlackPaymentResult = RecordPaymentResult | { code: 'not_an_approver'; message: string };

/**
 * `/invoice paid`: a payment recorded by a person. Approvers only, since it changes what the customer
 * owes and stops their reminders; the date defaults to today where billing happens. One command records
 * at most one payment, and the same payment typed again within minutes asks first (see recordPayment).
 */
export async function recordPaymentFromSlack(
  deps: Pick<Deps, 'db' | 'clock' | 'billing' | 'slack'>,
  input: SlackPaymentInput,
): Promise<SlackPaymentResult> {
  if (!(await isApprover(deps, input.userId))) {
    return {
      code: 'not_an_approver',
      message: 'Only billing approvers can record payments: a payment changes what the customer owes.',
    };
  }
  return recordPayment(deps, {
    invoice: { number: input.number },
    amount: input.amount,
    paidOn: input.paidOn ?? todayIn(deps.billing.timezone, deps.clock.now()),
    source: 'manual',
    externalId: null,
    recordedBy: input.userId,
    slack: { request: { kind: 'command', id: input.triggerId }, again: input.again },
  });
}
