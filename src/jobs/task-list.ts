import type { TaskList } from 'graphile-worker';
import type { Deps } from '../deps.ts';
import type { JobName } from './job-payloads.ts';
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

/** Every task the worker runs, by job name; one module per task. */
export function buildTaskList(deps: Deps): Record<JobName, TaskList[string]> {
  return {
    verify_audit_log: verifyAuditLogTask(deps),
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
  };
}

/** Recurring jobs (graphile-worker crontab, UTC). */
export const CRONTAB = ['0 3 * * * verify_audit_log ?max=1', '*/5 * * * * sweep_side_effects ?max=1'].join(
  '\n',
);
