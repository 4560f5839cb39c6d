import { createHash } from 'node:crypto';
import type { InvoiceDocument } from './invoice-document.ts';
import { loadInvoiceFonts } from './invoice-fonts.ts';
import { documentTitle, layoutInvoice } from './invoice-layout.ts';
import { readLogo } from './logo-image.ts';
import { paintPdf } from './paint-pdf.ts';
import { Typesetter } from './text-layout.ts';

let typesetter: Promise<Typesetter> | undefined;

/**
 * The invoice (or a credit note, `kind: 'credit_note'`) as an A4 PDF with embedded fonts (Latin, Greek, Cyrillic, Thai, CJK). The same document
 * always gives the same bytes: its dates come from `finalizedAt`, never from the clock.
 */
export async function renderInvoicePdf(document: InvoiceDocument): Promise<Buffer> {
  typesetter ??= loadInvoiceFonts()
    .then((fonts) => new Typesetter(fonts))
    .catch((error: unknown) => {
      typesetter = undefined;
      throw error;
    });
  const { logoPath } = document.branding;
  const [setter, logo] = await Promise.all([
    typesetter,
    logoPath === undefined ? undefined : readLogo(logoPath),
  ]);
  const pages = layoutInvoice(document, setter, logo);
  return paintPdf(pages, {
    title: document.number,
    author: document.seller.name,
    subject: `${documentTitle(document)} ${document.number} to ${document.customer.name}`,
    createdAt: document.finalizedAt,
  });
}

/** Hex SHA-256 of a file: what an audit entry or an idempotency check records of a rendered PDF. */
export function sha256Of(buffer: Uint8Array): string {
  return createHash('sha256').update(buffer).digest('hex');
}
