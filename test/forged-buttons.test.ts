import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { APPROVE_INVOICE, REJECT_INVOICE, SLASH_COMMAND } from '../blocks/ids.ts';
import { invoiceButtonValue } from '../blocks/invoice-buttons.ts';
import { OUT_OF_DATE } from '../handlers/actions/bound-button.ts';
import type { StoredMessage } from '../src/local/slack-api/index.ts';
import { insertCustomer, insertSubscription } from './support/billing-factories.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// A button's value is a claim, not an authority: through signed requests, a value that names another
// invoice, is longer than Slack allows or carries keys billops never writes is refused out loud, and
// nothing changes (OWASP transaction authorization: what you see is what you approve).

const FINANCE = 'U0FINANCE';
const APPROVER = 'U0APPROVER1';
const BILLING = 'C0BILLING';
const APPROVALS = 'C0APPROVALS';

let test: TestApp;
const db = () => test.app.deps.db;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 100 });

async function invoiceOf(customer: string) {
  return db()
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select(['invoices.id', 'invoices.status', 'invoices.version'])
    .where('customers.external_id', '=', customer)
    .executeTakeFirstOrThrow();
}

const approvalsOf = async (invoiceId: string) =>
  db().selectFrom('approvals').select('decision').where('invoice_id', '=', invoiceId).execute();

function cardOf(name: string): StoredMessage {
  const card = test.slack.messages(APPROVALS).find((message) => visibleText(message.blocks).includes(name));
  if (card === undefined) throw new Error(`no card for ${name} yet`);
  return card;
}

function click(card: StoredMessage, actionId: string, value: string, channelId = APPROVALS) {
  return test.slack.clickButton({ userId: APPROVER, channelId, messageTs: card.ts, actionId, value });
}

const toldToApprover = () =>
  test.slack
    .responses()
    .map((post) => JSON.stringify(post.body))
    .join('\n');

beforeAll(async () => {
  test = await startTestApp();
  for (const name of ['Alpha', 'Beta']) {
    const customer = await insertCustomer(db(), { external_id: name.toLowerCase(), name });
    await insertSubscription(db(), customer, { plan_code: 'starter' });
  }
  await test.slack.sendSlashCommand({
    userId: FINANCE,
    channelId: BILLING,
    command: SLASH_COMMAND,
    text: 'run 2026-10',
  });
  await eventually(() => {
    cardOf('Alpha');
    cardOf('Beta');
  });
});
afterAll(async () => {
  await test.stop();
});

describe('buttons bound to the message they were posted on', () => {
  it('approves nothing when a card’s button names another invoice', async () => {
    const alpha = await invoiceOf('alpha');
    const reply = await click(cardOf('Beta'), APPROVE_INVOICE, invoiceButtonValue(alpha.id, alpha.version));
    expect(reply.status).toBe(200);
    await eventually(() => {
      expect(toldToApprover()).toContain(OUT_OF_DATE.slice(0, 40));
    });
    expect(await invoiceOf('alpha')).toEqual(alpha);
    expect(await approvalsOf(alpha.id)).toEqual([]);
    expect((await invoiceOf('beta')).status).toBe('pending_approval');
  });

  it('refuses a value longer than Slack allows, even around a real invoice and version', async () => {
    const alpha = await invoiceOf('alpha');
    const padded = JSON.stringify({ invoiceId: alpha.id, version: alpha.version }).replace(
      '{',
      `{${' '.repeat(10_000)}`,
    );
    expect(JSON.parse(padded)).toEqual({ invoiceId: alpha.id, version: alpha.version });
    const before = test.slack.responses().length;
    await click(cardOf('Alpha'), APPROVE_INVOICE, padded);
    await eventually(() => {
      expect(test.slack.responses().length).toBeGreaterThan(before);
    });
    expect(toldToApprover()).toContain(OUT_OF_DATE.slice(0, 40));
    expect(await approvalsOf(alpha.id)).toEqual([]);
  });

  it('refuses a value with keys billops never writes', async () => {
    const alpha = await invoiceOf('alpha');
    const before = test.slack.responses().length;
    const value = JSON.stringify({ invoiceId: alpha.id, version: alpha.version, approveAll: true });
    await click(cardOf('Alpha'), REJECT_INVOICE, value);
    await eventually(() => {
      expect(test.slack.responses().length).toBeGreaterThan(before);
    });
    expect(test.slack.openViews(APPROVER)).toEqual([]);
  });

  it('still approves from the invoice’s own card', async () => {
    const alpha = await invoiceOf('alpha');
    await click(cardOf('Alpha'), APPROVE_INVOICE, invoiceButtonValue(alpha.id, alpha.version));
    await eventually(async () => {
      expect(await approvalsOf(alpha.id)).toEqual([{ decision: 'approved' }]);
    });
  });
});
