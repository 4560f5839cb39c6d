import type { BillingConfig } from './billing-config.ts';
import { addDays, lastDayOfMonth } from '../calendar/calendar-date.ts';

/**
 * The due date under a customer's payment terms (their code, or the default). `known` is false when
 * the code is not in billing.yml; the default terms are used then and the caller flags it.
 */
export function dueDateFor(
  billing: BillingConfig,
  termsCode: string | null,
  issueDate: string,
): { dueDate: string; known: boolean } {
  const code = termsCode ?? billing.paymentTerms.defaultCode;
  const own = billing.paymentTerms.terms.get(code);
  const term = own ?? billing.paymentTerms.terms.get(billing.paymentTerms.defaultCode);
  if (term === undefined) return { dueDate: issueDate, known: false };
  const from = term.from === 'end_of_month' ? lastDayOfMonth(issueDate) : issueDate;
  return { dueDate: addDays(from, term.days), known: own !== undefined };
}
