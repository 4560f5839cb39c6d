import type { Deps } from '../ports/deps.ts';
import { InvalidEmailError } from './mail-address.ts';
import type { OutgoingMail } from '../ports/mailer.ts';
import { buildReminderEmail } from './reminder-email.ts';
import type { DeliveryToSend } from './send-invoice-email.ts';
import { renderInvoicePdf } from '../documents/render-invoice-pdf.ts';
import { emailedInvoice } from '../documents/emailed-invoice.ts';
import { messageIdDomain } from './invoice-email.ts';
import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';
import { outstandingOf } from '../money/outstanding.ts';
import { describeReminderDay, reminderDaysOf } from '../calendar/reminder-schedule.ts';

/** A reminder delivery's email: its step's templates from billing.yml, what is outstanding, the PDF. */
export async function composeReminderEmail(
  deps: Pick<Deps, 'db' | 'billing'>,
  delivery: DeliveryToSend,
): Promise<OutgoingMail> {
  const row = await deps.db
    .selectFrom('deliveries')
    .innerJoin('invoices', 'invoices.id', 'deliveries.invoice_id')
    .select(['deliveries.dedupe_key', 'invoices.total', 'invoices.amount_paid', 'invoices.amount_credited'])
    .where('deliveries.id', '=', delivery.id)
    .executeTakeFirstOrThrow();
  const days = reminderDaysOf(row.dedupe_key);
  const step = deps.billing.reminders.steps.find((entry) => entry.days === days);
  if (days === undefined || step === undefined) {
    // A person decides (Retry once billing.yml has the step again); never a guessed template.
    throw new InvalidEmailError(
      `billing.yml has no reminder step for ${days === undefined ? row.dedupe_key : describeReminderDay(days)} any more`,
    );
  }
  const document = await loadInvoiceDocument(deps.db, deps.billing, delivery.invoiceId);
  if (document === undefined)
    throw new Error(`Invoice ${delivery.invoiceId} is not finalized; no reminder to send`);
  return buildReminderEmail({
    templates: deps.billing.email,
    seller: deps.billing.seller,
    step,
    outstanding: outstandingOf(row).toFixed(),
    amountPaid: row.amount_paid,
    invoice: emailedInvoice(delivery.invoiceId, document),
    recipients: { to: delivery.recipients, cc: delivery.cc },
    pdf: await renderInvoicePdf(document),
    messageIdDomain: messageIdDomain(deps.billing.seller.email),
  });
}
