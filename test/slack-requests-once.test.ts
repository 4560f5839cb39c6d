import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { actions, button } from '../blocks/block-elements.ts';
import {
  APPROVE_ALL_WITHIN_POLICY,
  APPROVE_INVOICE,
  REJECT_INVOICE,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  RETRY_DELIVERY,
  RETRY_ERP_SYNC,
  RETRY_JOB,
  SLASH_COMMAND,
} from '../blocks/ids.ts';
import type { StoredMessage } from '../src/local/slack-api/index.ts';
import { finalizedAppInvoice, syncedAppInvoice } from './support/app-invoices.ts';
import { insertCustomer, insertSubscription } from './support/billing-factories.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { captureSlackRequests, type SlackRedelivery } from './support/slack-redelivery.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Every command, click and form that changes something has one effect per Slack request: the same
// signed request delivered again (Slack's retry, a proxy) changes nothing and answers nothing more.
// A money command typed twice by the same person within minutes asks "again?" before acting.

const FINANCE = 'U0FINANCE';
const APPROVER = 'U0APPROVER1';
const BILLING = 'C0BILLING';
const APPROVALS = 'C0APPROVALS';
const ALERTS = 'C0ALERTS';
const REASON = 'billed the wrong customer';

let test: TestApp;
let slack: SlackRedelivery;
const db = () => test.app.deps.db;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
const settle = () => new Promise((resolve) => setTimeout(resolve, 1000));

beforeAll(async () => {
  test = await startTestApp();
  slack = captureSlackRequests(test);
});
afterAll(async () => {
  slack.stop();
  await test.stop();
});

const command = (text: string, userId = APPROVER) =>
  test.slack.sendSlashCommand({ userId, channelId: BILLING, command: SLASH_COMMAND, text });

/** Slack delivers the same request three more times, at once, as retries 1–3. */
async function deliverAgain(triggerId: string): Promise<void> {
  const statuses = await Promise.all([1, 2, 3].map((retry) => slack.redeliver(triggerId, retry)));
  expect(statuses).toEqual([200, 200, 200]);
}

/** What the app answered on a command's response_url, in order. */
function answers(responseUrl: string): string[] {
  const id = new URL(responseUrl).pathname.split('/').pop();
  return test.slack.responses(id).map((post) => JSON.stringify(post.body));
}

async function auditCount(action: string, subjectId: string): Promise<number> {
  const rows = await db()
    .selectFrom('audit_log')
    .select('seq')
    .where('action', '=', action)
    .where('subject_id', '=', subjectId)
    .execute();
  return rows.length;
}

const paymentsOf = (invoiceId: string) =>
  db().selectFrom('payments').select(['amount', 'recorded_by']).where('invoice_id', '=', invoiceId).execute();

const creditNotesOf = (invoiceId: string) =>
  db().selectFrom('credit_notes').select(['id', 'amount']).where('invoice_id', '=', invoiceId).execute();

describe('/invoice paid', () => {
  it('records one payment when the same signed command is delivered four times', async () => {
    const invoice = await finalizedAppInvoice(test);
    const sent = await command(`paid ${invoice.number} 20.00`);
    await deliverAgain(sent.triggerId);
    await eventually(() => {
      expect(answers(sent.responseUrl).join()).toContain('Recorded a payment of £20.00');
    });
    await settle();
    expect(await paymentsOf(invoice.id)).toEqual([{ amount: '20.00', recorded_by: APPROVER }]);
    expect(answers(sent.responseUrl)).toHaveLength(1);
    expect(await auditCount('invoice.payment_recorded', invoice.id)).toBe(1);
  });

  it('asks "again?" when the same person types the same payment twice, and records it on --again', async () => {
    const invoice = await finalizedAppInvoice(test);
    const first = await command(`paid ${invoice.number} 30.00`);
    await eventually(() => {
      expect(answers(first.responseUrl).join()).toContain('Recorded a payment of £30.00');
    });
    const second = await command(`paid ${invoice.number} 30.00`);
    await eventually(() => {
      expect(answers(second.responseUrl).join()).toContain('Again?');
    });
    const reply = answers(second.responseUrl).join();
    expect(reply).toContain('You recorded a payment of *£30.00*');
    expect(reply).toContain(`/invoice paid ${invoice.number} 30.00 --again`);
    expect(await paymentsOf(invoice.id)).toHaveLength(1);

    // Someone else, or another amount, is not a repeat.
    const other = await command(`paid ${invoice.number} 10.00`);
    await eventually(() => {
      expect(answers(other.responseUrl).join()).toContain('Recorded a payment of £10.00');
    });

    const confirmed = await command(`paid ${invoice.number} 30.00 --again`);
    await eventually(() => {
      expect(answers(confirmed.responseUrl).join()).toContain('Recorded a payment of £30.00');
    });
    expect((await paymentsOf(invoice.id)).map((row) => row.amount).sort()).toEqual([
      '10.00',
      '30.00',
      '30.00',
    ]);
  });

  it('records the same payment again once the window has passed', async () => {
    const invoice = await finalizedAppInvoice(test);
    const first = await command(`paid ${invoice.number} 15.00`);
    await eventually(async () => {
      expect(await paymentsOf(invoice.id)).toHaveLength(1);
    });
    await sql`update payments set created_at = now() - interval '11 minutes' where invoice_id = ${invoice.id}`.execute(
      db(),
    );
    const later = await command(`paid ${invoice.number} 15.00`);
    await eventually(() => {
      expect(answers(later.responseUrl).join()).toContain('Recorded a payment of £15.00');
    });
    expect(answers(first.responseUrl)).toHaveLength(1);
    expect(await paymentsOf(invoice.id)).toHaveLength(2);
  });
});

describe('/invoice credit', () => {
  it('issues one credit note and one email when the same signed command is delivered four times', async () => {
    const invoice = await finalizedAppInvoice(test);
    const sent = await command(`credit ${invoice.number} 12.00 one seat was not used`);
    await deliverAgain(sent.triggerId);
    await eventually(() => {
      expect(answers(sent.responseUrl).join()).toContain(`for ${invoice.number}`);
    });
    await settle();
    const notes = await creditNotesOf(invoice.id);
    expect(notes).toEqual([expect.objectContaining({ amount: '12.00' })]);
    const emails = await db()
      .selectFrom('deliveries')
      .select('id')
      .where('invoice_id', '=', invoice.id)
      .where('kind', '=', 'credit_note')
      .execute();
    expect(emails).toHaveLength(1);
    expect(answers(sent.responseUrl)).toHaveLength(1);
    expect(await auditCount('credit_note.issued', invoice.id)).toBe(1);
  });

  it('asks "again?" when the same person types the same credit twice, and issues it on --again', async () => {
    const invoice = await finalizedAppInvoice(test);
    const text = `credit ${invoice.number} 5.00 one seat was not used`;
    const first = await command(text);
    await eventually(() => {
      expect(answers(first.responseUrl).join()).toContain(`for ${invoice.number}`);
    });
    const second = await command(text);
    await eventually(() => {
      expect(answers(second.responseUrl).join()).toContain('Again?');
    });
    const [note] = await creditNotesOf(invoice.id);
    const reply = answers(second.responseUrl).join();
    expect(reply).toContain('You issued credit note');
    expect(reply).toContain(`/invoice ${text} --again`);
    expect(await creditNotesOf(invoice.id)).toEqual([note]);

    const confirmed = await command(`${text} --again`);
    await eventually(async () => {
      expect(await creditNotesOf(invoice.id)).toHaveLength(2);
    });
    expect(answers(confirmed.responseUrl).join()).not.toContain('Again?');
  });
});

describe('/invoice void', () => {
  it('voids once when the same signed command is delivered four times (the invoice is locked and checked)', async () => {
    const invoice = await finalizedAppInvoice(test);
    const sent = await command(`void ${invoice.number} ${REASON}`);
    await deliverAgain(sent.triggerId);
    await eventually(() => {
      expect(answers(sent.responseUrl).join()).toContain(`Voided ${invoice.number}.`);
    });
    await settle();
    expect(await auditCount('invoice.voided', invoice.id)).toBe(1);
    // A repeat is told it is done already; nothing is voided twice.
    const again = await command(`void ${invoice.number} ${REASON}`);
    await eventually(() => {
      expect(answers(again.responseUrl).join()).toContain('is already void');
    });
    expect(await auditCount('invoice.voided', invoice.id)).toBe(1);
  });
});

describe('/invoice run', () => {
  it('queues one run for four deliveries of the same command', async () => {
    const customer = await insertCustomer(db(), { external_id: 'run-once', name: 'Run Once Ltd' });
    await insertSubscription(db(), customer, { plan_code: 'starter' });
    const sent = await command('run 2026-09 run-once', FINANCE);
    await deliverAgain(sent.triggerId);
    await eventually(async () => {
      const runs = await db()
        .selectFrom('billing_runs')
        .select('id')
        .where('period_start', '=', '2026-09-01')
        .execute();
      expect(runs).toHaveLength(1);
    });
    await settle();
    const claimed = await db()
      .selectFrom('processed_events')
      .select('event_id')
      .where('source', '=', 'slack_command')
      .where('event_id', '=', sent.triggerId)
      .execute();
    expect(claimed).toHaveLength(1);
  });
});

describe('approval buttons and the Reject form', () => {
  // One run with four held invoices (first invoices are reviewed) and one blocked (no email).
  const names = ['Once A', 'Once B', 'Once C', 'Once D'];
  let summaryTs: string;

  const invoiceOf = (external: string) =>
    db()
      .selectFrom('invoices')
      .innerJoin('customers', 'customers.id', 'invoices.customer_id')
      .select(['invoices.id', 'invoices.status', 'invoices.version'])
      .where('customers.external_id', '=', external)
      .executeTakeFirstOrThrow();
  const decisionsOf = async (external: string) =>
    db()
      .selectFrom('approvals')
      .select(['decision', 'slack_user_id'])
      .where('invoice_id', '=', (await invoiceOf(external)).id)
      .execute();
  const cardOf = (name: string): StoredMessage => {
    const card = test.slack.messages(APPROVALS).find((message) => visibleText(message.blocks).includes(name));
    if (card === undefined) throw new Error(`no card for ${name} yet`);
    return card;
  };
  const external = (name: string) => name.toLowerCase().replace(' ', '-');

  beforeAll(async () => {
    for (const name of names) {
      const customer = await insertCustomer(db(), { external_id: external(name), name });
      await insertSubscription(db(), customer, { plan_code: 'starter' });
    }
    const blocked = await insertCustomer(db(), {
      external_id: 'once-blocked',
      name: 'Once Blocked',
      email_to: [],
    });
    await insertSubscription(db(), blocked, { plan_code: 'starter' });
    await command(`run 2026-08 ${names.map(external).join(' ')} once-blocked`, FINANCE);
    summaryTs = await eventually(async () => {
      for (const name of names) cardOf(name);
      const run = await db()
        .selectFrom('billing_runs')
        .select('slack_summary_ts')
        .where('period_start', '=', '2026-08-01')
        .executeTakeFirstOrThrow();
      if (run.slack_summary_ts === null) throw new Error('no summary yet');
      return run.slack_summary_ts;
    });
  });

  it('approves once when the same Approve click is delivered four times (compare-and-set on the version)', async () => {
    const click = await test.slack.clickButton({
      userId: APPROVER,
      channelId: APPROVALS,
      messageTs: cardOf('Once A').ts,
      actionId: APPROVE_INVOICE,
    });
    await deliverAgain(click.triggerId);
    await eventually(async () => {
      expect(['approved', 'finalized']).toContain((await invoiceOf('once-a')).status);
    });
    await settle();
    expect(await decisionsOf('once-a')).toEqual([{ decision: 'approved', slack_user_id: APPROVER }]);
  });

  it('rejects once when the same Reject form is submitted four times (compare-and-set on the version)', async () => {
    await test.slack.clickButton({
      userId: APPROVER,
      channelId: APPROVALS,
      messageTs: cardOf('Once B').ts,
      actionId: REJECT_INVOICE,
    });
    const modal = await eventually(() => {
      const open = test.slack.openViews(APPROVER).at(-1);
      if (open === undefined) throw new Error('no reject modal yet');
      return open;
    });
    const submitted = await test.slack.submitView({
      userId: APPROVER,
      viewId: modal.id,
      values: { [REJECT_REASON_BLOCK]: { [REJECT_REASON_INPUT]: 'Wrong plan for this customer' } },
    });
    await deliverAgain(submitted.triggerId);
    await eventually(async () => {
      expect((await invoiceOf('once-b')).status).toBe('rejected');
    });
    await settle();
    expect(await decisionsOf('once-b')).toEqual([{ decision: 'rejected', slack_user_id: APPROVER }]);
    expect(await auditCount('invoice.rejected', (await invoiceOf('once-b')).id)).toBe(1);
  });

  it('approves in bulk once: a redelivered click approves nothing, not even an invoice fixed since', async () => {
    const click = await test.slack.clickButton({
      userId: APPROVER,
      channelId: BILLING,
      messageTs: summaryTs,
      actionId: APPROVE_ALL_WITHIN_POLICY,
    });
    await eventually(async () => {
      for (const customer of ['once-c', 'once-d']) {
        expect(['approved', 'finalized']).toContain((await invoiceOf(customer)).status);
      }
    });
    // Meanwhile the blocked invoice's data is fixed: it now waits for its own decision.
    const blocked = await invoiceOf('once-blocked');
    expect(blocked.status).toBe('draft');
    await db()
      .updateTable('invoices')
      .set({ status: 'pending_approval', exceptions: JSON.stringify([]) })
      .where('id', '=', blocked.id)
      .execute();

    await deliverAgain(click.triggerId);
    await settle();
    expect((await invoiceOf('once-blocked')).status).toBe('pending_approval');
    expect(await decisionsOf('once-blocked')).toEqual([]);
    expect(await decisionsOf('once-c')).toHaveLength(1);
    expect(await decisionsOf('once-d')).toHaveLength(1);
  });
});

describe('Retry buttons', () => {
  /** A failure notice at the top of the alerts channel, with one button. */
  async function notice(actionId: string, value: string): Promise<StoredMessage> {
    const posted = await test.app.deps.slack.post({
      channel: ALERTS,
      text: 'Something failed',
      blocks: [actions([button({ actionId, text: 'Retry', value })])],
    });
    const message = test.slack.messages(ALERTS).find((candidate) => candidate.ts === posted.ts);
    if (message === undefined) throw new Error('notice not posted');
    return message;
  }
  const clickOn = (message: StoredMessage, actionId: string) =>
    test.slack.clickButton({ userId: APPROVER, channelId: ALERTS, messageTs: message.ts, actionId });

  it('sends an email again once: a redelivered Retry queues nothing after that attempt failed again', async () => {
    const invoice = await finalizedAppInvoice(test, { email_to: ['ap@retry-once.example'] });
    const deliveryOf = () =>
      db()
        .selectFrom('deliveries')
        .select(['id', 'state'])
        .where('invoice_id', '=', invoice.id)
        .where('kind', '=', 'invoice')
        .executeTakeFirstOrThrow();
    await eventually(async () => {
      expect((await deliveryOf()).state).toBe('sent');
    });
    const { id } = await deliveryOf();
    const fail = () =>
      db()
        .updateTable('deliveries')
        .set({ state: 'failed', error: '451 try later', sent_at: null })
        .where('id', '=', id)
        .execute();
    await fail();
    const click = await clickOn(await notice(RETRY_DELIVERY, id), RETRY_DELIVERY);
    await eventually(async () => {
      expect((await deliveryOf()).state).toBe('sent');
    });
    await fail(); // the attempt it asked for failed again
    await deliverAgain(click.triggerId);
    await settle();
    expect((await deliveryOf()).state).toBe('failed');
    expect(await auditCount('delivery.retry_requested', id)).toBe(1);
  });

  it('posts to the ERP again once: a redelivered Retry queues nothing after that attempt failed again', async () => {
    const invoice = await syncedAppInvoice(test);
    const syncOf = () =>
      db()
        .selectFrom('erp_syncs')
        .select(['id', 'state'])
        .where('invoice_id', '=', invoice.id)
        .executeTakeFirstOrThrow();
    const { id } = await syncOf();
    const fail = () =>
      db().updateTable('erp_syncs').set({ state: 'failed', synced_at: null }).where('id', '=', id).execute();
    await fail();
    const click = await clickOn(await notice(RETRY_ERP_SYNC, id), RETRY_ERP_SYNC);
    await eventually(async () => {
      expect((await syncOf()).state).toBe('synced');
    });
    await fail();
    await deliverAgain(click.triggerId);
    await settle();
    expect((await syncOf()).state).toBe('failed');
    expect(await auditCount('erp_sync.retried', id)).toBe(1);
  });

  it('runs a job again once: a redelivered Retry reschedules nothing', async () => {
    // A job no worker here knows: it stays queued, so only the Retry clicks move it.
    const added = await sql<{ id: string }>`
      select id::text from graphile_worker.add_job('billops_test_gave_up', '{}'::json, max_attempts := 1)
    `.execute(db());
    const jobId = added.rows[0]?.id;
    if (jobId === undefined) throw new Error('no job');
    const click = await clickOn(await notice(RETRY_JOB, jobId), RETRY_JOB);
    await eventually(async () => {
      expect(await auditCount('job.retried', jobId)).toBe(1);
    });
    await deliverAgain(click.triggerId);
    await settle();
    expect(await auditCount('job.retried', jobId)).toBe(1);
  });
});
