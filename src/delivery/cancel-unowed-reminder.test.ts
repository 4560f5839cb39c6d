import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import type { InvoiceStatus } from '../db/schema.ts';
import { startMailOutbox, type MailOutbox } from '../local/mail-outbox/mail-outbox.ts';
import { auditEntriesOf, deliveryRow, insertInvoiceDelivery } from './delivery-test-rows.ts';
import { createSmtpMailer } from './mailer.ts';
import type { Mailer, OutgoingMail } from '../ports/mailer.ts';
import { sendInvoiceEmail, type DeliveryToSend, type SendInvoiceEmailDeps } from './send-invoice-email.ts';

// A reminder goes out only while its invoice is owed: one queued before a payment or a void is
// cancelled by the send itself, in the claim, and never reaches the mail server.

const NOW = new Date('2026-11-20T09:00:00.000Z');

let database: TestDatabase;
let outbox: MailOutbox;
let mailer: Mailer;
let deps: SendInvoiceEmailDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  outbox = await startMailOutbox();
  mailer = createSmtpMailer(outbox.smtpUrl);
  deps = { db: database.db, mailer, clock: { now: () => NOW } };
});
afterAll(async () => {
  await mailer.close();
  await outbox.stop();
  await database.close();
});

const composed: string[] = [];
const compose = (delivery: DeliveryToSend): Promise<OutgoingMail> => {
  composed.push(delivery.id);
  return Promise.resolve({
    from: 'billing@seller.example',
    to: delivery.recipients,
    cc: delivery.cc,
    subject: 'Invoice INV-2026-00001 is due today',
    text: '£50.00 outstanding',
    messageId: delivery.messageId,
    attachments: [],
  });
};

/** A queued reminder for a finalized 50.00 invoice, then moved to `status` with `paid` received. */
async function reminderFor(status: InvoiceStatus, paid: string) {
  const rows = await insertInvoiceDelivery(database.db, {
    kind: 'reminder',
    dedupe_key: `reminder:${randomUUID()}:0`,
  });
  await database.db
    .updateTable('invoices')
    .set({
      status: 'finalized',
      total: '50.00',
      number: `INV-${randomUUID()}`,
      finalized_at: NOW,
      issue_date: '2026-10-21',
      due_date: '2026-11-20',
    })
    .where('id', '=', rows.invoiceId)
    .execute();
  await database.db
    .updateTable('invoices')
    .set({ status, amount_paid: paid, ...(status === 'void' ? { voided_at: NOW } : {}) })
    .where('id', '=', rows.invoiceId)
    .execute();
  return rows;
}

describe('sendInvoiceEmail for a reminder', () => {
  it.each([
    ['finalized', '0', 'sent'],
    ['partially_paid', '20.00', 'sent'],
    ['overdue', '0', 'sent'],
    ['paid', '50.00', 'cancelled'],
    ['void', '0', 'cancelled'],
  ] as const)('of an invoice %s (%s paid) ends %s', async (status, paid, expected) => {
    const { deliveryId } = await reminderFor(status, paid);
    const before = outbox.messages().length;

    const result = await sendInvoiceEmail(deps, deliveryId, compose);

    expect(result.code).toBe(expected);
    expect((await deliveryRow(database.db, deliveryId)).state).toBe(expected);
    expect(outbox.messages().length - before).toBe(expected === 'sent' ? 1 : 0);
    expect(composed.includes(deliveryId)).toBe(expected === 'sent');
  });

  it('says why it was cancelled, in the row and the audit log, and stays cancelled', async () => {
    const { deliveryId, invoiceId } = await reminderFor('paid', '50.00');

    expect(await sendInvoiceEmail(deps, deliveryId, compose)).toEqual({
      code: 'cancelled',
      deliveryId,
      reason: 'Not sent: the invoice was paid before this reminder went out.',
    });
    expect(await sendInvoiceEmail(deps, deliveryId, compose)).toEqual({
      code: 'already_done',
      deliveryId,
      state: 'cancelled',
    });
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({
      state: 'cancelled',
      attempts: 0,
      sent_at: null,
      error: 'Not sent: the invoice was paid before this reminder went out.',
    });
    expect(await auditEntriesOf(database.db, deliveryId)).toEqual([
      {
        actor: 'system:reminders',
        action: 'delivery.cancelled',
        details: {
          invoiceId,
          invoiceStatus: 'paid',
          reason: 'Not sent: the invoice was paid before this reminder went out.',
        },
      },
    ]);
  });

  it("leaves an invoice's own email alone whatever the invoice's status", async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    expect((await sendInvoiceEmail(deps, deliveryId, compose)).code).toBe('sent');
  });
});
