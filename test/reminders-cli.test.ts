import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../src/calendar/calendar-date.ts';
import { insertApprovedInvoice, insertCustomer } from './support/billing-factories.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

// npm run reminders -- --now as someone trying reminders and overdue handling runs it: the real script
// on a real database, at the real time, with billing.example.yml's steps (3 days before, on the day,
// 1 and 7 days after, at 09:00) and its overdue settings.

const ROOT = path.resolve(import.meta.dirname, '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

async function reminders(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, ['scripts/reminders.ts', ...args], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: database.url,
        BILLING_CONFIG: 'billing.example.yml',
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A finalized 120.00 GBP invoice of a London customer. */
async function finalizedInvoice(customer: string, number: string, dueDate: string, finalizedAt: Date) {
  const customerId = await insertCustomer(database.db, {
    external_id: customer,
    email_to: [`ap@${customer}.example`],
  });
  await database.db
    .updateTable('customers')
    .set({ timezone: 'Europe/London' })
    .where('id', '=', customerId)
    .execute();
  const invoiceId = await insertApprovedInvoice(database.db, {
    customerId,
    taxRate: 20,
    taxCode: 'OUTPUT2',
    itemCode: null,
    accountCode: '200',
  });
  await database.db
    .updateTable('invoices')
    .set({
      status: 'finalized',
      number,
      series: 'INV',
      finalized_at: finalizedAt,
      issue_date: finalizedAt.toISOString().slice(0, 10),
      due_date: dueDate,
    })
    .where('id', '=', invoiceId)
    .execute();
  return invoiceId;
}

describe('npm run reminders -- --now', () => {
  it('asks for --now, and says what it does', async () => {
    const bare = await reminders([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe('--now is required (npm run reminders -- --help shows the usage)\n');
    const help = await reminders(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm run reminders -- --now');
  });

  it('queues the reminder due, notes a step that came before finalization, marks the overdue, each once', async () => {
    const today = todayIn('Europe/London', new Date());
    const late = await finalizedInvoice(
      'late',
      'INV-2026-00101',
      addDays(today, -1),
      new Date('2026-01-05T10:00:00Z'),
    );
    // Two days' terms, finalized just now: the step 3 days before the due date was yesterday.
    await finalizedInvoice('short', 'INV-2026-00102', addDays(today, 2), new Date());

    const first = await reminders(['--now']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^Reminder queued: INV-2026-00101 \((on the due date|1 day after the due date)\) to ap@late\.example$/,
      ),
      'Reminder not sent: INV-2026-00102 3 days before the due date: its time came before the invoice was finalized (said in its thread)',
      'Marked overdue: INV-2026-00101 (was finalized)',
      'Queued for the app: invoices overdue more than 30 days raised in the alerts channel (each once), and the daily digest (from 09:00, once a day)',
    ]);
    const invoice = await database.db
      .selectFrom('invoices')
      .select('status')
      .where('id', '=', late)
      .executeTakeFirstOrThrow();
    expect(invoice.status).toBe('overdue');
    const jobs = await sql<{ task_identifier: string }>`
      select task_identifier from graphile_worker.jobs order by id`.execute(database.db);
    // The worker of the running app sends the email, posts the note, escalates and digests.
    expect(jobs.rows.map((row) => row.task_identifier)).toEqual(
      expect.arrayContaining(['send_invoice_email', 'post_reminders_not_sent', 'mark_overdue']),
    );

    const second = await reminders(['--now']);
    expect(second.code).toBe(0);
    expect(second.stdout.trim().split('\n')).toEqual([
      expect.stringContaining('Queued for the app:'),
      'Nothing else due now: no reminder step has come, and no invoice has become overdue.',
    ]);
  });
});
