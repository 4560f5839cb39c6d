import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { EmailTemplates } from '../billing-config/billing-config.ts';
import { loadBillingConfig, parseBillingConfig } from '../billing-config/load-billing-config.ts';
import { buildCreditNoteEmail, type CreditNoteEmailInput } from './credit-note-email.ts';

const CREDIT_NOTE_ID = '3b0c2d1e-8d7a-4f3e-9a51-0c1d2e3f4a5b';

async function input(templates?: EmailTemplates): Promise<CreditNoteEmailInput> {
  const billing = await loadBillingConfig('billing.example.yml');
  return {
    templates: templates ?? billing.email,
    seller: billing.seller,
    invoice: {
      id: '7f1c1b1e-8d7a-4f3e-9a51-0c1d2e3f4a5b',
      number: 'INV-2026-00042',
      customerName: 'Acme Ltd',
      total: '120.00',
      currency: 'GBP',
      dueDate: '2026-12-01',
      issueDate: '2026-11-01',
      periodLabel: 'October 2026',
      payLink: undefined,
    },
    recipients: { to: ['ap@acme.example'], cc: [] },
    pdf: Buffer.from('%PDF-1.7 credit note'),
    messageIdDomain: 'seller.example',
    creditNote: { id: CREDIT_NOTE_ID, number: 'CN-2026-00003', total: '24', reason: 'one seat was not used' },
  };
}

describe('buildCreditNoteEmail', () => {
  it("says what the credit note is in billing.yml's words, with its PDF and its own Message-ID", async () => {
    const email = buildCreditNoteEmail(await input());

    expect(email.subject).toBe(
      'Credit note CN-2026-00003 for invoice INV-2026-00042 from Example Software Ltd',
    );
    expect(email.text).toContain('credit note CN-2026-00003 for invoice INV-2026-00042: £24.00.');
    expect(email.text).toContain('Reason: one seat was not used');
    expect(email.attachments).toEqual([
      expect.objectContaining({ filename: 'CN-2026-00003.pdf', contentType: 'application/pdf' }),
    ]);
    expect(email.messageId).toBe(`<credit-note-${CREDIT_NOTE_ID}@seller.example>`);
  });

  it("uses the finance team's own templates, html included, from the invoice email's sender", async () => {
    const base = await input();
    const email = buildCreditNoteEmail({
      ...base,
      templates: {
        ...base.templates,
        creditNote: {
          subject: '{seller_name}: {credit_total} back on {invoice_number}',
          text: 'Dear {customer_name}, {credit_note_number} credits {credit_total} ({reason}).',
          html: '<p>{credit_note_number} for <b>{customer_name}</b></p>',
        },
      },
      invoice: { ...base.invoice, customerName: 'Zoë & <Partners>' },
    });

    expect(email.subject).toBe('Example Software Ltd: £24.00 back on INV-2026-00042');
    expect(email.text).toBe('Dear Zoë & <Partners>, CN-2026-00003 credits £24.00 (one seat was not used).');
    expect(email.html).toBe('<p>CN-2026-00003 for <b>Zoë &amp; &lt;Partners&gt;</b></p>');
    expect(email.from).toBe(buildCreditNoteEmail(base).from);
    expect(email.from).toContain('<billing@example.com>');
  });

  it('falls back to plain words when billing.yml has no credit note template', async () => {
    const withoutTemplate = (await readFile('billing.example.yml', 'utf8')).replace(
      /\n {2}credit_note:\n(?: {4}.*\n|\n)*/,
      '\n',
    );
    expect(withoutTemplate).not.toContain('credit_note:');
    const billing = parseBillingConfig(withoutTemplate, 'billing.yml');

    const email = buildCreditNoteEmail(await input(billing.email));

    expect(email.subject).toBe(
      'Credit note CN-2026-00003 for invoice INV-2026-00042 from Example Software Ltd',
    );
    expect(email.text).toContain('Reason: one seat was not used');
  });
});
