import { actions, button, context, section, type SlackMessage } from './block-elements.ts';
import { RETRY_JOB } from './ids.ts';
import { escapeOutsideTextCut } from './slack-text.ts';

// What each background job does, in words for the alerts channel.
const WHAT: Record<string, string> = {
  start_billing_run: 'Starting a billing run',
  start_scheduled_run: 'Starting a scheduled billing run',
  draft_one_off_invoice: 'Drafting an invoice for an order',
  post_run_messages: "Posting a run's summary and approval cards",
  refresh_run_summary: "Updating a run's summary",
  update_invoice_card: "Updating an invoice's approval card",
  finalize_invoice: 'Finalizing an approved invoice',
  publish_invoice_pdf: "Rendering and posting an invoice's PDF",
  send_invoice_email: 'Emailing an invoice',
  sync_invoices_to_erp: 'Posting invoices to the ERP',
  draft_hubspot_deal: "Reading a closed HubSpot deal's line items",
  sweep_side_effects: 'Checking for stuck emails',
  verify_audit_log: 'Verifying the audit log',
  post_payment_news: "Posting a payment in its invoice's thread",
  pull_erp_payments: 'Reading payments from the ERP',
  handle_erp_events: 'Reading payments from the ERP after its webhook',
  send_due_reminders: 'Queueing payment reminders',
  mark_overdue: 'Marking overdue invoices and posting the overdue digest',
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

export interface OrderNotDraftedView {
  jobId: string;
  /** 'Shopify order #1001'. */
  orderLabel: string;
  /** 'shopify:order:450789469'. */
  origin: string;
  /** Why, from drafting: names the customer id or email the order carries. */
  problem: string;
}

/** An order whose customer billops cannot tell: what to fix, and Retry once fixed (the order is kept). */
export function buildOrderNotDraftedAlert(view: OrderNotDraftedView): SlackMessage {
  const order = escapeOutsideTextCut(view.orderLabel, 200);
  return {
    text: `${view.orderLabel} was not invoiced: ${view.problem}`,
    blocks: [
      section(`📦 *${order}* was not invoiced: ${escapeOutsideTextCut(view.problem, 1500)}.`),
      context(
        `${escapeOutsideTextCut(view.origin, 200)} · Fix the customer, then press Retry; no need to resend the webhook. Nothing is lost: the order is kept and is also tried again by itself now and then.`,
      ),
      actions([button({ actionId: RETRY_JOB, text: 'Retry', value: view.jobId, style: 'primary' })]),
    ],
  };
}
