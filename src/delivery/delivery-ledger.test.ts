import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/test-database.ts';
import { verifyAuditLog } from '../audit/verify-audit-log.ts';
import { auditEntriesOf, deliveryRow, insertInvoiceDelivery } from './delivery-test-rows.ts';
import { markDeliverySent } from './mark-delivery-sent.ts';
import { markStuckDeliveries, STUCK_DELIVERY_ERROR } from './mark-stuck-deliveries.ts';
import { retryDelivery } from './retry-delivery.ts';

// What happens to a delivery after billops is done with it: the sweeper, and a person's Retry or
// "Mark as sent". Each is one compare-and-set; who did it goes into the audit log.

const NOW = new Date('2026-03-01T09:00:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const PERSON = 'U0FINANCE';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const insert = (fields: Parameters<typeof insertInvoiceDelivery>[1]) =>
  insertInvoiceDelivery(database.db, fields);
const failed = () =>
  insert({ state: 'failed', attempts: 1, last_attempt_at: minutesAgo(30), error: '550 No such user' });
const uncertain = () =>
  insert({ state: 'uncertain', attempts: 1, last_attempt_at: minutesAgo(30), error: 'No reply' });

describe('markStuckDeliveries', () => {
  it('turns a delivery left sending by a dead worker into uncertain, never back to queued', async () => {
    const stuck = await insert({ state: 'sending', attempts: 1, last_attempt_at: minutesAgo(20) });
    const inFlight = await insert({ state: 'sending', attempts: 1, last_attempt_at: minutesAgo(2) });
    const queued = await insert({});

    const changed = await markStuckDeliveries(database.db, minutesAgo(15), NOW);

    expect(changed).toEqual([
      { deliveryId: stuck.deliveryId, invoiceId: stuck.invoiceId, lastAttemptAt: minutesAgo(20) },
    ]);
    expect(await deliveryRow(database.db, stuck.deliveryId)).toMatchObject({
      state: 'uncertain',
      attempts: 1,
      error: STUCK_DELIVERY_ERROR,
    });
    expect((await deliveryRow(database.db, inFlight.deliveryId)).state).toBe('sending');
    expect((await deliveryRow(database.db, queued.deliveryId)).state).toBe('queued');
    expect(await auditEntriesOf(database.db, stuck.deliveryId)).toEqual([
      expect.objectContaining({ actor: 'system:delivery-sweeper', action: 'delivery.marked_uncertain' }),
    ]);
  });

  it('changes nothing the second time', async () => {
    await insert({ state: 'sending', attempts: 1, last_attempt_at: minutesAgo(60) });
    await markStuckDeliveries(database.db, minutesAgo(15), NOW);

    expect(await markStuckDeliveries(database.db, minutesAgo(15), NOW)).toEqual([]);
  });
});

describe('retryDelivery', () => {
  it('queues a failed delivery again, attempts counted afresh, and records who asked', async () => {
    const { deliveryId, invoiceId } = await failed();

    expect(await retryDelivery(database.db, deliveryId, PERSON, { now: NOW })).toEqual({
      code: 'queued',
      deliveryId,
      invoiceId,
      previousState: 'failed',
    });
    expect(await deliveryRow(database.db, deliveryId)).toMatchObject({
      state: 'queued',
      attempts: 0,
      error: null,
    });
    expect(await auditEntriesOf(database.db, deliveryId)).toEqual([
      {
        actor: PERSON,
        action: 'delivery.retry_requested',
        details: { invoiceId, previousState: 'failed', attempts: 1, error: '550 No such user' },
      },
    ]);
  });

  it('asks for confirmation before queueing an uncertain delivery: the customer may have it', async () => {
    const { deliveryId } = await uncertain();

    expect(await retryDelivery(database.db, deliveryId, PERSON)).toEqual({
      code: 'needs_confirmation',
      deliveryId,
    });
    expect((await deliveryRow(database.db, deliveryId)).state).toBe('uncertain');

    expect(await retryDelivery(database.db, deliveryId, PERSON, { confirmUncertain: true })).toMatchObject({
      code: 'queued',
      previousState: 'uncertain',
    });
    expect((await deliveryRow(database.db, deliveryId)).state).toBe('queued');
  });

  it.each([
    ['queued', {}],
    ['sending', { state: 'sending' as const, attempts: 1, last_attempt_at: NOW }],
    ['sent', { state: 'sent' as const, attempts: 1, last_attempt_at: NOW, sent_at: NOW }],
  ])('leaves a %s delivery alone', async (state, fields) => {
    const { deliveryId } = await insert(fields);

    expect(await retryDelivery(database.db, deliveryId, PERSON, { confirmUncertain: true })).toEqual({
      code: 'not_retryable',
      deliveryId,
      state,
    });
  });

  it('queues a delivery once when two people press Retry together', async () => {
    const { deliveryId } = await failed();

    const results = await Promise.all([
      retryDelivery(database.db, deliveryId, PERSON),
      retryDelivery(database.db, deliveryId, 'U0OTHER'),
    ]);

    expect(results.map((result) => result.code).sort()).toEqual(['not_retryable', 'queued']);
    expect(await auditEntriesOf(database.db, deliveryId)).toHaveLength(1);
  });

  it('runs inside the caller transaction, so the send job can be enqueued with it', async () => {
    const { deliveryId } = await failed();

    await expect(
      database.db.transaction().execute(async (trx) => {
        await retryDelivery(trx, deliveryId, PERSON);
        throw new Error('enqueue failed');
      }),
    ).rejects.toThrow('enqueue failed');

    expect((await deliveryRow(database.db, deliveryId)).state).toBe('failed');
    expect(await auditEntriesOf(database.db, deliveryId)).toEqual([]);
  });

  it('says not_found for a delivery that does not exist', async () => {
    expect(await retryDelivery(database.db, '00000000-0000-4000-8000-000000000000', PERSON)).toEqual({
      code: 'not_found',
    });
  });
});

describe('markDeliverySent', () => {
  it.each([['uncertain', uncertain] as const, ['failed', failed] as const])(
    'settles an %s delivery as sent and records who said so',
    async (previousState, make) => {
      const { deliveryId, invoiceId } = await make();

      expect(await markDeliverySent(database.db, deliveryId, PERSON, { now: NOW })).toEqual({
        code: 'marked_sent',
        deliveryId,
        invoiceId,
        previousState,
      });
      expect(await deliveryRow(database.db, deliveryId)).toMatchObject({ state: 'sent', sent_at: NOW });
      expect(await auditEntriesOf(database.db, deliveryId)).toEqual([
        expect.objectContaining({ actor: PERSON, action: 'delivery.marked_sent' }),
      ]);
    },
  );

  it('says already_sent the second time', async () => {
    const { deliveryId } = await uncertain();
    await markDeliverySent(database.db, deliveryId, PERSON);

    expect(await markDeliverySent(database.db, deliveryId, PERSON)).toEqual({
      code: 'already_sent',
      deliveryId,
    });
  });

  it('will not settle a delivery billops has not finished with', async () => {
    const { deliveryId } = await insert({});

    expect(await markDeliverySent(database.db, deliveryId, PERSON)).toEqual({
      code: 'not_markable',
      deliveryId,
      state: 'queued',
    });
    expect((await deliveryRow(database.db, deliveryId)).state).toBe('queued');
  });

  it('keeps the audit chain intact', async () => {
    expect(await verifyAuditLog(database.db)).toMatchObject({ ok: true });
  });
});
