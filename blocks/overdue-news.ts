import { Decimal } from '../src/money/decimal.ts';
import { context, fallbackText, section, type SlackMessage } from './block-elements.ts';
import { bulletList, escapeOutsideTextCut, formatAmount, plural } from './slack-text.ts';

// Overdue invoices: the billing channel's daily digest, and the alerts channel's escalation.

/** How many invoices a message lists by name; the counts and totals always cover them all. */
export const OVERDUE_LIST_MAX = 20;

export interface OverdueInvoiceView {
  number: string;
  customerName: string;
  /** Fixed-point: what is still to pay. */
  outstanding: string;
  currency: string;
  dueDate: string;
  /** Whole days past the due date, in the customer's time zone. */
  daysOverdue: number;
  threadLink: string | null;
}

export interface OverdueDigestView {
  /** The billing time zone's date, 'YYYY-MM-DD'. */
  date: string;
  /** Oldest first. */
  invoices: readonly OverdueInvoiceView[];
  escalateAfterDays: number;
}

/** "£1,234.50 · €99.00": what is outstanding, per currency, in the order currencies first appear. */
export function outstandingByCurrency(invoices: readonly OverdueInvoiceView[]): string {
  const totals = new Map<string, Decimal>();
  for (const invoice of invoices) {
    totals.set(invoice.currency, (totals.get(invoice.currency) ?? new Decimal(0)).plus(invoice.outstanding));
  }
  return [...totals].map(([currency, total]) => formatAmount(total.toFixed(), currency)).join(' · ');
}

function overdueLine(invoice: OverdueInvoiceView): string {
  const number = escapeOutsideTextCut(invoice.number, 60);
  const label =
    invoice.threadLink === null ? `*${number}*` : `<${invoice.threadLink}|*${number.replace(/\|/g, '/')}*>`;
  return [
    label,
    escapeOutsideTextCut(invoice.customerName, 80),
    `${formatAmount(invoice.outstanding, invoice.currency)} outstanding`,
    `due ${invoice.dueDate} (${plural(invoice.daysOverdue, 'day')} overdue)`,
  ].join(' · ');
}

/** The daily digest: how many, how much per currency, then the oldest by name. */
export function buildOverdueDigest(view: OverdueDigestView): SlackMessage {
  const count = plural(view.invoices.length, 'overdue invoice');
  const totals = outstandingByCurrency(view.invoices);
  return {
    text: fallbackText(`${count} on ${view.date}: ${totals} outstanding`),
    blocks: [
      section(`⏰ *${count}* on ${view.date}: ${totals} outstanding`),
      section(bulletList(view.invoices.map(overdueLine), OVERDUE_LIST_MAX)),
      context(
        `Oldest first. Invoices overdue more than ${plural(view.escalateAfterDays, 'day')} are also raised in the alerts channel, once each.`,
      ),
    ],
  };
}

export interface OverdueEscalationView {
  escalateAfterDays: number;
  /** Oldest first: the invoices crossing the line now, each escalated once. */
  invoices: readonly OverdueInvoiceView[];
}

/** Invoices overdue longer than the configured age: a person should chase them now. */
export function buildOverdueEscalation(view: OverdueEscalationView): SlackMessage {
  const count = plural(view.invoices.length, 'invoice');
  const age = plural(view.escalateAfterDays, 'day');
  return {
    text: fallbackText(`${count} overdue more than ${age}: ${outstandingByCurrency(view.invoices)}`),
    blocks: [
      section(
        `🚨 *${count} overdue more than ${age}*: ${outstandingByCurrency(view.invoices)} outstanding. Time for a person to chase them.`,
      ),
      section(bulletList(view.invoices.map(overdueLine), OVERDUE_LIST_MAX)),
      context('Each invoice is raised here once. Oldest first.'),
    ],
  };
}
