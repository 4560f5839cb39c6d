import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  APPROVE_ALL_WITHIN_POLICY,
  APPROVE_INVOICE,
  EXPORT_RUN_CSV,
  INVOICE_DETAILS,
  MARK_DELIVERY_SENT,
  RECONNECT_ERP,
  REJECT_INVOICE,
  REJECT_MODAL,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  RETRY_DELIVERY,
  RETRY_ERP_SYNC,
  RETRY_JOB,
  REVIEW_MODAL,
  REVIEW_PAGE,
  REVIEW_RUN,
  SLASH_COMMAND,
} from '../blocks/ids.ts';
import { CUSTOMER_COLUMNS } from '../src/intake/customer-row-schema.ts';
import { importCustomers } from '../src/intake/import-customers.ts';
import { importSubscriptions } from '../src/intake/import-subscriptions.ts';
import { IntakeFileError } from '../src/intake/intake-rows.ts';
import { readIntakeFile } from '../src/intake/read-intake-file.ts';
import { recordUsage } from '../src/intake/record-usage.ts';
import { SUBSCRIPTION_COLUMNS } from '../src/intake/subscription-row-schema.ts';
import { USAGE_COLUMNS } from '../src/intake/usage-event-schema.ts';
import { intakeCatalogFor } from '../src/intake/intake-catalog-for.ts';
import { slackSignatureHeaders } from '../src/local/slack-api/index.ts';
import { insertCustomer, insertSubscription } from './support/billing-factories.ts';
import { visibleText } from './support/block-kit-queries.ts';
import { startTestApp, type TestApp } from './support/start-test-app.ts';

// Random and malformed input at every edge a stranger can reach: the usage API, the import files and
// Slack's interaction payloads (signed, so they reach the listeners). Whatever comes in: never a 5xx,
// never a stack trace in an answer, and never half a write: a refused request leaves every table as it was.

const TOKEN = 'fuzz-usage-token-0123456789abcdef0123';
const FINANCE = 'U0FINANCE';
const APPROVER = 'U0APPROVER1';
const APPROVALS = 'C0APPROVALS';
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);

let test: TestApp;
let dir: string;
const db = () => test.app.deps.db;
const eventually = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 15_000, interval: 100 });
const STACK_TRACE = /\n\s+at [\w.<>]+ \(|node_modules|\.ts:\d+:\d+/;

/** Every row of every table a stranger's input could touch, as one comparable snapshot. */
async function snapshot() {
  const count = async (
    table: 'customers' | 'subscriptions' | 'usage_records' | 'approvals' | 'deliveries',
  ) => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(
      db(),
    );
    return rows[0]?.n ?? 0;
  };
  const invoices = await db()
    .selectFrom('invoices')
    .select(['id', 'status', 'version'])
    .orderBy('id')
    .execute();
  return {
    customers: await count('customers'),
    subscriptions: await count('subscriptions'),
    usage: await count('usage_records'),
    approvals: await count('approvals'),
    deliveries: await count('deliveries'),
    invoices,
  };
}

/** Text with the characters that break parsers, mail and messages. */
const nasty = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom(
    '',
    ' ',
    '\r\n',
    '\u0000',
    '\u202e',
    '<!channel>',
    '"',
    "'",
    ',',
    '{',
    '1e400',
    '-0',
    'NaN',
  ),
  fc.bigInt({ min: -(10n ** 45n), max: 10n ** 45n }).map(String),
  fc.double().map(String),
  fc.tuple(fc.nat(), fc.nat({ max: 10 ** 6 })).map(([whole, fraction]) => `${whole}.${fraction}`),
);

beforeAll(async () => {
  test = await startTestApp({ USAGE_API_TOKEN: TOKEN });
  dir = await mkdtemp(path.join(tmpdir(), 'billops-fuzz-'));
  for (const name of ['Alpha', 'Beta']) {
    const customer = await insertCustomer(db(), { external_id: name.toLowerCase(), name });
    await insertSubscription(db(), customer, { plan_code: 'starter' });
  }
  await test.slack.sendSlashCommand({
    userId: FINANCE,
    channelId: 'C0BILLING',
    command: SLASH_COMMAND,
    text: 'run 2026-10',
  });
  await eventually(() => {
    expect(
      test.slack.messages(APPROVALS).filter((message) => visibleText(message.blocks).includes('Alpha')),
    ).toHaveLength(1);
  });
});
afterAll(async () => {
  await test.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the usage API under random input', () => {
  const post = (body: string) =>
    fetch(`${test.app.url}/api/usage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body,
    });

  it('answers every body below 500, without a stack trace, and records all of a batch or none of it', async () => {
    // Mostly valid events with the odd field gone wrong, so whole batches are recorded too.
    const mostly = <T>(valid: fc.Arbitrary<T>) =>
      fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: nasty, weight: 1 });
    const event = fc.record(
      {
        event_id: mostly(fc.uuid()),
        customer: mostly(fc.constantFrom('alpha', 'beta')),
        metric: mostly(fc.constant('api_calls')),
        quantity: mostly(fc.tuple(fc.nat(10 ** 6), fc.nat(99)).map(([whole, cents]) => `${whole}.${cents}`)),
        occurred_at: mostly(fc.constant('2026-10-05T10:00:00Z')),
        properties: fc.option(fc.oneof(fc.object({ maxDepth: 2 }), nasty), { nil: undefined }),
      },
      { requiredKeys: ['event_id', 'customer', 'metric', 'quantity', 'occurred_at'] },
    );
    const body = fc.oneof(
      fc.array(event, { minLength: 1, maxLength: 3 }).map((events) => JSON.stringify({ events })),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      nasty,
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const before = await snapshot();
        const response = await post(text);
        const answer = await response.text();
        expect(response.status).toBeLessThan(500);
        expect(answer).not.toMatch(STACK_TRACE);
        const after = await snapshot();
        if (response.status >= 400) expect(after).toEqual(before);
        else expect(after.usage).toBeGreaterThanOrEqual(before.usage);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('the import files under random input', () => {
  const kinds = {
    customers: CUSTOMER_COLUMNS,
    subscriptions: SUBSCRIPTION_COLUMNS,
    usage: USAGE_COLUMNS,
  } as const;

  it('refuses a bad file or row with a message and writes nothing, or imports it whole', async () => {
    const catalog = intakeCatalogFor(test.app.deps.billing);
    const csv = (columns: readonly string[]) =>
      fc
        .array(fc.array(nasty, { minLength: columns.length, maxLength: columns.length }), { maxLength: 4 })
        .map((rows) =>
          [
            columns.join(','),
            ...rows.map((cells) => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')),
          ].join('\n'),
        );
    const file = fc.oneof(
      fc
        .constantFrom(...Object.keys(kinds))
        .chain((kind) =>
          fc.tuple(
            fc.constant(kind as keyof typeof kinds),
            csv(kinds[kind as keyof typeof kinds].all),
            fc.constant('csv'),
          ),
        ),
      fc.tuple(
        fc.constantFrom(...(Object.keys(kinds) as (keyof typeof kinds)[])),
        fc.jsonValue().map((value) => JSON.stringify(value)),
        fc.constant('json'),
      ),
      fc.tuple(
        fc.constantFrom(...(Object.keys(kinds) as (keyof typeof kinds)[])),
        nasty,
        fc.constantFrom('csv', 'json'),
      ),
    );
    let index = 0;
    await fc.assert(
      fc.asyncProperty(file, async ([kind, text, extension]) => {
        const filePath = path.join(dir, `fuzz-${(index += 1)}.${extension}`);
        await writeFile(filePath, text);
        const before = await snapshot();
        let read;
        try {
          read = await readIntakeFile(filePath, { kind, columns: kinds[kind] });
        } catch (error) {
          expect(error).toBeInstanceOf(IntakeFileError);
          expect((error as Error).message).not.toMatch(STACK_TRACE);
          return;
        }
        const options = { catalog, rowLabel: read.rowLabel };
        const outcome =
          kind === 'customers'
            ? await importCustomers(db(), read.rows, options)
            : kind === 'subscriptions'
              ? await importSubscriptions(db(), read.rows, options)
              : await recordUsage(db(), read.rows, { rowLabel: read.rowLabel, source: 'import:fuzz' });
        if (outcome.code === 'invalid_rows') {
          expect(outcome.problems.length).toBeGreaterThan(0);
          for (const problem of outcome.problems) expect(problem.message).not.toBe('');
          expect(await snapshot()).toEqual(before);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Slack interaction payloads under random input', () => {
  const send = (payload: unknown) => {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return fetch(`${test.app.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...slackSignatureHeaders(
          test.app.deps.config.slack.signingSecret,
          body,
          Math.floor(Date.now() / 1000),
        ),
      },
      body,
    });
  };

  it('acts on no button whose value or place is not one billops wrote', async () => {
    const invoices = await db().selectFrom('invoices').select(['id', 'version', 'run_id']).execute();
    const ids = fc.constantFrom(
      ...invoices.map((invoice) => invoice.id),
      ...invoices.map((invoice) => invoice.run_id ?? ''),
    );
    const value = fc.oneof(
      nasty,
      ids,
      fc.record({ invoiceId: ids, version: fc.oneof(fc.integer(), nasty) }).map((v) => JSON.stringify(v)),
      fc.record({ runId: ids, page: fc.integer() }).map((v) => JSON.stringify(v)),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc.string({ minLength: 2001, maxLength: 2100 }),
    );
    const actionId = fc.constantFrom(
      APPROVE_INVOICE,
      REJECT_INVOICE,
      INVOICE_DETAILS,
      REVIEW_RUN,
      REVIEW_PAGE,
      APPROVE_ALL_WITHIN_POLICY,
      EXPORT_RUN_CSV,
      RETRY_DELIVERY,
      RETRY_ERP_SYNC,
      MARK_DELIVERY_SENT,
      RECONNECT_ERP,
      RETRY_JOB,
    );
    // Real channels, made-up messages; modals and Home with made-up metadata.
    const container = fc.oneof(
      fc.record({
        type: fc.constant('message'),
        channel_id: fc.constantFrom(APPROVALS, 'C0BILLING', 'C0ALERTS', 'C0NOWHERE'),
        message_ts: fc.oneof(nasty, fc.constant('1700000000.000100')),
        is_ephemeral: fc.boolean(),
      }),
      fc.record({ type: fc.constant('view'), view_id: fc.constant('V0FUZZ') }),
    );
    const view = fc.record({
      id: fc.constant('V0FUZZ'),
      type: fc.constantFrom('modal', 'home'),
      callback_id: fc.constantFrom(REVIEW_MODAL, REJECT_MODAL, 'other'),
      private_metadata: value,
      hash: fc.constant('1.1'),
    });
    const click = fc.record({ actionId, value, container, view });
    await fc.assert(
      fc.asyncProperty(click, async (input) => {
        const before = await snapshot();
        const response = await send({
          type: 'block_actions',
          user: { id: APPROVER, username: 'approver', team_id: 'T0LOCAL' },
          api_app_id: 'A0BILLOPS',
          team: { id: 'T0LOCAL', domain: 'local' },
          container: input.container,
          trigger_id: '1.2.fuzz',
          channel:
            input.container.type === 'message' ? { id: input.container.channel_id, name: 'x' } : undefined,
          ...(input.container.type === 'view' ? { view: input.view } : {}),
          response_url: `${test.app.url}/nowhere`,
          actions: [
            {
              action_id: input.actionId,
              block_id: 'b',
              type: 'button',
              value: input.value,
              action_ts: '1.1',
            },
          ],
        });
        expect(response.status).toBeLessThan(500);
        expect(await response.text()).not.toMatch(STACK_TRACE);
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it('rejects nothing from a Reject form whose metadata billops did not write', async () => {
    const submission = fc.record({
      metadata: fc.oneof(
        nasty,
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        fc.string({ minLength: 3001, maxLength: 3100 }),
      ),
      reason: fc.oneof(nasty, fc.string({ minLength: 1001, maxLength: 1100 })),
    });
    await fc.assert(
      fc.asyncProperty(submission, async (input) => {
        const before = await snapshot();
        const response = await send({
          type: 'view_submission',
          user: { id: APPROVER, username: 'approver', team_id: 'T0LOCAL' },
          api_app_id: 'A0BILLOPS',
          team: { id: 'T0LOCAL', domain: 'local' },
          trigger_id: '1.2.fuzz',
          view: {
            id: 'V0FUZZ',
            type: 'modal',
            callback_id: REJECT_MODAL,
            private_metadata: input.metadata,
            hash: '1.1',
            state: {
              values: {
                [REJECT_REASON_BLOCK]: {
                  [REJECT_REASON_INPUT]: { type: 'plain_text_input', value: input.reason },
                },
              },
            },
          },
        });
        expect(response.status).toBeLessThan(500);
        expect(await response.text()).not.toMatch(STACK_TRACE);
        expect(await snapshot()).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });
});
