import type { ReminderStep } from '../billing-config/billing-config.ts';
import { parseDecimal } from '../money/decimal.ts';
import { formatMoney } from '../money/format-money.ts';
import { buildInvoiceEmail, invoiceMessageId, type InvoiceEmailInput } from './invoice-email.ts';
import type { OutgoingMail } from '../ports/mailer.ts';

export interface ReminderEmailInput extends Omit<InvoiceEmailInput, 'extraValues'> {
  step: ReminderStep;
  /** Decimal strings: what is still to pay, and what has been paid. */
  outstanding: string;
  amountPaid: string;
}

/**
 * The Message-ID of one reminder step for an invoice: the same on every attempt, and never the
 * invoice email's, so a mail client threads them but does not take one for a copy of the other.
 */
export function reminderMessageId(invoiceId: string, days: number, messageIdDomain: string): string {
  const base = invoiceMessageId(invoiceId, messageIdDomain);
  return base.replace(/^<invoice-/, '<reminder-').replace('@', `-day${days}@`);
}

/** A payment reminder: the step's templates, the invoice email's sender, the invoice PDF attached again. */
export function buildReminderEmail(input: ReminderEmailInput): OutgoingMail {
  const { step, invoice } = input;
  const money = (amount: string, what: string) => {
    const value = parseDecimal(amount);
    if (value === undefined)
      throw new Error(`Invoice ${invoice.number} has ${what} that is not a number: ${amount}`);
    return formatMoney(value, invoice.currency);
  };
  const mail = buildInvoiceEmail({
    ...input,
    templates: { ...input.templates, subject: step.subject, text: step.text, html: step.html },
    extraValues: {
      outstanding: money(input.outstanding, 'an outstanding amount'),
      amount_paid: money(input.amountPaid, 'an amount paid'),
    },
  });
  return { ...mail, messageId: reminderMessageId(invoice.id, step.days, input.messageIdDomain) };
}
