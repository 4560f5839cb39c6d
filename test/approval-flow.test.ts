import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APPROVE_INVOICE,
  INVOICE_DETAILS,
  REJECT_INVOICE,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  SLASH_COMMAND,
} from '../blocks/ids.ts';
import { verifyAuditLog } from '../src/audit/verify-audit-log.ts';
import { Decimal } from '../src/money/decimal.ts';
import { formatMoney } from '../src/money/format-money.ts';
import { slackSignatureHeaders, type StoredMessage } from '../src/local/slack-api/index.ts';
import { insertCustomer, insertSubscription, insertUsage } from './support/billing-factories.ts';
import { buttonsWithActionId, visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// The approval flow as a finance team lives it, through signed HTTP into /slack/events and the local
// Slack API: run → summary → cards → approve / reject, with the races and refusals that must hold.

const FINANCE = 'U0FINANCE';
const APPROVER1 = 'U0APPROVER1';
const APPROVER2 = 'U0APPROVER2';
const VIEWER = 'U0VIEWER';
const BILLING = 'C0BILLING';
const APPROVALS = 'C0APPROVALS';

let test: TestApp;

const db = () => test.app.deps.db;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 100 });

async function invoiceOf(customer: string) {
  return db()
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select(['invoices.id', 'invoices.status', 'invoices.version', 'invoices.run_id'])
    .where('customers.external_id', '=', customer)
    .where('invoices.run_id', 'is not', null)
    .orderBy('invoices.created_at', 'desc')
    .executeTakeFirstOrThrow();
}

async function decisionsOf(customer: string) {
  const invoice = await invoiceOf(customer);
  return db()
    .selectFrom('approvals')
    .select(['decision', 'slack_user_id', 'reason'])
    .where('invoice_id', '=', invoice.id)
    .orderBy('decided_at')
    .execute();
}

function cardOf(name: string): StoredMessage {
  const card = test.slack.messages(APPROVALS).find((message) => visibleText(message.blocks).includes(name));
  if (card === undefined) throw new Error(`no card for ${name} yet`);
  return card;
}

const click = (userId: string, card: StoredMessage, actionId: string) =>
  test.slack.clickButton({ userId, channelId: APPROVALS, messageTs: card.ts, actionId });

const responseId = (url: string) => new URL(url).pathname.split('/').pop();

/** What the app told this person privately, newest last: response_url posts and ephemerals. */
function toldTo(userId: string): string {
  const ephemerals = test.slack.ephemerals(userId).map((message) => message.text);
  const responses = test.slack.responses().map((post) => JSON.stringify(post.body));
  return [...ephemerals, ...responses].join('\n');
}

beforeAll(async () => {
  test = await startTestApp();
  const seed = async (
    id: string,
    fields: Parameters<typeof insertCustomer>[1],
    plan: string,
    metric?: [string, string],
  ) => {
    const customer = await insertCustomer(db(), { external_id: id, name: fields?.name ?? id, ...fields });
    await insertSubscription(db(), customer, { plan_code: plan });
    if (metric) await insertUsage(db(), customer, metric[0], metric[1], '2026-10-05T10:00:00Z');
    return customer;
  };
  await seed('acme', { name: 'Acme <!channel> & *Co*' }, 'starter', ['api_calls', '25000']);
  await seed('globex', { name: 'Globex' }, 'growth', ['storage_gb', '200000']);
  await seed('initech', { name: 'Initech', email_to: [] }, 'starter');
  await seed('hooli', { name: 'Hooli' }, 'starter');
  await seed('wonka', { name: 'Wonka' }, 'starter');
  const umbrella = await seed('umbrella', { name: 'Umbrella' }, 'starter', ['api_calls', '12000']);
  // Umbrella was invoiced last month for about the same: no reason to hold this one.
  await db()
    .insertInto('invoices')
    .values({
      customer_id: umbrella,
      currency: 'GBP',
      status: 'approved',
      total: '60.00',
      period_start: '2026-09-01',
      period_end: '2026-10-01',
    })
    .execute();
});
afterAll(async () => {
  await test.stop();
});

describe('approval in Slack', () => {
  it('starts a run from /invoice run, posts one summary and cards only for held invoices', async () => {
    const reply = await test.slack.sendSlashCommand({
      userId: FINANCE,
      channelId: BILLING,
      command: SLASH_COMMAND,
      text: 'run 2026-10',
    });
    expect(reply.status).toBe(200);
    expect(JSON.stringify(reply.body)).toContain('October 2026');

    const summary = await eventually(() => {
      const found = test.slack
        .messages(BILLING)
        .find((message) => visibleText(message.blocks).includes('Billing run'));
      if (found === undefined) throw new Error('no summary yet');
      return found;
    });
    expect(visibleText(summary.blocks)).toContain('October 2026');
    // acme and hooli and wonka (first invoices), globex (first, two approvers), initech (blocked); umbrella auto-approved
    await eventually(() => {
      expect(test.slack.messages(APPROVALS)).toHaveLength(5);
    });
    // Approved by policy, so it goes straight on to be finalized.
    await eventually(async () => {
      expect((await invoiceOf('umbrella')).status).toBe('finalized');
    });
    expect(await decisionsOf('umbrella')).toEqual([
      { decision: 'auto_approved', slack_user_id: null, reason: null },
    ]);

    const acme = cardOf('Acme');
    expect(acme.text).not.toContain('<!channel>');
    expect(JSON.stringify(acme.blocks)).not.toContain('<!channel>');
    expect(buttonsWithActionId(cardOf('Initech').blocks, APPROVE_INVOICE)).toEqual([]);
    expect(visibleText(cardOf('Initech').blocks)).toContain('no invoice email address');
  });

  it('starts one run however often Slack delivers the same command, and the same run when asked again', async () => {
    const again = await test.slack.sendSlashCommand({
      userId: FINANCE,
      channelId: BILLING,
      command: SLASH_COMMAND,
      text: 'run 2026-10',
    });
    await eventually(() => {
      const answered = test.slack
        .responses(responseId(again.responseUrl))
        .map((post) => JSON.stringify(post.body));
      expect(answered.join('\n')).toContain('already ran');
    });
    expect(await db().selectFrom('billing_runs').select('id').execute()).toHaveLength(1);
    expect(
      test.slack.messages(BILLING).filter((message) => visibleText(message.blocks).includes('Billing run')),
    ).toHaveLength(1);
  });

  it('refuses someone who is not an approver, and changes nothing', async () => {
    const before = await invoiceOf('acme');
    await click(VIEWER, cardOf('Acme'), APPROVE_INVOICE);
    await eventually(() => {
      expect(toldTo(VIEWER)).toContain('Only billing approvers can approve invoices');
    });
    expect(await invoiceOf('acme')).toEqual(before);
  });

  it('refuses a card whose invoice changed after it was posted', async () => {
    const { id } = await invoiceOf('wonka');
    await db()
      .updateTable('invoices')
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await click(APPROVER1, cardOf('Wonka'), APPROVE_INVOICE);
    await eventually(() => {
      expect(toldTo(APPROVER1)).toContain('changed since the card you clicked was posted');
    });
    expect((await invoiceOf('wonka')).status).toBe('pending_approval');
    expect(await decisionsOf('wonka')).toEqual([]);
  });

  it('gives 20 simultaneous Approve clicks exactly one decision and updates the card in place', async () => {
    const card = cardOf('Acme');
    const clicks = Array.from({ length: 20 }, (_, index) =>
      click(index % 2 === 0 ? APPROVER1 : APPROVER2, card, APPROVE_INVOICE),
    );
    const replies = await Promise.all(clicks);
    expect(replies.every((reply) => reply.status === 200)).toBe(true);
    // NOTE: Bolt acks first and decides after, so the decision lands just after the replies.
    await eventually(async () => {
      expect(['approved', 'finalized']).toContain((await invoiceOf('acme')).status);
    });
    // Every click has been handled once all but one were told it was decided already.
    await eventually(() => {
      expect(
        (toldTo(APPROVER2) + toldTo(APPROVER1)).split('already decided').length - 1,
      ).toBeGreaterThanOrEqual(19);
    });
    const decisions = await decisionsOf('acme');
    expect(decisions.map((row) => row.decision)).toEqual(['approved']);
    await eventually(() => {
      const updated = test.slack.messages(APPROVALS).find((message) => message.ts === card.ts);
      expect(buttonsWithActionId(updated?.blocks ?? [], APPROVE_INVOICE)).toEqual([]);
      expect(visibleText(updated?.blocks ?? [])).toContain('Approved by');
    });
    await eventually(() => {
      expect(toldTo(APPROVER2) + toldTo(APPROVER1)).toContain('already decided');
    });
    // One approval was needed: nobody is told a second approver is awaited.
    expect(toldTo(APPROVER2) + toldTo(APPROVER1)).not.toContain('a second, different approver');
  });

  it('keeps the approved card current: its number, email and Xero, then each payment and credit note', async () => {
    const card = () =>
      visibleText(test.slack.messages(APPROVALS).find((m) => m.ts === cardOf('Acme').ts)?.blocks ?? []);
    const acme = await eventually(async () => {
      const row = await db()
        .selectFrom('invoices')
        .innerJoin('customers', 'customers.id', 'invoices.customer_id')
        .select(['invoices.number', 'invoices.total'])
        .where('customers.external_id', '=', 'acme')
        .where('invoices.number', 'is not', null)
        .executeTakeFirstOrThrow();
      if (row.number === null) throw new Error('not numbered yet');
      return { number: row.number, total: new Decimal(row.total) };
    });
    await eventually(() => {
      expect(card()).toContain(`📄 *${acme.number}* · ✉️ emailed · 📒 in Xero`);
    });
    const money = (amount: Decimal) => formatMoney(amount, 'GBP');
    const command = (text: string) =>
      test.slack.sendSlashCommand({ userId: APPROVER1, channelId: BILLING, command: SLASH_COMMAND, text });
    await command(`paid ${acme.number} 10.00`);
    await eventually(() => {
      expect(card()).toContain(`💰 £10.00 paid, ${money(acme.total.minus(10))} outstanding`);
    });
    await command(`credit ${acme.number} 5.00 agreed goodwill discount`);
    await eventually(() => {
      expect(card()).toContain(`💰 £10.00 paid + £5.00 credited, ${money(acme.total.minus(15))} outstanding`);
    });
    await command(`paid ${acme.number} ${acme.total.minus(15).toFixed(2)}`);
    await eventually(() => {
      expect(card()).toContain(`💰 ${money(acme.total.minus(5))} paid + £5.00 credited, nothing outstanding`);
      expect(cardOf('Acme').text).toContain('approved, settled');
    });
  });

  it('needs two different approvers above the second threshold', async () => {
    await click(APPROVER1, cardOf('Globex'), APPROVE_INVOICE);
    await eventually(async () => {
      expect(await decisionsOf('globex')).toHaveLength(1);
    });
    expect((await invoiceOf('globex')).status).toBe('pending_approval');
    // The card is re-rendered with the new version: 1 of 2 approvals.
    await eventually(() => {
      expect(visibleText(cardOf('Globex').blocks)).toMatch(/1 of 2/);
    });
    await click(APPROVER1, cardOf('Globex'), APPROVE_INVOICE);
    await eventually(() => {
      expect(toldTo(APPROVER1)).toContain('a second, different approver');
    });
    expect((await invoiceOf('globex')).status).toBe('pending_approval');
    await click(APPROVER2, cardOf('Globex'), APPROVE_INVOICE);
    await eventually(async () => {
      expect(['approved', 'finalized']).toContain((await invoiceOf('globex')).status);
    });
    expect((await decisionsOf('globex')).map((row) => row.slack_user_id)).toEqual([APPROVER1, APPROVER2]);
  });

  it('lets only one of Approve and Reject win when they race', async () => {
    const card = cardOf('Hooli');
    await click(APPROVER2, card, REJECT_INVOICE);
    const modal = await eventually(() => {
      const open = test.slack.openViews(APPROVER2).at(-1);
      if (open === undefined) throw new Error('no reject modal yet');
      return open;
    });
    await Promise.all([
      click(APPROVER1, card, APPROVE_INVOICE),
      test.slack.submitView({
        userId: APPROVER2,
        viewId: modal.id,
        values: { [REJECT_REASON_BLOCK]: { [REJECT_REASON_INPUT]: 'Wrong plan for them' } },
      }),
    ]);
    await eventually(async () => {
      expect(['approved', 'finalized', 'rejected']).toContain((await invoiceOf('hooli')).status);
    });
    expect(await decisionsOf('hooli')).toHaveLength(1);
  });

  it('rejects with a required reason, posts it in the thread, and takes a fixed invoice back for review', async () => {
    const card = cardOf('Initech');
    await click(APPROVER1, card, REJECT_INVOICE);
    const modal = await eventually(() => {
      const open = test.slack.openViews(APPROVER1).at(-1);
      if (open === undefined) throw new Error('no reject modal yet');
      return open;
    });
    const empty = await test.slack.submitView({
      userId: APPROVER1,
      viewId: modal.id,
      values: { [REJECT_REASON_BLOCK]: { [REJECT_REASON_INPUT]: '   ' } },
    });
    expect(empty.errors?.[REJECT_REASON_BLOCK]).toBe('Say why, so it can be fixed.');
    // As for a void: a word or two tells whoever fixes the data nothing.
    const short = await test.slack.submitView({
      userId: APPROVER1,
      viewId: modal.id,
      values: { [REJECT_REASON_BLOCK]: { [REJECT_REASON_INPUT]: 'no' } },
    });
    expect(short.errors?.[REJECT_REASON_BLOCK]).toMatch(/^Say why in a few words \(at least 3\)/);
    // NOTE: Postgres cannot store a NUL; the form says so instead of failing after it closed.
    const nul = await test.slack.submitView({
      userId: APPROVER1,
      viewId: modal.id,
      values: { [REJECT_REASON_BLOCK]: { [REJECT_REASON_INPUT]: 'No\u0000 email on file' } },
    });
    expect(nul.errors?.[REJECT_REASON_BLOCK]).toMatch(
      /^The reason contains a NUL character \(U\+0000\) at character 3/,
    );
    await test.slack.submitView({
      userId: APPROVER1,
      viewId: modal.id,
      values: { [REJECT_REASON_BLOCK]: { [REJECT_REASON_INPUT]: 'No email <@U0VIEWER>' } },
    });
    await eventually(async () => {
      expect((await invoiceOf('initech')).status).toBe('rejected');
    });
    await eventually(() => {
      const note = test.slack
        .messages(APPROVALS, { threadTs: card.ts })
        .find((message) => message.text.includes('rejected'));
      expect(note?.text).toContain('No email &lt;@U0VIEWER&gt;');
    });

    await db()
      .updateTable('customers')
      .set({ email_to: ['ap@initech.example'] })
      .where('external_id', '=', 'initech')
      .execute();
    const review = await test.slack.sendSlashCommand({
      userId: FINANCE,
      channelId: BILLING,
      command: SLASH_COMMAND,
      text: 'review initech',
    });
    expect(review.status).toBe(200);
    await eventually(async () => {
      expect((await invoiceOf('initech')).status).toBe('pending_approval');
    });
    await eventually(() => {
      expect(
        test.slack.messages(APPROVALS).filter((message) => visibleText(message.blocks).includes('Initech')),
      ).toHaveLength(2);
    });
  });

  it('does not let whoever started a run approve its invoices', async () => {
    const customer = await insertCustomer(db(), { external_id: 'stark', name: 'Stark' });
    await insertSubscription(db(), customer, { plan_code: 'starter' });
    await test.slack.sendSlashCommand({
      userId: APPROVER2,
      channelId: BILLING,
      command: SLASH_COMMAND,
      text: 'run 2026-10 stark',
    });
    const card = await eventually(() => cardOf('Stark'));
    await click(APPROVER2, card, APPROVE_INVOICE);
    await eventually(() => {
      expect(toldTo(APPROVER2)).toContain('You started this billing run');
    });
    expect((await invoiceOf('stark')).status).toBe('pending_approval');
  });

  it('explains an invoice line by line, and keeps every decision in the audit log', async () => {
    await click(APPROVER1, cardOf('Globex'), INVOICE_DETAILS);
    const details = await eventually(() => {
      const view = test.slack
        .openViews(APPROVER1)
        .find((open) => visibleText(open.definition).includes('Storage'));
      if (view === undefined) throw new Error('no details modal yet');
      return view;
    });
    expect(visibleText(details.definition)).toMatch(/200,000|200000/);
    const audit = await db().selectFrom('audit_log').select(['action', 'actor']).execute();
    expect(
      audit
        .filter((entry) => entry.action === 'invoice.approved')
        .map((entry) => entry.actor)
        .sort(),
    ).toEqual(expect.arrayContaining([APPROVER2]));
    expect(audit.some((entry) => entry.action === 'invoice.rejected' && entry.actor === APPROVER1)).toBe(
      true,
    );
    expect((await verifyAuditLog(db())).ok).toBe(true);
  });

  it('answers /invoice status, show, a dry run and bad arguments only to the person who asked', async () => {
    const status = await test.slack.sendSlashCommand({
      userId: VIEWER,
      channelId: BILLING,
      command: SLASH_COMMAND,
      text: 'status',
    });
    expect(status.status).toBe(200);
    await eventually(() => {
      expect(
        JSON.stringify(test.slack.responses(responseId(status.responseUrl)).map((post) => post.body)),
      ).toContain('2026');
    });
    const show = await test.slack.sendSlashCommand({
      userId: VIEWER,
      channelId: BILLING,
      command: SLASH_COMMAND,
      text: 'show globex',
    });
    await eventually(() => {
      const posts = test.slack
        .responses(responseId(show.responseUrl))
        .map((post) => JSON.stringify(post.body));
      expect(posts.join('')).toContain('Globex');
      expect(posts.join('')).toContain('ephemeral');
    });
    const dry = await test.slack.sendSlashCommand({
      userId: FINANCE,
      channelId: BILLING,
      command: SLASH_COMMAND,
      text: 'run 2026-11 --dry',
    });
    await eventually(() => {
      expect(
        JSON.stringify(test.slack.responses(responseId(dry.responseUrl)).map((post) => post.body)),
      ).toContain('nothing was saved');
    });
    expect(
      await db().selectFrom('billing_runs').select('id').where('period_start', '=', '2026-11-01').execute(),
    ).toEqual([]);
    const bad = await test.slack.sendSlashCommand({
      userId: FINANCE,
      channelId: BILLING,
      command: SLASH_COMMAND,
      text: 'run 2026-13',
    });
    expect(JSON.stringify(bad.body)).toContain('is not a month');
    expect(JSON.stringify(bad.body)).toContain('ephemeral');
  });

  it('shows an approver what waits for them on App Home', async () => {
    await test.slack.openAppHome(APPROVER1);
    await eventually(() => {
      const home = test.slack.homeView(APPROVER1);
      expect(visibleText(home?.definition)).toContain('Initech');
    });
  });
});

describe('an approver in none of billops’ channels', () => {
  it('is answered on App Home, where they clicked, not by an ephemeral in a channel they are not in', async () => {
    for (const channel of [APPROVALS, BILLING]) test.slack.removeFromChannel(channel, APPROVER2);
    try {
      await test.slack.openAppHome(APPROVER2);
      const home = await eventually(() => {
        const view = test.slack.homeView(APPROVER2);
        if (view === undefined || !visibleText(view.definition).includes('Wonka'))
          throw new Error('no Wonka yet');
        return view;
      });
      const blocks = home.definition.blocks;
      const buttons = blocks[blocks.findIndex((block) => visibleText([block]).includes('Wonka')) + 1];
      // The invoice changes after Home was drawn: the click is refused, and the refusal must reach Blake.
      const { id } = await invoiceOf('wonka');
      await db()
        .updateTable('invoices')
        .set((eb) => ({ version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .execute();

      await test.slack.clickButton({
        userId: APPROVER2,
        viewId: home.id,
        actionId: APPROVE_INVOICE,
        ...(buttons?.block_id === undefined ? {} : { blockId: buttons.block_id }),
      });

      const notice = await eventually(() => {
        const open = test.slack.openViews(APPROVER2).at(-1);
        if (open === undefined) throw new Error('no notice yet');
        return open;
      });
      expect(visibleText(notice.definition)).toContain('changed since');
      expect((await invoiceOf('wonka')).status).toBe('pending_approval');

      // Reject on App Home opens its form (with no modal open, there is none to push it onto).
      await test.slack.closeView({ userId: APPROVER2, viewId: notice.id });
      expect(test.slack.openViews(APPROVER2)).toEqual([]);
      await test.slack.clickButton({
        userId: APPROVER2,
        viewId: home.id,
        actionId: REJECT_INVOICE,
        ...(buttons?.block_id === undefined ? {} : { blockId: buttons.block_id }),
      });
      await eventually(() => {
        expect(visibleText(test.slack.openViews(APPROVER2).at(-1)?.definition)).toContain(
          'Reject the invoice',
        );
      });
    } finally {
      for (const channel of [APPROVALS, BILLING]) test.slack.invite(channel, APPROVER2);
    }
  });
});

describe('a Slack retry of /invoice run', () => {
  it('queues the run once when Slack delivers the same command twice', async () => {
    const answers: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        answers.push(body);
        response.end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const body = new URLSearchParams({
      command: SLASH_COMMAND,
      text: 'run 2026-08',
      user_id: FINANCE,
      user_name: 'finance',
      channel_id: BILLING,
      channel_name: 'billing',
      team_id: 'T0LOCAL',
      team_domain: 'local',
      api_app_id: 'A0BILLOPS',
      trigger_id: '1234.5678.retried',
      response_url: `http://127.0.0.1:${port}/commands/T0LOCAL/1/retried`,
    }).toString();
    const deliver = (retry: number) => {
      const headers: Record<string, string> = {
        'content-type': 'application/x-www-form-urlencoded',
        ...slackSignatureHeaders(
          test.app.deps.config.slack.signingSecret,
          body,
          Math.floor(Date.now() / 1000),
        ),
      };
      if (retry > 0)
        Object.assign(headers, {
          'x-slack-retry-num': String(retry),
          'x-slack-retry-reason': 'http_timeout',
        });
      return fetch(`${test.app.url}/slack/events`, { method: 'POST', headers, body });
    };
    expect((await deliver(0)).status).toBe(200);
    expect((await deliver(1)).status).toBe(200);
    await eventually(() => {
      expect(answers).toHaveLength(1);
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain('August 2026');
    const runs = await db()
      .selectFrom('billing_runs')
      .select('id')
      .where('period_start', '=', '2026-08-01')
      .execute();
    expect(runs).toHaveLength(1);
    server.close();
  });
});
