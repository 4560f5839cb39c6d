import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyAuditLog } from '../src/audit/verify-audit-log.ts';
import { addDays, todayIn } from '../src/calendar/calendar-date.ts';
import { pullErpPaymentsTask } from '../src/jobs/pull-erp-payments-task.ts';
import { CRONTAB } from '../src/jobs/task-list.ts';
import type { LocalXero } from '../src/local/xero/index.ts';
import { recordPayment, type PaymentInput } from '../src/payments/record-payment.ts';
import { xeroSignature } from '../src/webhooks/xero-webhook.ts';
import { insertCustomer } from './support/billing-factories.ts';
import { finalizedAppInvoice, syncedAppInvoice, type AppInvoice } from './support/app-invoices.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Payments as a finance team records them: by hand with /invoice paid (signed HTTP into the app), and
// from Xero (the hourly pull and the webhook), each recorded once, told in the invoice's thread and
// audited; what cannot be right (an overpayment, a void or draft invoice) is refused and changes nothing.

const XERO_KEY = 'xero-webhook-key-payments-0123';
const APPROVER = 'U0APPROVER1';
const VIEWER = 'U0VIEWER';
const BILLING = 'C0BILLING';

let test: TestApp;
let sandbox: LocalXero;
const db = () => test.app.deps.db;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
// Payments happen on real days: the app's clock is the real one.
const today = () => todayIn('Europe/London', new Date());

beforeAll(async () => {
  test = await startTestApp({ XERO_WEBHOOK_KEY: XERO_KEY });
  if (test.app.erpSandbox === undefined) throw new Error('expected the local Xero sandbox');
  sandbox = test.app.erpSandbox;
});
afterAll(async () => {
  await test.stop();
});

const finalizedInvoice = () => finalizedAppInvoice(test);
const syncedInvoice = () => syncedAppInvoice(test);

function byHand(number: string, amount: string, paidOn = today()): PaymentInput {
  return {
    invoice: { number },
    amount,
    paidOn,
    source: 'manual',
    externalId: null,
    recordedBy: APPROVER,
  };
}

async function invoiceRow(id: string) {
  return db()
    .selectFrom('invoices')
    .select(['status', 'amount_paid', 'total', 'version'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function paymentsOf(invoiceId: string) {
  return db()
    .selectFrom('payments')
    .select(['amount', 'currency', 'paid_on', 'source', 'external_id', 'recorded_by'])
    .where('invoice_id', '=', invoiceId)
    .orderBy('created_at')
    .execute();
}

function threadTexts(invoice: AppInvoice): string[] {
  return test.slack
    .messages(BILLING, { threadTs: invoice.threadTs })
    .map((message) => `${message.text} ${JSON.stringify(message.blocks)}`);
}

describe('recordPayment', () => {
  it('takes a part payment (partially paid), then the rest (paid), tells the thread and audits both', async () => {
    const invoice = await finalizedInvoice();
    const paidOn = addDays(today(), -1);

    const part = await recordPayment(test.app.deps, byHand(invoice.number, '50', paidOn));
    expect(part).toMatchObject({
      code: 'recorded',
      status: 'partially_paid',
      previousStatus: 'finalized',
      amount: '50.00',
      amountPaid: '50.00',
      outstanding: '70.00',
      paidInFull: false,
    });
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'partially_paid', amount_paid: '50.00' });

    const rest = await recordPayment(test.app.deps, byHand(invoice.number, '70.00'));
    expect(rest).toMatchObject({
      code: 'recorded',
      status: 'paid',
      previousStatus: 'partially_paid',
      amountPaid: '120.00',
      outstanding: '0.00',
      paidInFull: true,
    });
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'paid', amount_paid: '120.00' });
    expect(await paymentsOf(invoice.id)).toEqual([
      {
        amount: '50.00',
        currency: 'GBP',
        paid_on: paidOn,
        source: 'manual',
        external_id: null,
        recorded_by: APPROVER,
      },
      expect.objectContaining({ amount: '70.00', paid_on: today() }),
    ]);

    // Told in the invoice's thread, in order, once each.
    await eventually(() => {
      const payments = threadTexts(invoice).filter((text) => /Payment of|Paid in full/.test(text));
      expect(payments).toHaveLength(2);
      expect(payments[0]).toContain('Payment of £50.00 received');
      expect(payments[0]).toContain('£70.00 outstanding');
      expect(payments[0]).toContain(`<@${APPROVER}>`);
      expect(payments[1]).toContain(`Paid in full: ${invoice.number}`);
    });

    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor', 'action', 'details'])
      .where('subject_id', '=', invoice.id)
      .where('action', '=', 'invoice.payment_recorded')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      {
        actor: APPROVER,
        action: 'invoice.payment_recorded',
        details: expect.objectContaining({
          amount: '50.00',
          currency: 'GBP',
          source: 'manual',
          status: 'partially_paid',
          outstanding: '70.00',
        }) as unknown,
      },
      {
        actor: APPROVER,
        action: 'invoice.payment_recorded',
        details: expect.objectContaining({ amount: '70.00', status: 'paid', outstanding: '0.00' }) as unknown,
      },
    ]);
    expect(await verifyAuditLog(db())).toMatchObject({ ok: true });

    // Paid in full: nothing more can be recorded against it.
    expect(await recordPayment(test.app.deps, byHand(invoice.number, '1.00'))).toMatchObject({
      code: 'not_payable',
      message: `${invoice.number} is already paid in full: there is nothing left to record against it.`,
    });
  });

  it('refuses an overpayment with what is outstanding, and changes nothing', async () => {
    const invoice = await finalizedInvoice();
    await recordPayment(test.app.deps, byHand(invoice.number, '80.00'));
    const before = await invoiceRow(invoice.id);

    const over = await recordPayment(test.app.deps, byHand(invoice.number, '50.00'));

    expect(over).toEqual({
      code: 'overpayment',
      outstanding: '40.00',
      excess: '10.00',
      message: `${invoice.number} has £40.00 outstanding; a payment of £50.00 would overpay it by £10.00. Record £40.00, or refund the difference outside billops.`,
    });
    expect(await invoiceRow(invoice.id)).toEqual(before);
    expect(await paymentsOf(invoice.id)).toHaveLength(1);
  });

  it('refuses a payment on a draft or a void invoice, and on an unknown number', async () => {
    const customerId = await insertCustomer(db());
    const draft = await db()
      .insertInto('invoices')
      .values({ customer_id: customerId, currency: 'GBP', status: 'draft', total: '10.00' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const voided = await db()
      .insertInto('invoices')
      .values({
        customer_id: customerId,
        currency: 'GBP',
        status: 'void',
        total: '10.00',
        number: 'INV-TEST-VOID',
        finalized_at: new Date(),
        voided_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    expect(
      await recordPayment(test.app.deps, { ...byHand('', '5.00'), invoice: { id: draft.id } }),
    ).toMatchObject({
      code: 'not_payable',
      status: 'draft',
      message: expect.stringContaining('not finalized') as string,
    });
    expect(await recordPayment(test.app.deps, byHand('INV-TEST-VOID', '5.00'))).toMatchObject({
      code: 'not_payable',
      status: 'void',
      message: expect.stringContaining('INV-TEST-VOID is void') as string,
    });
    expect(await recordPayment(test.app.deps, byHand('INV-NOPE', '5.00'))).toMatchObject({
      code: 'invoice_not_found',
    });
    for (const id of [draft.id, voided.id]) {
      expect(await invoiceRow(id)).toMatchObject({ amount_paid: '0' });
      expect(await paymentsOf(id)).toEqual([]);
    }
  });

  it('refuses an amount finer than the currency, nothing at all, and a day that has not come yet', async () => {
    const invoice = await finalizedInvoice();
    expect(await recordPayment(test.app.deps, byHand(invoice.number, '10.005'))).toMatchObject({
      code: 'invalid_amount',
      message: '10.005 has more decimals than GBP has (2): give the amount exactly as received.',
    });
    expect(await recordPayment(test.app.deps, byHand(invoice.number, '0.00'))).toMatchObject({
      code: 'invalid_amount',
    });
    const tomorrow = addDays(today(), 1);
    expect(await recordPayment(test.app.deps, byHand(invoice.number, '10', tomorrow))).toMatchObject({
      code: 'invalid_date',
      message: expect.stringContaining(`${tomorrow} is in the future`) as string,
    });
    expect(await paymentsOf(invoice.id)).toEqual([]);
  });
});

describe('/invoice paid', () => {
  function lastAnswer(responseUrl: string): string {
    const id = new URL(responseUrl).pathname.split('/').pop();
    return JSON.stringify(test.slack.responses(id).at(-1)?.body ?? null);
  }

  const paid = (userId: string, text: string) =>
    test.slack.sendSlashCommand({ userId, channelId: BILLING, command: '/invoice', text: `paid ${text}` });

  it('records a payment for an approver and answers only them with what is left', async () => {
    const invoice = await finalizedInvoice();
    const reply = await paid(APPROVER, `${invoice.number} 20.00`);
    expect(reply.status).toBe(200);
    await eventually(() => {
      expect(lastAnswer(reply.responseUrl)).toContain('Recorded a payment of £20.00');
    });
    const answer = lastAnswer(reply.responseUrl);
    expect(answer).toContain('£100.00 is still outstanding');
    expect(answer).toContain('"response_type":"ephemeral"');
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'partially_paid', amount_paid: '20.00' });
    expect(await paymentsOf(invoice.id)).toEqual([
      expect.objectContaining({ amount: '20.00', paid_on: today(), recorded_by: APPROVER }),
    ]);

    const over = await paid(APPROVER, `${invoice.number} 150 ${addDays(today(), -2)}`);
    await eventually(() => {
      expect(lastAnswer(over.responseUrl)).toContain('would overpay it by £50.00');
    });
    expect(await paymentsOf(invoice.id)).toHaveLength(1);
  });

  it('refuses someone who is not an approver, and changes nothing', async () => {
    const invoice = await finalizedInvoice();
    const reply = await paid(VIEWER, `${invoice.number} 20.00`);
    await eventually(() => {
      expect(lastAnswer(reply.responseUrl)).toContain('Only billing approvers can record payments');
    });
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'finalized', amount_paid: '0' });
    expect(await paymentsOf(invoice.id)).toEqual([]);
  });

  it('says what is wrong with a malformed command, with the usage', async () => {
    const reply = await paid(APPROVER, 'INV-2026-00001 £20');
    expect(JSON.stringify(reply.body)).toContain('is not an amount');
    expect(JSON.stringify(reply.body)).toContain('/invoice paid &lt;invoice number&gt; &lt;amount&gt;');
  });
});

describe('payments from Xero', () => {
  it('pulls a payment entered in Xero once, however often it pulls', async () => {
    expect(CRONTAB).toContain('pull_erp_payments');
    const invoice = await syncedInvoice();
    const paymentId = sandbox.addPayment(invoice.number, '30.00', addDays(today(), -1));

    const pull = pullErpPaymentsTask(test.app.deps);
    await pull({});
    await pull({});

    expect(await paymentsOf(invoice.id)).toEqual([
      {
        amount: '30.00',
        currency: 'GBP',
        paid_on: addDays(today(), -1),
        source: 'xero',
        external_id: paymentId,
        recorded_by: 'system:xero',
      },
    ]);
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'partially_paid', amount_paid: '30.00' });
    await eventually(() => {
      expect(threadTexts(invoice).join('\n')).toContain('from Xero');
    });
  });

  it('matches a payment recorded by hand to the same money entered in Xero later, and says so in the thread', async () => {
    const invoice = await syncedInvoice();
    expect((await recordPayment(test.app.deps, byHand(invoice.number, '25.00'))).code).toBe('recorded');
    const paymentId = sandbox.addPayment(invoice.number, '25.00', today());

    await pullErpPaymentsTask(test.app.deps)({});

    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'partially_paid', amount_paid: '25.00' });
    expect(await paymentsOf(invoice.id)).toEqual([expect.objectContaining({ source: 'manual' })]);
    await eventually(() => {
      expect(threadTexts(invoice).join('\n')).toContain('Xero has the payment of *£25.00*');
    });
    expect(threadTexts(invoice).join('\n')).toContain('matched to it, counted once');
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('subject_id', '=', invoice.id)
      .where('action', '=', 'invoice.payment_matched')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ externalId: paymentId, source: 'xero' });
  });

  it('does not count money twice when a person records a payment Xero already reported', async () => {
    const invoice = await syncedInvoice();
    sandbox.addPayment(invoice.number, '35.00', addDays(today(), -2));
    await pullErpPaymentsTask(test.app.deps)({});
    expect(await invoiceRow(invoice.id)).toMatchObject({ amount_paid: '35.00' });

    const again = await recordPayment(test.app.deps, byHand(invoice.number, '35'));
    expect(again).toMatchObject({ code: 'reported_by_erp' });
    expect(again.code === 'reported_by_erp' && again.message).toContain(
      `Xero already reported a payment of £35.00 for ${invoice.number} (received on ${addDays(today(), -2)})`,
    );
    expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'partially_paid', amount_paid: '35.00' });

    // Another amount is other money.
    expect((await recordPayment(test.app.deps, byHand(invoice.number, '10.00'))).code).toBe('recorded');
    expect(await invoiceRow(invoice.id)).toMatchObject({ amount_paid: '45.00' });
  });

  it('records the payment a signed Xero webhook tells about, and marks the event handled', async () => {
    const invoice = await syncedInvoice();
    const paymentId = sandbox.addPayment(invoice.number, '120.00', today());
    const event = (resourceId: string) => ({
      resourceUrl: `https://api.xero.com/api.xro/2.0/Invoices/${resourceId}`,
      resourceId,
      eventDateUtc: new Date().toISOString().replace('Z', ''),
      eventType: 'UPDATE',
      eventCategory: 'INVOICE',
      tenantId: sandbox.tenantId,
      tenantType: 'ORGANISATION',
    });
    const body = JSON.stringify({
      // The second invoice is not one of billops': nothing to pull for it.
      events: [event(invoice.xeroId), event('0f0f0f0f-0000-4000-8000-00000000abcd')],
      firstEventSequence: 1,
      lastEventSequence: 2,
      entropy: 'PAYMENTS',
    });
    const response = await fetch(`${test.app.url}/webhooks/xero`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-xero-signature': xeroSignature(XERO_KEY, body) },
      body,
    });
    expect(response.status).toBe(200);

    await eventually(async () => {
      expect(await invoiceRow(invoice.id)).toMatchObject({ status: 'paid', amount_paid: '120.00' });
    });
    expect(await paymentsOf(invoice.id)).toEqual([
      expect.objectContaining({ amount: '120.00', source: 'xero', external_id: paymentId }),
    ]);
    await eventually(async () => {
      const unhandled = await db()
        .selectFrom('erp_events')
        .select('id')
        .where('handled_at', 'is', null)
        .execute();
      expect(unhandled).toEqual([]);
    });
    await eventually(() => {
      expect(threadTexts(invoice).join('\n')).toContain(`Paid in full: ${invoice.number}`);
    });
  });
});
