import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../src/ports/deps.ts';
import { markOverdueTask } from '../src/jobs/mark-overdue-task.ts';
import { startLocalSlack, type LocalSlack } from '../src/local/slack-api/index.ts';
import { escalateOverdueInvoices } from '../src/overdue/escalate-overdue-invoices.ts';
import { markOverdueInvoices } from '../src/overdue/mark-overdue-invoices.ts';
import { postOverdueDigest } from '../src/overdue/post-overdue-digest.ts';
import { recordPayment } from '../src/payments/record-payment.ts';
import { createSlackClient } from '../src/slack/create-slack-client.ts';
import { insertApprovedInvoice, insertCustomer } from './support/billing-factories.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';
import { fixedClock, testDeps } from './support/test-deps.ts';

// Overdue, as billing.example.yml sets it up: due dates read in each customer's time zone, the daily
// digest in the billing channel at 09:00 London time, escalation to alerts after 30 days, once each.

const TOKEN = 'xoxb-overdue-test';
let database: TestDatabase;
let slack: LocalSlack;
let deps: Deps;
const clock = fixedClock('2026-12-01T09:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  slack = await startLocalSlack({ signingSecret: 'overdue-test-secret', botToken: TOKEN });
  deps = await testDeps(database, { clock, slack: createSlackClient(TOKEN, slack.apiUrl) });
});
afterAll(async () => {
  await slack.stop();
  await database.close();
});

let invoiceCount = 0;
const invoices = new Map<string, { invoiceId: string; number: string }>();

/** A finalized invoice of 120.00 GBP with a thread in the approvals channel. */
async function finalizedInvoice(customer: string, timezone: string, dueDate: string): Promise<string> {
  const customerId = await insertCustomer(database.db, { external_id: customer, name: `${customer} Ltd` });
  await database.db.updateTable('customers').set({ timezone }).where('id', '=', customerId).execute();
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
      finalized_at: new Date('2026-10-01T10:00:00Z'),
      issue_date: '2026-10-01',
      due_date: dueDate,
      slack_channel_id: 'C0APPROVALS',
      slack_thread_ts: card.ts,
    })
    .where('id', '=', invoiceId)
    .execute();
  invoices.set(customer, { invoiceId, number });
  return invoiceId;
}

const numberOf = (customer: string) => invoices.get(customer)?.number ?? '?';
const customerOf = (invoiceId: string) =>
  [...invoices].find(([, invoice]) => invoice.invoiceId === invoiceId)?.[0] ?? '?';

async function markedNow(at: string): Promise<string[]> {
  clock.set(at);
  return (await markOverdueInvoices(deps)).map((marked) => customerOf(marked.invoiceId)).sort();
}

async function statusOf(customer: string) {
  return database.db
    .selectFrom('invoices')
    .select(['status', 'amount_paid'])
    .where('id', '=', invoices.get(customer)?.invoiceId ?? '')
    .executeTakeFirstOrThrow();
}

const messagesIn = (channel: string) => slack.messages(channel);

beforeAll(async () => {
  await finalizedInvoice('ancient', 'Europe/London', '2026-10-20');
  await finalizedInvoice('settled', 'Europe/London', '2026-10-20');
  await finalizedInvoice('kiwi', 'Pacific/Auckland', '2026-12-03');
  await finalizedInvoice('london', 'Europe/London', '2026-12-03');
  await finalizedInvoice('coast', 'America/Los_Angeles', '2026-12-03');
  await finalizedInvoice('coast-part', 'America/Los_Angeles', '2026-12-03');
  for (const [customer, amount] of [
    ['settled', '120.00'],
    ['coast-part', '100.00'],
  ] as const) {
    const payment = await recordPayment(deps, {
      invoice: { id: invoices.get(customer)?.invoiceId ?? '' },
      amount,
      paidOn: '2026-12-01',
      source: 'manual',
      externalId: null,
      recordedBy: 'U0FINANCE',
    });
    expect(payment).toMatchObject({ code: 'recorded' });
  }
});

describe('marking invoices overdue', () => {
  it("marks an invoice overdue once its due day has ended in the customer's time zone", async () => {
    // Noon in London on the due day: already 01:00 the next day in Auckland, 04:00 the due day in LA.
    expect(await markedNow('2026-12-03T12:00:00Z')).toEqual(['ancient', 'kiwi']);
    expect(await markedNow('2026-12-03T23:59:00Z')).toEqual([]);
    expect(await markedNow('2026-12-04T00:30:00Z')).toEqual(['london']);
    expect(await markedNow('2026-12-04T07:59:00Z')).toEqual([]);
    // Midnight in Los Angeles.
    expect(await markedNow('2026-12-04T08:00:00Z')).toEqual(['coast', 'coast-part']);
    expect(await markedNow('2026-12-04T08:30:00Z')).toEqual([]);

    expect(await statusOf('coast-part')).toEqual({ status: 'overdue', amount_paid: '100.00' });
    expect(await statusOf('settled')).toEqual({ status: 'paid', amount_paid: '120.00' });
    const audit = await database.db
      .selectFrom('audit_log')
      .select('subject_id')
      .where('action', '=', 'invoice.overdue')
      .execute();
    expect(audit).toHaveLength(5);
  });
});

describe('the overdue digest', () => {
  it('posts one digest a day at 09:00 London time: count, outstanding per currency, oldest first', async () => {
    clock.set('2026-12-04T08:59:00Z');
    expect(await postOverdueDigest(deps)).toEqual({ code: 'not_yet', date: '2026-12-04' });
    expect(messagesIn('C0BILLING')).toEqual([]);

    clock.set('2026-12-04T09:00:00Z');
    const [first, again] = await Promise.all([postOverdueDigest(deps), postOverdueDigest(deps)]);
    expect([first.code, again.code].sort()).toEqual(['already_posted', 'posted']);
    clock.set('2026-12-04T15:00:00Z');
    expect(await postOverdueDigest(deps)).toEqual({ code: 'already_posted', date: '2026-12-04' });

    const digests = messagesIn('C0BILLING');
    expect(digests).toHaveLength(1);
    expect(digests[0]?.text).toBe('5 overdue invoices on 2026-12-04: £500.00 outstanding');
    const lines = visibleText(digests[0]?.blocks)
      .split('\n')
      .filter((line) => line.startsWith('•'));
    expect(lines.map((line) => /INV-2026-\d{5}/.exec(line)?.[0])).toEqual(
      ['ancient', 'kiwi', 'london', 'coast', 'coast-part'].map(numberOf),
    );
    expect(lines[0]).toContain('ancient Ltd · £120.00 outstanding · due 2026-10-20 (45 days overdue)');
    expect(lines[4]).toContain('coast-part Ltd · £20.00 outstanding · due 2026-12-03 (1 day overdue)');
    expect(JSON.stringify(digests[0]?.blocks)).toContain('https://slack.com/archives/C0APPROVALS/p');
  });
});

describe('escalation', () => {
  it('raises invoices overdue more than 30 days in the alerts channel, each once', async () => {
    clock.set('2026-12-04T09:00:00Z');
    expect((await escalateOverdueInvoices(deps)).map((invoice) => customerOf(invoice.invoiceId))).toEqual([
      'ancient',
    ]);
    expect(await escalateOverdueInvoices(deps)).toEqual([]);
    const [alert] = messagesIn('C0ALERTS');
    expect(messagesIn('C0ALERTS')).toHaveLength(1);
    expect(alert?.text).toBe('1 invoice overdue more than 30 days: £120.00');
    expect(visibleText(alert?.blocks)).toContain(numberOf('ancient'));

    // Noon on 2 January in London: the 3 December invoices are 30 days overdue there and in Los
    // Angeles, but it is already 3 January in Auckland.
    clock.set('2027-01-02T12:00:00Z');
    expect((await escalateOverdueInvoices(deps)).map((invoice) => customerOf(invoice.invoiceId))).toEqual([
      'kiwi',
    ]);

    // The hourly job on 4 January: the rest cross the line together; the digest of the day goes out.
    clock.set('2027-01-04T09:05:00Z');
    await markOverdueTask(deps)({});
    const alerts = messagesIn('C0ALERTS');
    expect(alerts).toHaveLength(3);
    expect(alerts[2]?.text).toBe('3 invoices overdue more than 30 days: £260.00');
    const escalated = visibleText(alerts[2]?.blocks);
    for (const customer of ['london', 'coast', 'coast-part']) expect(escalated).toContain(numberOf(customer));
    for (const customer of ['ancient', 'kiwi']) expect(escalated).not.toContain(numberOf(customer));
    expect(messagesIn('C0BILLING').map((message) => message.text)).toEqual([
      '5 overdue invoices on 2026-12-04: £500.00 outstanding',
      '5 overdue invoices on 2027-01-04: £500.00 outstanding',
    ]);
  });
});
