import type { TaskList } from 'graphile-worker';
import type { Deps } from '../ports/deps.ts';
import { AUDIT_ANCHOR_QUEUE } from '../queue/enqueue-job.ts';
import type { JobName } from '../queue/job-payloads.ts';
import { draftOneOffInvoiceTask } from './draft-one-off-invoice-task.ts';
import { draftHubSpotDealTask } from './draft-hubspot-deal-task.ts';
import { finalizeInvoiceTask } from './finalize-invoice-task.ts';
import { publishInvoicePdfTask } from './publish-invoice-pdf-task.ts';
import { sendInvoiceEmailTask } from './send-invoice-email-task.ts';
import { sweepSideEffectsTask } from './sweep-side-effects-task.ts';
import { syncInvoicesToErpTask } from './sync-invoices-to-erp-task.ts';
import { postRunMessagesTask } from './post-run-messages-task.ts';
import { refreshRunSummaryTask } from './refresh-run-summary-task.ts';
import { startBillingRunTask } from './start-billing-run-task.ts';
import { startScheduledRunTask } from './start-scheduled-run-task.ts';
import { updateInvoiceCardTask } from './update-invoice-card-task.ts';
import { verifyAuditLogTask } from './verify-audit-log-task.ts';
import { anchorAuditLogTask } from './anchor-audit-log-task.ts';
import { handleErpEventsTask } from './handle-erp-events-task.ts';
import { postPaymentNewsTask } from './post-payment-news-task.ts';
import { pullErpPaymentsTask } from './pull-erp-payments-task.ts';
import { markOverdueTask } from './mark-overdue-task.ts';
import { postRemindersNotSentTask, sendDueRemindersTask } from './send-due-reminders-task.ts';
import { postCreditNoteNewsTask, postVoidNewsTask, voidInvoiceInErpTask } from './correction-tasks.ts';
import { publishCreditNotePdfTask, syncCreditNoteToErpTask } from './credit-note-tasks.ts';

/** Every task the worker runs, by job name; one module per task. */
export function buildTaskList(deps: Deps): Record<JobName, TaskList[string]> {
  return {
    verify_audit_log: verifyAuditLogTask(deps),
    anchor_audit_log: anchorAuditLogTask(deps),
    post_run_messages: postRunMessagesTask(deps),
    refresh_run_summary: refreshRunSummaryTask(deps),
    update_invoice_card: updateInvoiceCardTask(deps),
    start_billing_run: startBillingRunTask(deps),
    start_scheduled_run: startScheduledRunTask(deps),
    draft_one_off_invoice: draftOneOffInvoiceTask(deps),
    finalize_invoice: finalizeInvoiceTask(deps),
    publish_invoice_pdf: publishInvoicePdfTask(deps),
    send_invoice_email: sendInvoiceEmailTask(deps),
    sweep_side_effects: sweepSideEffectsTask(deps),
    sync_invoices_to_erp: syncInvoicesToErpTask(deps),
    draft_hubspot_deal: draftHubSpotDealTask(deps),
    post_payment_news: postPaymentNewsTask(deps),
    pull_erp_payments: pullErpPaymentsTask(deps),
    handle_erp_events: handleErpEventsTask(deps),
    send_due_reminders: sendDueRemindersTask(deps),
    post_reminders_not_sent: postRemindersNotSentTask(deps),
    mark_overdue: markOverdueTask(deps),
    void_invoice_in_erp: voidInvoiceInErpTask(deps),
    post_void_news: postVoidNewsTask(deps),
    post_credit_note_news: postCreditNoteNewsTask(deps),
    publish_credit_note_pdf: publishCreditNotePdfTask(deps),
    sync_credit_note_to_erp: syncCreditNoteToErpTask(deps),
  };
}

/** Recurring jobs (graphile-worker crontab, UTC). */
export const CRONTAB = [
  '0 3 * * * verify_audit_log ?max=1',
  // The audit chain's head, anchored outside the database daily (and at every run's end); one at a time.
  `30 3 * * * anchor_audit_log ?max=1&queue=${AUDIT_ANCHOR_QUEUE} {"reason":"daily"}`,
  '*/5 * * * * sweep_side_effects ?max=1',
  // Payments made in the ERP, hourly (Xero's webhook brings them sooner); one pull at a time.
  '17 * * * * pull_erp_payments ?max=1&queue=erp-payments',
  // Payment reminders, checked every 15 minutes so each goes out close to its local send time.
  '*/15 * * * * send_due_reminders ?max=1',
  // Overdue marking runs hourly (each customer's day ends at a different UTC hour); the digest is daily.
  '5 * * * * mark_overdue ?max=1',
].join('\n');
