import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APPROVE_ALL_WITHIN_POLICY,
  EXPORT_RUN_CSV,
  REVIEW_PAGE,
  REVIEW_RUN,
  SLASH_COMMAND,
} from '../blocks/ids.ts';
import type { StoredMessage } from '../src/local/slack-api/index.ts';
import { insertCustomer, insertSubscription } from './support/billing-factories.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// A run with more held invoices than cards: bounded messages, the paged Review, bulk approval, CSV.

const HELD = 12;
const CARDS = 5;
let test: TestApp;
let dir: string;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 100 });

function summary(): StoredMessage {
  const found = test.slack
    .messages('C0BILLING')
    .find((message) => visibleText(message.blocks).includes('Billing run'));
  if (found === undefined) throw new Error('no summary yet');
  return found;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'billops-review-'));
  const example = await readFile('billing.example.yml', 'utf8');
  const config = path.join(dir, 'billing.yml');
  await writeFile(config, example.replace('max_cards_per_run: 25', `max_cards_per_run: ${CARDS}`));
  test = await startTestApp({ BILLING_CONFIG: config });
  for (let index = 1; index <= HELD; index += 1) {
    const name = index === 1 ? '=HYPERLINK("http://evil.example","Click")' : `Customer ${index}`;
    const id = await insertCustomer(test.app.deps.db, {
      external_id: `cus_${String(index).padStart(2, '0')}`,
      name,
    });
    await insertSubscription(test.app.deps.db, id, { plan_code: 'starter' });
  }
  await test.slack.sendSlashCommand({
    userId: 'U0FINANCE',
    channelId: 'C0BILLING',
    command: SLASH_COMMAND,
    text: 'run 2026-10',
  });
  await eventually(() => {
    expect(test.slack.messages('C0APPROVALS')).toHaveLength(CARDS);
  });
});
afterAll(async () => {
  await test.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a run with many held invoices', () => {
  it('posts one summary and a bounded number of cards, pointing to Review for the rest', async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(test.slack.messages('C0APPROVALS')).toHaveLength(CARDS);
    expect(test.slack.messages('C0BILLING').filter((message) => message.user !== 'U0FINANCE')).toHaveLength(
      1,
    );
    expect(visibleText(summary().blocks)).toContain(
      `${HELD - CARDS} held invoices have no card of their own`,
    );
  });

  it('pages through the held invoices in the Review modal', async () => {
    await test.slack.clickButton({
      userId: 'U0APPROVER1',
      channelId: 'C0BILLING',
      messageTs: summary().ts,
      actionId: REVIEW_RUN,
    });
    const modal = await eventually(() => {
      const view = test.slack.openViews('U0APPROVER1').at(-1);
      if (view === undefined) throw new Error('no review modal yet');
      return view;
    });
    expect(visibleText(modal.definition)).toContain(`showing 1–10 of ${HELD}`);
    await test.slack.clickButton({ userId: 'U0APPROVER1', viewId: modal.id, actionId: REVIEW_PAGE });
    await eventually(() => {
      const view = test.slack.openViews('U0APPROVER1').find((open) => open.id === modal.id);
      expect(visibleText(view?.definition)).toContain(`showing 11–12 of ${HELD}`);
    });
  });

  it('approves everything within policy in one click, and the summary follows', async () => {
    await test.slack.clickButton({
      userId: 'U0APPROVER2',
      channelId: 'C0BILLING',
      messageTs: summary().ts,
      actionId: APPROVE_ALL_WITHIN_POLICY,
    });
    await eventually(async () => {
      const statuses = await test.app.deps.db.selectFrom('invoices').select('status').execute();
      // Approved, and from there finalized by the job runner.
      expect(statuses.map((row) => row.status)).toEqual(Array.from({ length: HELD }, () => 'finalized'));
    });
    const approvals = await test.app.deps.db
      .selectFrom('approvals')
      .select(['decision', 'slack_user_id'])
      .execute();
    expect(approvals).toHaveLength(HELD);
    expect(new Set(approvals.map((row) => row.slack_user_id))).toEqual(new Set(['U0APPROVER2']));
    await eventually(() => {
      expect(visibleText(summary().blocks)).toMatch(new RegExp(`Approved\\*\\s*${HELD}`));
    });
    await eventually(() => {
      expect(visibleText(test.slack.messages('C0APPROVALS')[0]?.blocks)).toContain('Approved by');
    });
    // The run has nothing left to decide: its summary says so (and offers no Approve all).
    await eventually(() => {
      expect(visibleText(summary().blocks)).toContain('Completed');
    });
  });

  it('exports the run as CSV into the summary thread, with formulas defused', async () => {
    await test.slack.clickButton({
      userId: 'U0FINANCE',
      channelId: 'C0BILLING',
      messageTs: summary().ts,
      actionId: EXPORT_RUN_CSV,
    });
    const reply = await eventually(() => {
      const found = test.slack
        .messages('C0BILLING', { threadTs: summary().ts })
        .find((message) => message.fileIds.length > 0);
      if (found === undefined) throw new Error('no CSV yet');
      return found;
    });
    const csv = test.slack.file(reply.fileIds[0] ?? '')?.bytes?.toString('utf8') ?? '';
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'customer_id,customer,currency,status,subtotal,discount,tax,total,issue_date,due_date,review_reasons,exceptions',
    );
    expect(lines).toHaveLength(HELD + 1);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    expect(lines[1]).toContain('GBP,finalized,49.00,0.00,9.80,58.80');
  });
});
