import { daysBetween, todayIn } from './calendar-date.ts';

/** The zone a customer's dates are read in: their own, else the billing config's. */
export function customerTimeZone(customerZone: string | null, billingZone: string): string {
  return customerZone === null || customerZone.trim() === '' ? billingZone : customerZone;
}

/**
 * Whole days an invoice is past due at `now`, as the customer's calendar shows it: 0 on the due day,
 * 1 from the midnight after it. An invoice is overdue once this is above 0.
 */
export function daysOverdue(dueDate: string, timeZone: string, now: Date): number {
  return daysBetween(dueDate, todayIn(timeZone, now));
}
