import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addDays, todayIn } from '../src/calendar/calendar-date.ts';
import { pullErpPaymentsTask } from '../src/jobs/pull-erp-payments-task.ts';
import type { LocalXero } from '../src/local/xero/index.ts';
import { syncedAppInvoice } from './support/app-invoices.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// `/invoice show` after the money moved, over signed HTTP as Slack sends it: a payment typed with
// /invoice paid, one pulled from Xero, and a credit note, each listed, and a balance that adds up.

const APPROVER = 'U0APPROVER1';
const BILLING = 'C0BILLING';

let test: TestApp;
let sandbox: LocalXero;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 100 });
// Payments and credit notes happen on real days: the app's clock is the real one.
const today = () => todayIn('Europe/London', new Date());

beforeAll(async () => {
  test = await startTestApp();
  if (test.app.erpSandbox === undefined) throw new Error('expected the local Xero sandbox');
  sandbox = test.app.erpSandbox;
});
afterAll(async () => {
  await test.stop();
});

const command = (text: string) =>
  test.slack.sendSlashCommand({ userId: APPROVER, channelId: BILLING, command: '/invoice', text });

/** The visible text of the last reply sent to a command's response_url. */
function lastReply(responseUrl: string): string {
  const id = new URL(responseUrl).pathname.split('/').pop();
  return visibleText(test.slack.responses(id).at(-1)?.body ?? null);
}

async function answered(text: string, expected: string): Promise<string> {
  const sent = await command(text);
  expect(sent.status).toBe(200);
  return eventually(() => {
    const reply = lastReply(sent.responseUrl);
    expect(reply).toContain(expected);
    return reply;
  });
}

describe('/invoice show', () => {
  it('lists each payment and credit note and the total, paid, credited and outstanding', async () => {
    const invoice = await syncedAppInvoice(test);
    const xeroPaidOn = addDays(today(), -1);
    const xeroPayment = sandbox.addPayment(invoice.number, '30.00', xeroPaidOn);
    await pullErpPaymentsTask(test.app.deps)({});
    await answered(`paid ${invoice.number} 20.00`, 'Recorded a payment of £20.00');
    await answered(`credit ${invoice.number} 10.00 one seat was not used`, `for ${invoice.number}`);
    const creditNote = await test.app.deps.db
      .selectFrom('credit_notes')
      .select('number')
      .where('invoice_id', '=', invoice.id)
      .executeTakeFirstOrThrow();

    const reply = await answered(`show ${invoice.number}`, '*Balance*');

    expect(reply).toContain(`*Invoice \`${invoice.number}\`*`);
    expect(reply).toContain('*£120.00*');
    expect(reply).toContain('Status: partially paid');
    expect(reply).toContain(
      [
        '*Payments*',
        `• ${xeroPaidOn} · £30.00 · from Xero · ref \`${xeroPayment}\``,
        `• ${today()} · £20.00 · recorded in Slack with \`/invoice paid\` by <@${APPROVER}>`,
      ].join('\n'),
    );
    expect(reply).toContain(
      `*Credit notes*\n• \`${creditNote.number}\` · ${today()} · £10.00 · one seat was not used`,
    );
    expect(reply).toContain(
      '*Balance*\n£120.00 total − £50.00 paid − £10.00 credited = *£60.00 outstanding*',
    );
    // Names and dates, not ids and timestamps.
    expect(reply).not.toContain(invoice.id);
    expect(reply).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
  });
});
