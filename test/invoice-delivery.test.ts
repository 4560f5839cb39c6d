import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APPROVE_INVOICE, MARK_DELIVERY_SENT, RETRY_DELIVERY } from '../blocks/ids.ts';
import { parseBillingPeriod, type BillingPeriod } from '../src/calendar/billing-period.ts';
import { startBillingRun } from '../src/billing-runs/start-billing-run.ts';
import type { MailOutbox } from '../src/local/mail-outbox/index.ts';
import type { StoredMessage } from '../src/local/slack-api/index.ts';
import { insertCustomer, insertSubscription, insertUsage } from './support/billing-factories.ts';
import { buttonsWithActionId, visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// After approval: finalized with a number, the PDF in the thread, the email in a real SMTP server,
// and every failure told in Slack with Retry / Mark as sent, which a person uses at most once.

const APPROVER = 'U0APPROVER1';
let test: TestApp;
let outbox: MailOutbox;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
const db = () => test.app.deps.db;

async function invoiceOf(customer: string) {
  return db()
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select(['invoices.id', 'invoices.status', 'invoices.number', 'invoices.pdf_sha256'])
    .where('customers.external_id', '=', customer)
    .executeTakeFirstOrThrow();
}

async function deliveryOf(customer: string) {
  const invoice = await invoiceOf(customer);
  return db()
    .selectFrom('deliveries')
    .selectAll()
    .where('invoice_id', '=', invoice.id)
    .executeTakeFirstOrThrow();
}

function cardOf(name: string): StoredMessage {
  const card = test.slack
    .messages('C0APPROVALS')
    .find((message) => visibleText(message.blocks).includes(name));
  if (card === undefined) throw new Error(`no card for ${name} yet`);
  return card;
}

async function approve(name: string): Promise<StoredMessage> {
  const card = await eventually(() => cardOf(name));
  await test.slack.clickButton({
    userId: APPROVER,
    channelId: 'C0APPROVALS',
    messageTs: card.ts,
    actionId: APPROVE_INVOICE,
  });
  return card;
}

const mailsTo = (address: string) =>
  outbox.messages().filter((message) => message.envelope.to.includes(address));

function alertFor(number: string): StoredMessage {
  const alert = test.slack
    .messages('C0ALERTS')
    .find((message) => visibleText(message.blocks).includes(number));
  if (alert === undefined) throw new Error(`no alert for ${number} yet`);
  return alert;
}

beforeAll(async () => {
  test = await startTestApp();
  const mailOutbox = test.app.mailOutbox;
  if (mailOutbox === undefined) throw new Error('expected the local mail outbox');
  outbox = mailOutbox;
  for (const [id, name] of [
    ['tokyo', 'Zoë Łódź 東京株式会社'],
    ['refused', 'Refused Ltd'],
    ['dropped', 'Dropped Ltd'],
    ['later', 'Later Ltd'],
  ] as const) {
    const customer = await insertCustomer(db(), { external_id: id, name, email_to: [`ap@${id}.example`] });
    await insertSubscription(db(), customer, { plan_code: 'starter' });
    await insertUsage(db(), customer, 'api_calls', '25000', '2026-10-05T10:00:00Z');
  }
  await startBillingRun(test.app.deps, {
    period: parseBillingPeriod('2026-10') as BillingPeriod,
    scope: { customers: 'all' },
    trigger: 'api',
    startedBy: 'api:test',
  });
});
afterAll(async () => {
  await test.stop();
});

describe('after approval', () => {
  it('finalizes with a gapless number, posts the PDF in the thread and emails it once', async () => {
    const card = await approve('Zoë Łódź');
    await eventually(async () => {
      expect((await deliveryOf('tokyo')).state).toBe('sent');
    });
    const invoice = await invoiceOf('tokyo');
    expect(invoice.number).toMatch(/^INV-\d{4}-0000[1-4]$/);

    const mails = mailsTo('ap@tokyo.example');
    expect(mails).toHaveLength(1);
    const mail = await simpleParser(mails[0]?.raw ?? Buffer.alloc(0));
    expect(mail.subject).toBe(`Invoice ${invoice.number ?? ''} from Example Software Ltd`);
    expect(mail.from?.value).toEqual([{ name: 'Example Software Billing', address: 'billing@example.com' }]);
    expect(mail.replyTo?.text).toBe('accounts@example.com');
    expect(mail.messageId).toBe(`<invoice-${invoice.id}@example.com>`);
    expect(mail.text).toContain('Hello Zoë Łódź 東京株式会社');
    expect(mail.text).toContain('£94.80');
    const [attachment] = mail.attachments;
    expect(attachment?.filename).toBe(`${invoice.number ?? ''}.pdf`);
    expect(attachment?.contentType).toBe('application/pdf');

    await eventually(async () => {
      expect((await invoiceOf('tokyo')).pdf_sha256).not.toBeNull();
    });
    const stored = await invoiceOf('tokyo');
    expect(
      createHash('sha256')
        .update(attachment?.content ?? Buffer.alloc(0))
        .digest('hex'),
    ).toBe(stored.pdf_sha256);

    await eventually(() => {
      const thread = test.slack.messages('C0APPROVALS', { threadTs: card.ts });
      expect(
        thread.some((message) => message.fileIds.length > 0 && message.text.includes(invoice.number ?? '?')),
      ).toBe(true);
      expect(thread.some((message) => message.text.startsWith(`Emailed ${invoice.number ?? ''}`))).toBe(true);
    });
    // And the local Xero sandbox has it, once, under our number and total.
    await eventually(() => {
      const posted = test.app.erpSandbox
        ?.invoices()
        .filter((entry) => JSON.stringify(entry).includes(invoice.number ?? '?'));
      expect(posted).toHaveLength(1);
      const thread = test.slack.messages('C0APPROVALS', { threadTs: card.ts });
      expect(
        thread.some((message) => message.text.includes(`Posted to Xero as *${invoice.number ?? '?'}*`)),
      ).toBe(true);
    });
    // The card's status line follows the invoice.
    await eventually(() => {
      expect(visibleText(cardOf('Zoë Łódź').blocks)).toContain(`${invoice.number ?? '?'}* · ✉️ emailed`);
    });
  });

  it('fails a refused email at once, alerts with Retry, and a Retry sends it exactly once', async () => {
    outbox.failNext({ stage: 'data', responseCode: 550, message: 'Mailbox unavailable' });
    await approve('Refused Ltd');
    await eventually(async () => {
      expect((await deliveryOf('refused')).state).toBe('failed');
    });
    const { number } = await invoiceOf('refused');
    const alert = await eventually(() => alertFor(number ?? '?'));
    expect(visibleText(alert.blocks)).toContain('Mailbox unavailable');
    expect(mailsTo('ap@refused.example')).toHaveLength(0);

    const retry = () =>
      test.slack.clickButton({
        userId: APPROVER,
        channelId: 'C0ALERTS',
        messageTs: alert.ts,
        actionId: RETRY_DELIVERY,
      });
    await Promise.all([retry(), retry(), retry()]);
    await eventually(async () => {
      expect((await deliveryOf('refused')).state).toBe('sent');
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(mailsTo('ap@refused.example')).toHaveLength(1);
  });

  it('marks an email cut off after its data uncertain, never re-sends it by itself, and lets a person settle it', async () => {
    outbox.dropNextAfterData();
    await approve('Dropped Ltd');
    await eventually(async () => {
      expect((await deliveryOf('dropped')).state).toBe('uncertain');
    });
    const { number } = await invoiceOf('dropped');
    const alert = await eventually(() => alertFor(number ?? '?'));
    expect(buttonsWithActionId(alert.blocks, RETRY_DELIVERY)[0]?.confirm).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(mailsTo('ap@dropped.example')).toHaveLength(1);
    expect((await deliveryOf('dropped')).state).toBe('uncertain');

    await test.slack.openAppHome(APPROVER);
    await eventually(() => {
      expect(visibleText(test.slack.homeView(APPROVER)?.definition)).toContain(
        'Dropped Ltd: email may not have arrived',
      );
    });
    await test.slack.clickButton({
      userId: APPROVER,
      channelId: 'C0ALERTS',
      messageTs: alert.ts,
      actionId: MARK_DELIVERY_SENT,
    });
    await eventually(async () => {
      expect((await deliveryOf('dropped')).state).toBe('sent');
    });
    expect(mailsTo('ap@dropped.example')).toHaveLength(1);
  });

  it('retries a temporary refusal by itself and delivers once', async () => {
    outbox.failNext({ stage: 'rcpt', responseCode: 451, message: 'Try again later' });
    await approve('Later Ltd');
    await eventually(async () => {
      expect((await deliveryOf('later')).state).toBe('sent');
    });
    const delivery = await deliveryOf('later');
    expect(delivery.attempts).toBe(2);
    expect(mailsTo('ap@later.example')).toHaveLength(1);
    expect(
      test.slack.messages('C0ALERTS').some((message) => visibleText(message.blocks).includes('Later Ltd')),
    ).toBe(false);
  });
});
