import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditLog } from '../src/audit/verify-audit-log.ts';
import { todayIn } from '../src/calendar/calendar-date.ts';
import { issueCreditNote, type CreditNoteInput } from '../src/invoices/issue-credit-note.ts';
import { voidInvoice } from '../src/invoices/void-invoice.ts';
import type { LocalXero } from '../src/local/xero/index.ts';
import { recordPayment } from '../src/payments/record-payment.ts';
import { finalizedAppInvoice, syncedAppInvoice, type AppInvoice } from './support/app-invoices.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Corrections of finalized invoices as a finance team makes them: a void (here and in the local Xero,
// through the real SDK), and credit notes with their own gapless CN series that reduce what is owed.

const APPROVER = 'U0APPROVER1';
const VIEWER = 'U0VIEWER';
const BILLING = 'C0BILLING';
const REASON = 'billed the wrong customer';

let test: TestApp;
let sandbox: LocalXero;
const db = () => test.app.deps.db;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
const today = () => todayIn('Europe/London', new Date());

beforeAll(async () => {
  test = await startTestApp();
  if (test.app.erpSandbox === undefined) throw new Error('expected the local Xero sandbox');
  sandbox = test.app.erpSandbox;
});
afterAll(async () => {
  await test.stop();
});

const finalizedInvoice = () => finalizedAppInvoice(test);
const syncedInvoice = () => syncedAppInvoice(test);

async function invoiceRow(id: string) {
  return db()
    .selectFrom('invoices')
    .select(['status', 'amount_paid', 'amount_credited', 'total', 'void_reason', 'voided_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

function threadTexts(invoice: AppInvoice): string[] {
  return test.slack
    .messages(BILLING, { threadTs: invoice.threadTs })
    .map((message) => `${message.text} ${JSON.stringify(message.blocks)}`);
}

function xeroStatus(xeroId: string): string | undefined {
  return sandbox.invoices().find((stored) => stored.invoiceId === xeroId)?.status;
}

async function auditActions(invoiceId: string): Promise<string[]> {
  const rows = await db()
    .selectFrom('audit_log')
    .select('action')
    .where('subject_id', '=', invoiceId)
    .orderBy('seq')
    .execute();
  return rows.map((row) => row.action);
}

describe('voidInvoice', () => {
  it('voids a synced unpaid invoice here and in Xero, tells the thread and audits it', async () => {
    const invoice = await syncedInvoice();
    expect(xeroStatus(invoice.xeroId)).toBe('AUTHORISED');

    const result = await voidInvoice(test.app.deps, {
      number: invoice.number,
      reason: REASON,
      userId: APPROVER,
    });
    expect(result).toMatchObject({ code: 'voided', number: invoice.number, erpVoid: true });
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'void', void_reason: REASON });

    await eventually(() => {
      expect(xeroStatus(invoice.xeroId)).toBe('VOIDED');
    });
    await eventually(() => {
      const thread = threadTexts(invoice).join('\n');
      expect(thread).toContain(`Voided ${invoice.number}: ${REASON}`);
      expect(thread).toContain(`Voided ${invoice.number} in Xero too`);
    });
    const sync = await db()
      .selectFrom('erp_syncs')
      .select(['void_state', 'voided_at'])
      .where('invoice_id', '=', invoice.id)
      .executeTakeFirstOrThrow();
    expect(sync.void_state).toBe('voided');
    expect(await auditActions(invoice.id)).toEqual(
      expect.arrayContaining(['invoice.finalized', 'invoice.voided', 'invoice.erp_voided']),
    );
    expect((await verifyAuditLog(db())).ok).toBe(true);

    const again = await voidInvoice(test.app.deps, {
      number: invoice.number,
      reason: REASON,
      userId: APPROVER,
    });
    expect(again.code).toBe('already_void');
  });

  it('refuses a paid or part-paid invoice (a credit note corrects it) and changes nothing', async () => {
    const invoice = await finalizedInvoice();
    const paid = await recordPayment(test.app.deps, {
      invoice: { number: invoice.number },
      amount: '20.00',
      paidOn: today(),
      source: 'manual',
      externalId: null,
      recordedBy: APPROVER,
    });
    expect(paid.code).toBe('recorded');
    const result = await voidInvoice(test.app.deps, {
      number: invoice.number,
      reason: REASON,
      userId: APPROVER,
    });
    expect(result).toMatchObject({ code: 'has_payments', status: 'partially_paid' });
    expect(result.code === 'has_payments' && result.message).toContain(
      'Issue a credit note instead: /invoice credit',
    );
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'partially_paid', voided_at: null });
  });

  it('refuses without a reason of a few words, for a non-approver, and for a number that does not exist', async () => {
    const invoice = await finalizedInvoice();
    expect(
      (await voidInvoice(test.app.deps, { number: invoice.number, reason: 'dup', userId: APPROVER })).code,
    ).toBe('reason_required');
    expect(
      (await voidInvoice(test.app.deps, { number: invoice.number, reason: REASON, userId: VIEWER })).code,
    ).toBe('not_an_approver');
    expect(
      (await voidInvoice(test.app.deps, { number: 'INV-1999-99999', reason: REASON, userId: APPROVER })).code,
    ).toBe('invoice_not_found');
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'finalized' });
  });

  it('when Xero holds a payment billops has not pulled yet, Xero keeps it and the alerts channel is told', async () => {
    const invoice = await syncedInvoice();
    sandbox.addPayment(invoice.number, '120.00', today());

    const result = await voidInvoice(test.app.deps, {
      number: invoice.number,
      reason: REASON,
      userId: APPROVER,
    });
    expect(result.code).toBe('voided');
    await eventually(async () => {
      const sync = await db()
        .selectFrom('erp_syncs')
        .select(['void_state', 'void_error'])
        .where('invoice_id', '=', invoice.id)
        .executeTakeFirstOrThrow();
      expect(sync.void_state).toBe('failed');
      expect(sync.void_error).toMatchObject({ code: 'has_payments' });
    });
    expect(xeroStatus(invoice.xeroId)).toBe('PAID');
    const alerts = test.slack
      .messages(test.app.deps.billing.slack.alertsChannel)
      .map((message) => message.text);
    expect(alerts.some((text) => text.includes(`Xero did not void ${invoice.number}`))).toBe(true);
    expect(threadTexts(invoice).join('\n')).toContain('Xero did not void');
  });
});

const credit = (number: string, amount?: string, userId = APPROVER): CreditNoteInput => ({
  number,
  amount,
  reason: 'one seat was not used',
  userId,
});

describe('issueCreditNote', () => {
  it('numbers 20 concurrent credit notes CN-YYYY-….. without a gap or a duplicate, apart from invoice numbers', async () => {
    const invoices = await Promise.all(Array.from({ length: 20 }, () => finalizedInvoice()));
    const invoiceNumbersBefore = invoices.map((invoice) => invoice.number);
    const results = await Promise.all(
      invoices.map((invoice) => issueCreditNote(test.app.deps, credit(invoice.number, '12.00'))),
    );
    const numbers = results.map((result) =>
      result.code === 'issued' ? result.creditNoteNumber : result.code,
    );
    const year = today().slice(0, 4);
    for (const number of numbers) expect(number).toMatch(new RegExp(`^CN-${year}-\\d{5}$`));
    const seqs = numbers.map((number) => Number(number.slice(-5))).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(20);
    const first = seqs[0] ?? 0;
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, index) => first + index));

    const next = await finalizedInvoice();
    const lastInvoiceSeq = Math.max(...invoiceNumbersBefore.map((number) => Number(number.slice(-5))));
    expect(Number(next.number.slice(-5))).toBe(lastInvoiceSeq + 1);
  });

  it('takes a partial credit with pro-rata tax, then the rest exactly, and nothing beyond the total', async () => {
    const invoice = await finalizedInvoice();
    const part = await issueCreditNote(test.app.deps, credit(invoice.number, '24.00'));
    expect(part).toMatchObject({
      code: 'issued',
      amount: '24.00',
      taxAmount: '4.00',
      full: false,
      outstanding: '96.00',
      status: 'finalized',
    });
    const over = await issueCreditNote(test.app.deps, credit(invoice.number, '96.01'));
    expect(over).toMatchObject({ code: 'exceeds_creditable', creditable: '96.00' });
    expect(over.code === 'exceeds_creditable' && over.message).toContain('at most £96.00, not £96.01');

    const odd = await issueCreditNote(test.app.deps, credit(invoice.number, '10.01'));
    expect(odd).toMatchObject({ code: 'issued', taxAmount: '1.67' });

    const rest = await issueCreditNote(test.app.deps, credit(invoice.number));
    expect(rest).toMatchObject({
      code: 'issued',
      amount: '85.99',
      full: true,
      outstanding: '0.00',
      status: 'void',
    });
    const notes = await db()
      .selectFrom('credit_notes')
      .select(['amount', 'tax_amount'])
      .where('invoice_id', '=', invoice.id)
      .execute();
    const tax = notes.reduce((total, note) => total + Math.round(Number(note.tax_amount) * 100), 0);
    expect(tax).toBe(2000);
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'void', amount_credited: '120.00' });

    const more = await issueCreditNote(test.app.deps, credit(invoice.number, '1.00'));
    expect(more.code).toBe('not_creditable');
    await eventually(() => {
      expect(threadTexts(invoice).join('\n')).toContain(`for ${invoice.number}: £24.00`);
    });
  });

  it('reduces what a payment may cover: a part-credited invoice is paid in full by the rest', async () => {
    const invoice = await finalizedInvoice();
    expect((await issueCreditNote(test.app.deps, credit(invoice.number, '20.00'))).code).toBe('issued');
    const pay = (amount: string) =>
      recordPayment(test.app.deps, {
        invoice: { number: invoice.number },
        amount,
        paidOn: today(),
        source: 'manual',
        externalId: null,
        recordedBy: APPROVER,
      });
    expect((await pay('100.01')).code).toBe('overpayment');
    expect(await pay('100.00')).toMatchObject({ code: 'recorded', status: 'paid', outstanding: '0.00' });
  });
});

describe('/invoice void and /invoice credit over signed HTTP', () => {
  function lastAnswer(responseUrl: string): string {
    const id = new URL(responseUrl).pathname.split('/').pop();
    return JSON.stringify(test.slack.responses(id).at(-1)?.body ?? null);
  }
  const command = (userId: string, text: string) =>
    test.slack.sendSlashCommand({ userId, channelId: BILLING, command: '/invoice', text });

  it('voids for an approver and refuses someone who is not one', async () => {
    const invoice = await finalizedInvoice();
    const refused = await command(VIEWER, `void ${invoice.number} ${REASON}`);
    await eventually(() => {
      expect(lastAnswer(refused.responseUrl)).toContain('Only billing approvers can void invoices');
    });
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'finalized' });

    const reply = await command(APPROVER, `void ${invoice.number} ${REASON}`);
    expect(reply.status).toBe(200);
    await eventually(() => {
      expect(lastAnswer(reply.responseUrl)).toContain(`Voided ${invoice.number}.`);
    });
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'void', void_reason: REASON });
  });

  it('issues a credit note for an approver and refuses someone who is not one', async () => {
    const invoice = await finalizedInvoice();
    const refused = await command(VIEWER, `credit ${invoice.number} 10.00 one seat was not used`);
    await eventually(() => {
      expect(lastAnswer(refused.responseUrl)).toContain('Only billing approvers can issue credit notes');
    });
    const reply = await command(APPROVER, `credit ${invoice.number} 10.00 one seat was not used`);
    await eventually(() => {
      expect(lastAnswer(reply.responseUrl)).toContain(`for ${invoice.number}`);
    });
    expect(await invoiceRow(invoice.id)).toMatchObject({ amount_credited: '10.00', status: 'finalized' });
  });

  it('says what is missing from a void without a reason', async () => {
    const reply = await command(APPROVER, 'void INV-2026-00001');
    expect(JSON.stringify(reply.body)).toContain('in at least 3 words');
  });
});
