import { simpleParser } from 'mailparser';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { startMailOutbox, type MailOutbox } from '../local/mail-outbox/mail-outbox.ts';
import { deliveryRow, insertInvoiceDelivery } from './delivery-test-rows.ts';
import { InvalidEmailError } from './mail-address.ts';
import { createSmtpMailer } from './mailer.ts';
import type { Mailer, OutgoingMail } from '../ports/mailer.ts';
import { markStuckDeliveries } from './mark-stuck-deliveries.ts';
import { sendInvoiceEmail, type DeliveryToSend, type SendInvoiceEmailDeps } from './send-invoice-email.ts';

// The delivery ledger against a real Postgres and a real SMTP server (the local outbox): each
// failure the server can give lands in the state that keeps the email from going out twice.

const NOW = new Date('2026-03-01T09:00:00.000Z');

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
beforeEach(() => {
  outbox.clearFailures();
});

const compose = async (delivery: DeliveryToSend): Promise<OutgoingMail> =>
  Promise.resolve({
    from: '"Seller Billing" <billing@seller.example>',
    to: delivery.recipients,
    cc: delivery.cc,
    subject: 'Invoice INV-2026-00001',
    text: 'Please find your invoice attached.',
    messageId: delivery.messageId,
    attachments: [
      { filename: 'INV-2026-00001.pdf', content: Buffer.from('%PDF-1.7'), contentType: 'application/pdf' },
    ],
  });

async function sessionsWaitingForALock(): Promise<number> {
  const { rows } = await sql<{ waiting: number }>`
    select count(*)::int as waiting from pg_stat_activity
    where datname = current_database() and wait_event_type = 'Lock'`.execute(database.db);
  return rows[0]?.waiting ?? 0;
}

/** How many messages the server received while `act` ran. */
async function received(act: () => Promise<unknown>): Promise<number> {
  const before = outbox.messages().length;
  await act();
  return outbox.messages().length - before;
}

describe('sendInvoiceEmail', () => {
  it('sends a queued delivery and records it as sent, with the server reply and its Message-ID', async () => {
    const { deliveryId, messageId } = await insertInvoiceDelivery(database.db);

    const result = await sendInvoiceEmail(deps, deliveryId, compose);

    expect(result).toEqual({
      code: 'sent',
      deliveryId,
      messageId,
      response: expect.stringMatching(/^250 /) as unknown,
      rejected: [],
    });
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({
      state: 'sent',
      attempts: 1,
      sent_at: NOW,
      last_attempt_at: NOW,
      smtp_response: expect.stringMatching(/^250 /) as unknown,
      error: null,
      recipients: ['ap@customer.example'],
      cc: ['cfo@customer.example'],
    });
    const parsed = await simpleParser(outbox.messages().at(-1)?.raw ?? Buffer.alloc(0));
    expect(parsed.messageId).toBe(messageId);
  });

  it('has committed the row as sending before the mail server hears of it', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    const seenBySmtp: unknown[] = [];
    const watching: Mailer = {
      async send(message) {
        // Another connection, so only committed data is visible.
        seenBySmtp.push(await deliveryRow(database.db, deliveryId).then((row) => [row.state, row.attempts]));
        return mailer.send(message);
      },
      close: () => Promise.resolve(),
    };

    await sendInvoiceEmail({ ...deps, mailer: watching }, deliveryId, compose);

    expect(seenBySmtp).toEqual([['sending', 1]]);
  });

  it('puts a delivery refused with 451 back in the queue, to be retried later', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    outbox.failNext({ stage: 'rcpt', responseCode: 451, message: 'Greylisted, try again in 5 minutes' });

    const count = await received(async () => {
      expect(await sendInvoiceEmail(deps, deliveryId, compose)).toMatchObject({
        code: 'retry_later',
        attempts: 1,
        error: expect.stringContaining('Greylisted') as unknown,
      });
    });

    expect(count).toBe(0);
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({
      state: 'queued',
      attempts: 1,
      error: expect.stringContaining('451') as unknown,
      sent_at: null,
    });
    expect(await sendInvoiceEmail(deps, deliveryId, compose)).toMatchObject({ code: 'sent' });
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({
      state: 'sent',
      attempts: 2,
      error: null,
    });
  });

  it('fails a delivery refused with 550, and does not send it again', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    outbox.failNext({ stage: 'data', responseCode: 550, message: 'Message rejected' });

    expect(await sendInvoiceEmail(deps, deliveryId, compose)).toMatchObject({
      code: 'failed',
      error: expect.stringContaining('550 Message rejected') as unknown,
    });
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({ state: 'failed', attempts: 1 });
    const count = await received(async () => {
      expect(await sendInvoiceEmail(deps, deliveryId, compose)).toEqual({
        code: 'already_done',
        deliveryId,
        state: 'failed',
      });
    });
    expect(count).toBe(0);
  });

  it('marks a delivery uncertain when the connection drops after the message, and never resends it', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    outbox.dropNextAfterData();

    const first = await received(async () => {
      expect(await sendInvoiceEmail(deps, deliveryId, compose)).toMatchObject({ code: 'uncertain' });
    });
    const second = await received(async () => {
      expect(await sendInvoiceEmail(deps, deliveryId, compose)).toEqual({
        code: 'already_done',
        deliveryId,
        state: 'uncertain',
      });
    });

    // The server had it all along: resending would have been the second copy.
    expect([first, second]).toEqual([1, 0]);
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({
      state: 'uncertain',
      attempts: 1,
      error: expect.stringContaining('may or may not') as unknown,
    });
  });

  it('sends nothing for a delivery already sent', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    await sendInvoiceEmail(deps, deliveryId, compose);

    const count = await received(async () => {
      expect(await sendInvoiceEmail(deps, deliveryId, compose)).toEqual({
        code: 'already_done',
        deliveryId,
        state: 'sent',
      });
    });
    expect(count).toBe(0);
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({ attempts: 1 });
  });

  it('sends exactly one email when two workers run the same delivery at once', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    // Both workers read the row as queued, then their claims meet at a row lock held here: exactly
    // the race the compare-and-set has to settle, made certain rather than left to timing.
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const lockHeld = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holder = database.db.transaction().execute(async (trx) => {
      await trx.selectFrom('deliveries').select('id').where('id', '=', deliveryId).forUpdate().execute();
      locked();
      await released;
    });
    await lockHeld;

    let results: string[] = [];
    const count = await received(async () => {
      const both = Promise.all([
        sendInvoiceEmail(deps, deliveryId, compose),
        sendInvoiceEmail(deps, deliveryId, compose),
      ]);
      await vi.waitFor(async () => {
        expect(await sessionsWaitingForALock()).toBe(2);
      });
      release();
      await holder;
      results = (await both).map((result) => result.code).sort();
    });

    expect(count).toBe(1);
    expect(results).toEqual(['already_done', 'sent']);
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({ state: 'sent', attempts: 1 });
  });

  it('sends exactly one email when many workers race for it', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);

    const count = await received(() =>
      Promise.all(Array.from({ length: 8 }, () => sendInvoiceEmail(deps, deliveryId, compose))),
    );

    expect(count).toBe(1);
  });

  it('sends the Message-ID the ledger holds, whatever the composer put', async () => {
    const { deliveryId, messageId } = await insertInvoiceDelivery(database.db);

    await sendInvoiceEmail(deps, deliveryId, async (delivery) => ({
      ...(await compose(delivery)),
      messageId: '<something-else@seller.example>',
    }));

    const parsed = await simpleParser(outbox.messages().at(-1)?.raw ?? Buffer.alloc(0));
    expect(parsed.messageId).toBe(messageId);
  });

  it('fails, without sending, an email whose composer refused an address', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);

    const count = await received(async () => {
      expect(
        await sendInvoiceEmail(deps, deliveryId, () => {
          throw new InvalidEmailError('To: "ap@" is not one valid email address');
        }),
      ).toEqual({ code: 'failed', deliveryId, error: 'To: "ap@" is not one valid email address' });
    });

    expect(count).toBe(0);
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({ state: 'failed' });
  });

  it('puts the delivery back in the queue and rethrows when composing fails unexpectedly', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);

    await expect(
      sendInvoiceEmail(deps, deliveryId, () => Promise.reject(new Error('PDF renderer crashed'))),
    ).rejects.toThrow('PDF renderer crashed');

    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({
      state: 'queued',
      attempts: 1,
      error: 'The email could not be prepared: PDF renderer crashed',
    });
  });

  it('gives up after the last allowed attempt instead of queueing again', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db, { attempts: 2 });
    outbox.failNext({ stage: 'rcpt', responseCode: 451, message: 'Mailbox busy' });

    const result = await sendInvoiceEmail(deps, deliveryId, compose, { maxAttempts: 3 });

    expect(result).toMatchObject({
      code: 'failed',
      error: expect.stringMatching(/^Gave up after 3 attempts/) as unknown,
    });
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({ state: 'failed', attempts: 3 });
  });

  it('counts a Mailer that throws as uncertain: what reached the server is unknown', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    const throwing: Mailer = {
      send: () => Promise.reject(new Error('boom')),
      close: () => Promise.resolve(),
    };

    expect(await sendInvoiceEmail({ ...deps, mailer: throwing }, deliveryId, compose)).toMatchObject({
      code: 'uncertain',
    });
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({ state: 'uncertain' });
  });

  it('records the send when the sweeper took a slow send for a crashed one', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);
    const slow: Mailer = {
      async send(message) {
        await markStuckDeliveries(database.db, new Date(NOW.getTime() + 1));
        return mailer.send(message);
      },
      close: () => Promise.resolve(),
    };

    expect(await sendInvoiceEmail({ ...deps, mailer: slow }, deliveryId, compose)).toMatchObject({
      code: 'sent',
    });
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({ state: 'sent', sent_at: NOW });
  });

  it('does nothing for a delivery being sent by another worker', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db, {
      state: 'sending',
      attempts: 1,
      last_attempt_at: NOW,
    });

    const count = await received(async () => {
      expect(await sendInvoiceEmail(deps, deliveryId, compose)).toEqual({
        code: 'already_done',
        deliveryId,
        state: 'sending',
      });
    });
    expect(count).toBe(0);
  });

  it('says not_found for a delivery that does not exist', async () => {
    expect(await sendInvoiceEmail(deps, '00000000-0000-4000-8000-000000000000', compose)).toEqual({
      code: 'not_found',
    });
    expect(await sendInvoiceEmail(deps, 'not-a-uuid', compose)).toEqual({ code: 'not_found' });
  });

  it('refuses to run inside a transaction, where its claim could not commit first', async () => {
    const { deliveryId } = await insertInvoiceDelivery(database.db);

    await expect(
      database.db.transaction().execute((trx) => sendInvoiceEmail({ ...deps, db: trx }, deliveryId, compose)),
    ).rejects.toThrow(/must not run in a transaction/);
  });
});
