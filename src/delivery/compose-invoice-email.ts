import type { Deps } from '../ports/deps.ts';
import { buildInvoiceEmail } from './invoice-email.ts';
import type { OutgoingMail } from '../ports/mailer.ts';
import type { DeliveryToSend } from './send-invoice-email.ts';
import { renderInvoicePdf } from '../documents/render-invoice-pdf.ts';
import { composeReminderEmail } from './compose-reminder-email.ts';
import { composeCreditNoteEmail } from './compose-credit-note-email.ts';
import { messageIdDomain } from './invoice-email.ts';
import { emailedInvoice } from '../documents/emailed-invoice.ts';
import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';

/**
 * The email for a delivery: templates from billing.yml, the (deterministic) PDF attached. A reminder
 * is composed from its step's templates, so Retry on a failed reminder sends the reminder again; a
 * credit note carries its own PDF.
 */
export async function composeInvoiceEmail(
  deps: Pick<Deps, 'db' | 'billing'>,
  delivery: DeliveryToSend,
): Promise<OutgoingMail> {
  if (delivery.kind === 'reminder') return composeReminderEmail(deps, delivery);
  if (delivery.kind === 'credit_note') return composeCreditNoteEmail(deps, delivery);
  const document = await loadInvoiceDocument(deps.db, deps.billing, delivery.invoiceId);
  if (document === undefined)
    throw new Error(`Invoice ${delivery.invoiceId} is not finalized; nothing to email`);
  return buildInvoiceEmail({
    templates: deps.billing.email,
    seller: deps.billing.seller,
    invoice: emailedInvoice(delivery.invoiceId, document),
    recipients: { to: delivery.recipients, cc: delivery.cc },
    pdf: await renderInvoicePdf(document),
    messageIdDomain: messageIdDomain(deps.billing.seller.email),
  });
}
