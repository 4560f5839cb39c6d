import { parseArgs } from 'node:util';
import { describeReminderDay } from '../src/calendar/reminder-schedule.ts';
import { markOverdueInvoices } from '../src/overdue/mark-overdue-invoices.ts';
import { enqueueJob } from '../src/queue/enqueue-job.ts';
import { noteUnsendableReminders } from '../src/reminders/note-unsendable-reminders.ts';
import { sendDueReminders } from '../src/reminders/send-due-reminders.ts';
import { CliFailure, openCliContext, runCli, usageError, type CliContext } from './cli-context.ts';

const USAGE = `Usage: npm run reminders -- --now
  --now   do now what the app's schedules do every 15 minutes (payment reminders) and every hour
          (overdue): queue each invoice's reminder step that is due, mark the steps whose time came
          before their invoice was finalized as not sent (said in its thread), mark invoices past due
          overdue, and queue the overdue escalation and daily digest. The running app (npm start)
          sends the emails and posts in Slack.`;
const HELP = 'npm run reminders -- --help';

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: false,
    options: {
      now: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error), HELP);
}
if (parsed.values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!parsed.values.now) usageError('--now is required', HELP);

const say = (line: string) => process.stdout.write(`${line}\n`);
const oneLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim();

/** Runs one step; a failure is one line on stderr and the others still run. */
async function step(name: string, failures: string[], body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const line = `${name} failed: ${oneLine(error)}`;
    failures.push(line);
    process.stderr.write(`${line}\n`);
  }
}

async function runNow(context: CliContext): Promise<void> {
  const failures: string[] = [];
  let outcomes = 0;
  await step('Reminders', failures, async () => {
    for (const queued of await sendDueReminders(context)) {
      outcomes += 1;
      say(
        `Reminder queued: ${queued.number ?? queued.invoiceId} (${describeReminderDay(queued.days)}) to ${queued.recipients.join(', ')}`,
      );
    }
    for (const noted of await noteUnsendableReminders(context)) {
      for (const days of noted.days) {
        outcomes += 1;
        say(
          `Reminder not sent: ${noted.number ?? noted.invoiceId} ${describeReminderDay(days)}: its time came before the invoice was finalized (said in its thread)`,
        );
      }
    }
  });
  await step('Overdue marking', failures, async () => {
    for (const marked of await markOverdueInvoices(context)) {
      outcomes += 1;
      say(
        `Marked overdue: ${marked.number ?? marked.invoiceId} (was ${marked.previousStatus.replace('_', ' ')})`,
      );
    }
  });
  await step('Overdue escalation', failures, async () => {
    // NOTE: escalation and the digest post in Slack, which only the app's worker can reach.
    await context.db.transaction().execute((trx) => enqueueJob(trx, 'mark_overdue', {}));
    const { escalateAfterDays, digestAt } = context.billing.overdue;
    say(
      `Queued for the app: invoices overdue more than ${escalateAfterDays} days raised in the alerts channel (each once), and the daily digest (from ${digestAt}, once a day)`,
    );
  });
  if (outcomes === 0 && failures.length === 0) {
    say('Nothing else due now: no reminder step has come, and no invoice has become overdue.');
  }
  if (failures.length > 0) {
    throw new CliFailure(`${failures.length} of 3 steps failed; the others ran. Fix that and run it again.`);
  }
}

await runCli('npm run reminders', async () => {
  const context = await openCliContext();
  try {
    await runNow(context);
  } finally {
    await context.close();
  }
});
