import { Logger as WorkerLogger, runOnce } from 'graphile-worker';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer } from '../src/delivery/mailer.ts';
import type { Mailer } from '../src/ports/mailer.ts';
import type { Deps } from '../src/ports/deps.ts';
import { buildTaskList } from '../src/jobs/task-list.ts';
import { startMailOutbox, type MailOutbox } from '../src/local/mail-outbox/index.ts';
import { startLocalSlack, type LocalSlack } from '../src/local/slack-api/index.ts';
import { recordPayment } from '../src/payments/record-payment.ts';
import { sendDueRemindersTask } from '../src/jobs/send-due-reminders-task.ts';
import { noteUnsendableReminders } from '../src/reminders/note-unsendable-reminders.ts';
import { sendDueReminders } from '../src/reminders/send-due-reminders.ts';
import { createSlackClient } from '../src/slack/create-slack-client.ts';
import { insertApprovedInvoice, insertCustomer } from './support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { fixedClock, testDeps } from './support/test-deps.ts';

// Payment reminders from billing.example.yml (3 days before, on the due day, 1 and 7 days after, at
// 09:00 in the customer's zone) through the delivery ledger, a real SMTP server (the local outbox),
// real Postgres and graphile-worker, and the local Slack API for the invoice threads.

const TOKEN = 'xoxb-reminders-test';
let database: TestDatabase;
let outbox: MailOutbox;
let mailer: Mailer;
let slack: LocalSlack;
let deps: Deps;
const clock = fixedClock('2026-11-01T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  outbox = await startMailOutbox();
  mailer = createSmtpMailer(outbox.smtpUrl);
  slack = await startLocalSlack({ signingSecret: 'reminders-test-secret', botToken: TOKEN });
  deps = await testDeps(database, { clock, mailer, slack: createSlackClient(TOKEN, slack.apiUrl) });
});
afterAll(async () => {
  await mailer.close();
  await outbox.stop();
  await slack.stop();
  await database.close();
});

/** The worker, until no job is left to run now: sends what was queued, posts what was sent. */
async function runJobs(): Promise<void> {
  await runOnce({
    pgPool: database.pool,
    taskList: buildTaskList(deps),
    noHandleSignals: true,
    logger: new WorkerLogger(() => () => undefined),
  });
}

let invoiceCount = 0;

/** A finalized invoice of 120.00 GBP (100.00 + 20% VAT) with a thread in the approvals channel. */
async function finalizedInvoice(
  customer: string,
  options: { timezone: string; dueDate: string; optOut?: boolean; finalizedAt?: string },
) {
  const customerId = await insertCustomer(database.db, {
    external_id: customer,
    email_to: [`ap@${customer}.example`],
  });
  await database.db
    .updateTable('customers')
    .set({ timezone: options.timezone, reminders_opt_out: options.optOut ?? false })
    .where('id', '=', customerId)
    .execute();
  const invoiceId = await insertApprovedInvoice(database.db, {
    customerId,
    taxRate: 20,
    taxCode: 'OUTPUT2',
    itemCode: null,
    accountCode: '200',
  });
  const card = await deps.slack.post({ channel: 'C0APPROVALS', text: `Card for ${customer}` });
  invoiceCount += 1;
  const number = `INV-2026-${String(invoiceCount).padStart(5, '0')}`;
  await database.db
    .updateTable('invoices')
    .set({
      status: 'finalized',
      number,
      series: 'INV',
      finalized_at: new Date(options.finalizedAt ?? '2026-10-01T10:00:00Z'),
      issue_date: (options.finalizedAt ?? '2026-10-01').slice(0, 10),
      due_date: options.dueDate,
      slack_channel_id: 'C0APPROVALS',
      slack_thread_ts: card.ts,
    })
    .where('id', '=', invoiceId)
    .execute();
  return { invoiceId, number, threadTs: card.ts };
}

const mailsTo = (customer: string) =>
  outbox.messages().filter((message) => message.envelope.to.includes(`ap@${customer}.example`));

const remindersOf = (invoiceId: string) =>
  database.db
    .selectFrom('deliveries')
    .select(['dedupe_key', 'state', 'error'])
    .where('invoice_id', '=', invoiceId)
    .where('kind', '=', 'reminder')
    .orderBy('created_at')
    .execute();

const threadTexts = (threadTs: string) =>
  slack.messages('C0APPROVALS', { threadTs }).map((message) => message.text);

async function queuedFor(invoiceId: string): Promise<number[]> {
  return (await sendDueReminders(deps))
    .filter((entry) => entry.invoiceId === invoiceId)
    .map((entry) => entry.days);
}

describe('payment reminders', () => {
  it("emails a step once, in the customer's morning, with its template and the PDF, however often the job runs", async () => {
    const kiwi = await finalizedInvoice('kiwi', { timezone: 'Pacific/Auckland', dueDate: '2026-11-10' });
    const coast = await finalizedInvoice('coast', { timezone: 'America/Los_Angeles', dueDate: '2026-11-10' });

    // 08:59 on the due day in Auckland: nothing yet (the step 3 days before came and went unsent).
    clock.set('2026-11-09T19:59:00Z');
    expect(await queuedFor(kiwi.invoiceId)).toEqual([]);

    // 09:00 in Auckland is still 12:00 the day before in Los Angeles.
    clock.set('2026-11-09T20:00:00Z');
    const [first, second] = await Promise.all([sendDueReminders(deps), sendDueReminders(deps)]);
    expect([...first, ...second].filter((entry) => entry.invoiceId === kiwi.invoiceId)).toHaveLength(1);
    expect([...first, ...second].filter((entry) => entry.invoiceId === coast.invoiceId)).toEqual([]);
    await runJobs();
    expect(await queuedFor(kiwi.invoiceId)).toEqual([]);
    await runJobs();

    expect(await remindersOf(kiwi.invoiceId)).toEqual([
      { dedupe_key: `reminder:${kiwi.invoiceId}:0`, state: 'sent', error: null },
    ]);
    const mails = mailsTo('kiwi');
    expect(mails).toHaveLength(1);
    const mail = await simpleParser(mails[0]?.raw ?? Buffer.alloc(0));
    expect(mail.subject).toBe(`Invoice ${kiwi.number} is due today`);
    expect(mail.text).toContain(`Invoice ${kiwi.number} is due today: £120.00 outstanding.`);
    expect(mail.from?.value).toEqual([{ name: 'Example Software Billing', address: 'billing@example.com' }]);
    expect(mail.messageId).toBe(`<reminder-${kiwi.invoiceId}-day0@example.com>`);
    expect(mail.attachments.map((attachment) => [attachment.filename, attachment.contentType])).toEqual([
      [`${kiwi.number}.pdf`, 'application/pdf'],
    ]);
    expect(mail.attachments[0]?.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(threadTexts(kiwi.threadTs)).toEqual([
      `Reminder sent for ${kiwi.number} (on the due date) to ap@kiwi.example`,
    ]);

    // 09:00 on the due day in Los Angeles.
    clock.set('2026-11-10T17:00:00Z');
    expect(await queuedFor(coast.invoiceId)).toEqual([0]);
    expect(await queuedFor(kiwi.invoiceId)).toEqual([]);
    await runJobs();
    expect(mailsTo('coast')).toHaveLength(1);
    expect(mailsTo('kiwi')).toHaveLength(1);

    // The next step, the day after, once.
    clock.set('2026-11-10T20:00:00Z');
    expect(await queuedFor(kiwi.invoiceId)).toEqual([1]);
    expect(await queuedFor(kiwi.invoiceId)).toEqual([]);
    await runJobs();
    const subjects = await Promise.all(
      mailsTo('kiwi').map(async (message) => (await simpleParser(message.raw)).subject),
    );
    expect(subjects).toEqual([`Invoice ${kiwi.number} is due today`, `Invoice ${kiwi.number} is overdue`]);
  });

  it.each([
    [
      'a payment',
      async (invoiceId: string) => {
        const paid = await recordPayment(deps, {
          invoice: { id: invoiceId },
          amount: '120.00',
          paidOn: '2026-11-20',
          source: 'manual',
          externalId: null,
          recordedBy: 'U0FINANCE',
        });
        expect(paid).toMatchObject({ code: 'recorded', status: 'paid' });
      },
      'Not sent: the invoice was paid before this reminder went out.',
    ],
    [
      'a void',
      async (invoiceId: string) => {
        await database.db
          .updateTable('invoices')
          .set({ status: 'void', voided_at: new Date('2026-11-20T09:20:00Z'), void_reason: 'Billed twice' })
          .where('id', '=', invoiceId)
          .execute();
      },
      'Not sent: the invoice was voided before this reminder went out.',
    ],
  ])(
    'cancels a reminder already queued when %s comes first, and sends nothing',
    async (_what, settle, reason) => {
      const customer = `settled-${invoiceCount}`;
      const invoice = await finalizedInvoice(customer, { timezone: 'Europe/London', dueDate: '2026-11-20' });
      clock.set('2026-11-20T09:15:00Z');
      expect(await queuedFor(invoice.invoiceId)).toEqual([0]);

      await settle(invoice.invoiceId);
      await runJobs();

      expect(await remindersOf(invoice.invoiceId)).toEqual([
        { dedupe_key: `reminder:${invoice.invoiceId}:0`, state: 'cancelled', error: reason },
      ]);
      expect(mailsTo(customer)).toEqual([]);
      expect(threadTexts(invoice.threadTs).filter((text) => text.startsWith('Reminder sent'))).toEqual([]);
      clock.set('2026-11-21T09:15:00Z');
      expect(await queuedFor(invoice.invoiceId)).toEqual([]);
    },
  );

  it('reminds of what is left after a part payment, and not below the minimum or after an opt-out', async () => {
    const partial = await finalizedInvoice('partial', { timezone: 'Europe/London', dueDate: '2026-11-25' });
    const small = await finalizedInvoice('small', { timezone: 'Europe/London', dueDate: '2026-11-25' });
    const quiet = await finalizedInvoice('quiet', {
      timezone: 'Europe/London',
      dueDate: '2026-11-25',
      optOut: true,
    });
    clock.set('2026-11-24T12:00:00Z');
    for (const [invoice, amount] of [
      [partial, '100.00'],
      [small, '115.01'],
    ] as const) {
      const payment = await recordPayment(deps, {
        invoice: { id: invoice.invoiceId },
        amount,
        paidOn: '2026-11-24',
        source: 'manual',
        externalId: null,
        recordedBy: 'U0FINANCE',
      });
      expect(payment).toMatchObject({ code: 'recorded', status: 'partially_paid' });
    }

    clock.set('2026-11-25T09:00:00Z');
    const queued = await sendDueReminders(deps);
    const ids = [partial, small, quiet].map((invoice) => invoice.invoiceId);
    expect(queued.filter((entry) => ids.includes(entry.invoiceId))).toEqual([
      {
        invoiceId: partial.invoiceId,
        number: partial.number,
        days: 0,
        deliveryId: expect.any(String) as string,
        recipients: ['ap@partial.example'],
      },
    ]);
    await runJobs();

    const [mail] = mailsTo('partial');
    expect((await simpleParser(mail?.raw ?? Buffer.alloc(0))).text).toContain(
      'due today: £20.00 outstanding',
    );
    expect(mailsTo('small')).toEqual([]);
    expect(mailsTo('quiet')).toEqual([]);
  });

  it('cancels a queued reminder when the customer opts out before it is sent', async () => {
    const invoice = await finalizedInvoice('changed-mind', {
      timezone: 'Europe/London',
      dueDate: '2026-11-27',
    });
    clock.set('2026-11-27T09:00:00Z');
    expect(await queuedFor(invoice.invoiceId)).toEqual([0]);
    await database.db
      .updateTable('customers')
      .set({ reminders_opt_out: true })
      .where('external_id', '=', 'changed-mind')
      .execute();
    await runJobs();
    expect(await remindersOf(invoice.invoiceId)).toEqual([
      {
        dedupe_key: `reminder:${invoice.invoiceId}:0`,
        state: 'cancelled',
        error: 'Not sent: the customer has opted out of payment reminders.',
      },
    ]);
    expect(mailsTo('changed-mind')).toEqual([]);
  });

  it('says once in the thread that a step whose time came before finalization will not be sent, and sends the later ones', async () => {
    // Due on receipt: finalized at 10:00 on the due day, after the 09:00 steps 3 days before and on the day.
    const onReceipt = await finalizedInvoice('on-receipt', {
      timezone: 'Europe/London',
      dueDate: '2026-12-01',
      finalizedAt: '2026-12-01T10:00:00Z',
    });
    // Two days' terms: only the step 3 days before came first.
    const shortTerms = await finalizedInvoice('short-terms', {
      timezone: 'Europe/London',
      dueDate: '2026-12-03',
      finalizedAt: '2026-12-01T10:00:00Z',
    });
    clock.set('2026-12-01T10:15:00Z');
    expect(await queuedFor(onReceipt.invoiceId)).toEqual([]);
    const sendTask = sendDueRemindersTask(deps);
    await sendTask({});
    await sendTask({});
    expect(await noteUnsendableReminders(deps)).toEqual([]);
    await runJobs();

    const notSent = 'Not sent: its time (%s Europe/London) came before the invoice was finalized.';
    expect(await remindersOf(onReceipt.invoiceId)).toEqual([
      {
        dedupe_key: `reminder:${onReceipt.invoiceId}:-3`,
        state: 'cancelled',
        error: notSent.replace('%s', '2026-11-28 09:00'),
      },
      {
        dedupe_key: `reminder:${onReceipt.invoiceId}:0`,
        state: 'cancelled',
        error: notSent.replace('%s', '2026-12-01 09:00'),
      },
    ]);
    expect(threadTexts(onReceipt.threadTs)).toEqual([
      `No reminders for ${onReceipt.number} 3 days before the due date (2026-11-28 09:00 Europe/London) and on the due date (2026-12-01 09:00 Europe/London): their times came before the invoice was finalized, so they will not be sent.`,
    ]);
    expect(threadTexts(shortTerms.threadTs)).toEqual([
      `No reminder for ${shortTerms.number} 3 days before the due date (2026-11-30 09:00 Europe/London): its time came before the invoice was finalized, so it will not be sent.`,
    ]);
    expect(mailsTo('on-receipt')).toEqual([]);

    // The day after: the next step goes out as usual, and nothing is noted again.
    clock.set('2026-12-02T09:00:00Z');
    await sendTask({});
    await runJobs();
    expect(mailsTo('on-receipt')).toHaveLength(1);
    expect(threadTexts(onReceipt.threadTs)).toEqual([
      expect.stringContaining('No reminders for'),
      `Reminder sent for ${onReceipt.number} (1 day after the due date) to ap@on-receipt.example`,
    ]);
    expect(threadTexts(shortTerms.threadTs)).toHaveLength(1);
  });
});
