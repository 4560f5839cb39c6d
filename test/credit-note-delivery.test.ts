import { simpleParser } from 'mailparser';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { renderInvoicePdf, sha256Of } from '../src/documents/render-invoice-pdf.ts';
import { issueCreditNote } from '../src/invoices/issue-credit-note.ts';
import { loadCreditNoteDocument } from '../src/documents/load-credit-note-document.ts';
import type { MailOutbox } from '../src/local/mail-outbox/index.ts';
import type { LocalXero } from '../src/local/xero/index.ts';
import { syncedAppInvoice } from './support/app-invoices.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// A credit note as the whole app issues it: its PDF (stored hash, in the thread), its email sent once
// through the delivery ledger with that PDF, and its posting to the local Xero, allocated to the invoice.

const APPROVER = 'U0APPROVER1';
const BILLING = 'C0BILLING';
let test: TestApp;
let outbox: MailOutbox;
let sandbox: LocalXero;
const db = () => test.app.deps.db;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });

beforeAll(async () => {
  test = await startTestApp();
  if (test.app.mailOutbox === undefined || test.app.erpSandbox === undefined)
    throw new Error('expected the local mail outbox and Xero sandbox');
  outbox = test.app.mailOutbox;
  sandbox = test.app.erpSandbox;
});
afterAll(async () => {
  await test.stop();
});

async function pdfText(buffer: Buffer): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(buffer), verbosity: 0 }).promise;
  try {
    let text = '';
    for (let number = 1; number <= pdf.numPages; number += 1) {
      const content = await (await pdf.getPage(number)).getTextContent();
      for (const item of content.items) if ('str' in item) text += `${item.str}${item.hasEOL ? '\n' : ''}`;
    }
    return text.replace(/\s+/g, ' ');
  } finally {
    await pdf.destroy();
  }
}

const syncedInvoice = (address: string) => syncedAppInvoice(test, { email_to: [address] });

describe('a credit note issued in the app', () => {
  it('has a PDF titled Credit note, is emailed once with it, and reaches Xero allocated to the invoice', async () => {
    const address = 'ap@credit-note.example';
    const invoice = await syncedInvoice(address);
    const issued = await issueCreditNote(test.app.deps, {
      number: invoice.number,
      amount: '24.00',
      reason: 'two seats were billed twice',
      userId: APPROVER,
    });
    if (issued.code !== 'issued') throw new Error(issued.code);
    const cn = issued.creditNoteNumber;

    // The PDF: parsed back, it says what it is; its hash is stored.
    const loaded = await loadCreditNoteDocument(db(), test.app.deps.billing, issued.creditNoteId);
    if (loaded === undefined) throw new Error('no credit note document');
    const pdf = await renderInvoicePdf(loaded.document);
    const text = await pdfText(pdf);
    expect(text).toContain('CREDIT NOTE');
    expect(text).toContain(`Credit note ${cn}`);
    expect(text).toContain(`Credits invoice ${invoice.number}`);
    expect(text).toContain(`Credit against ${invoice.number}: two seats were billed twice`);
    expect(text).toContain('24.00');
    expect(text).not.toContain('PAYMENT');
    const stored = await eventually(async () => {
      const row = await db()
        .selectFrom('credit_notes')
        .select('pdf_sha256')
        .where('id', '=', issued.creditNoteId)
        .executeTakeFirstOrThrow();
      expect(row.pdf_sha256).not.toBeNull();
      return row.pdf_sha256;
    });
    expect(stored).toBe(sha256Of(pdf));

    // The email: once, to the customer, with that very PDF.
    const mails = await eventually(() => {
      const found = outbox
        .messages()
        .filter((message) => message.envelope.to.includes(address))
        .filter((message) => message.raw.toString('utf8').includes(cn));
      expect(found).toHaveLength(1);
      return found;
    });
    const mail = await simpleParser(mails[0]?.raw ?? Buffer.alloc(0));
    expect(mail.subject).toBe(`Credit note ${cn} for invoice ${invoice.number} from Example Software Ltd`);
    expect(mail.messageId).toBe(`<credit-note-${issued.creditNoteId}@example.com>`);
    expect(mail.text).toContain('two seats were billed twice');
    const [attachment] = mail.attachments;
    expect(attachment?.filename).toBe(`${cn}.pdf`);
    expect(attachment?.contentType).toBe('application/pdf');
    expect(sha256Of(attachment?.content ?? Buffer.alloc(0))).toBe(stored);
    const delivery = await db()
      .selectFrom('deliveries')
      .select(['state', 'kind', 'dedupe_key', 'credit_note_id'])
      .where('credit_note_id', '=', issued.creditNoteId)
      .execute();
    expect(delivery).toEqual([
      {
        state: 'sent',
        kind: 'credit_note',
        dedupe_key: `credit_note:${issued.creditNoteId}`,
        credit_note_id: issued.creditNoteId,
      },
    ]);

    // Xero: an ACCRECCREDIT with our number, allocated, so the invoice owes 96.00 there.
    await eventually(async () => {
      const sync = await db()
        .selectFrom('erp_credit_note_syncs')
        .select(['state', 'allocation_state'])
        .where('credit_note_id', '=', issued.creditNoteId)
        .executeTakeFirstOrThrow();
      expect(sync).toEqual({ state: 'synced', allocation_state: 'allocated' });
    });
    const notes = sandbox.creditNotes().filter((note) => note.creditNoteNumber === cn);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ type: 'ACCRECCREDIT', status: 'AUTHORISED', total: '24.00' });
    const xeroInvoice = sandbox.invoices().find((stored) => stored.invoiceId === invoice.xeroId);
    expect(xeroInvoice?.credits?.map((credit) => credit.amount)).toEqual(['24.00']);

    // The thread heard about the PDF and the ERP posting.
    await eventually(() => {
      const thread = test.slack
        .messages(BILLING, { threadTs: invoice.threadTs })
        .map((message) => `${message.text} ${JSON.stringify(message.blocks)}`)
        .join('\n');
      expect(thread).toContain(`Credit note ${cn} posted to Xero`);
    });
    expect(outbox.messages().filter((message) => message.raw.toString('utf8').includes(cn))).toHaveLength(1);
  });
});
