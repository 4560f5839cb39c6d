import type { Deps } from '../ports/deps.ts';
import { noteUnsendableReminders } from '../reminders/note-unsendable-reminders.ts';
import { sendDueReminders } from '../reminders/send-due-reminders.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';
import { postRemindersNotSent } from '../slack/post-invoice-news.ts';

/**
 * Every 15 minutes: queues the payment reminders whose time has come (each sent by send_invoice_email),
 * and marks the steps that came before their invoice was finalized as never to be sent (noted in the thread).
 */
export function sendDueRemindersTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('send_due_reminders', payload);
    const queued = await sendDueReminders(deps);
    if (queued.length > 0) deps.logger.info({ count: queued.length }, 'Payment reminders queued');
    const unsendable = await noteUnsendableReminders(deps);
    if (unsendable.length > 0) {
      deps.logger.info({ count: unsendable.length }, 'Reminder steps before finalization marked not sent');
    }
  };
}

/** Posts, in an invoice's thread, the reminder steps that will not be sent. */
export function postRemindersNotSentTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { invoiceId, days } = parseJobPayload('post_reminders_not_sent', payload);
    await postRemindersNotSent(deps, invoiceId, days);
  };
}
