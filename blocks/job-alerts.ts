import { actions, button, context, section, type SlackMessage } from './block-elements.ts';
import { RETRY_JOB } from './ids.ts';
import { escapeOutsideTextCut } from './slack-text.ts';

// What each background job does, in words for the alerts channel.
const WHAT: Record<string, string> = {
  start_billing_run: 'Starting a billing run',
  post_run_messages: "Posting a run's summary and approval cards",
  refresh_run_summary: "Updating a run's summary",
  update_invoice_card: "Updating an invoice's approval card",
  finalize_invoice: 'Finalizing an approved invoice',
  publish_invoice_pdf: "Rendering and posting an invoice's PDF",
  send_invoice_email: 'Emailing an invoice',
  sync_invoices_to_erp: 'Posting invoices to the ERP',
  sweep_side_effects: 'Checking for stuck emails',
  verify_audit_log: 'Verifying the audit log',
};

export interface JobGaveUpView {
  jobId: string;
  task: string;
  attempts: number;
  error: string;
}

/** A job that used all its attempts: what it was doing, why it failed, and Retry once fixed. */
export function buildJobGaveUpAlert(view: JobGaveUpView): SlackMessage {
  const what = WHAT[view.task] ?? view.task;
  return {
    text: `${what} failed after ${view.attempts} attempts`,
    blocks: [
      section(
        `❌ *${escapeOutsideTextCut(what, 200)}* failed after ${view.attempts} attempt${view.attempts === 1 ? '' : 's'}.`,
      ),
      context(
        `${escapeOutsideTextCut(view.error, 1000)} · Nothing is lost: the job is kept and can run again once the cause is fixed.`,
      ),
      actions([button({ actionId: RETRY_JOB, text: 'Retry', value: view.jobId, style: 'primary' })]),
    ],
  };
}
