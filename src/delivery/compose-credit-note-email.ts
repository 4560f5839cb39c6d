import type { Deps } from '../ports/deps.ts';
import { buildCreditNoteEmail } from './credit-note-email.ts';
import type { OutgoingMail } from '../ports/mailer.ts';
import type { DeliveryToSend } from './send-invoice-email.ts';
import { renderInvoicePdf } from '../documents/render-invoice-pdf.ts';
import { emailedInvoice } from '../documents/emailed-invoice.ts';
import { messageIdDomain } from './invoice-email.ts';
import { loadCreditNoteDocument } from '../documents/load-credit-note-document.ts';
import { loadInvoiceDocument } from '../documents/load-invoice-document.ts';

/** A credit note delivery's email: the credit note's (deterministic) PDF attached. */
export async function composeCreditNoteEmail(
  deps: Pick<Deps, 'db' | 'billing'>,
  delivery: DeliveryToSend,
): Promise<OutgoingMail> {
  const row = await deps.db
    .selectFrom('deliveries')
    .select('credit_note_id')
    .where('id', '=', delivery.id)
    .executeTakeFirstOrThrow();
  if (row.credit_note_id === null) throw new Error(`Delivery ${delivery.id} carries no credit note`);
  const [credit, invoice] = await Promise.all([
    loadCreditNoteDocument(deps.db, deps.billing, row.credit_note_id),
    loadInvoiceDocument(deps.db, deps.billing, delivery.invoiceId),
  ]);
  if (credit === undefined || invoice === undefined)
    throw new Error(`Credit note ${row.credit_note_id} or its invoice cannot be loaded; nothing to email`);
  const { document } = credit;
  return buildCreditNoteEmail({
    templates: deps.billing.email,
    seller: deps.billing.seller,
    invoice: { ...emailedInvoice(delivery.invoiceId, invoice), payLink: undefined },
    creditNote: {
      id: row.credit_note_id,
      number: document.number,
      total: document.total,
      reason: document.credits?.reason ?? '',
    },
    recipients: { to: delivery.recipients, cc: delivery.cc },
    pdf: await renderInvoicePdf(document),
    messageIdDomain: messageIdDomain(deps.billing.seller.email),
  });
}
