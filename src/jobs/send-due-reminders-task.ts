import type { Deps } from '../ports/deps.ts';
import { sendDueReminders } from '../reminders/send-due-reminders.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Every 15 minutes: queues the payment reminders whose time has come (each sent by send_invoice_email). */
export function sendDueRemindersTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('send_due_reminders', payload);
    const queued = await sendDueReminders(deps);
    if (queued.length > 0) deps.logger.info({ count: queued.length }, 'Payment reminders queued');
  };
}
