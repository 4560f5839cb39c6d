import { z } from 'zod';
import { scheduledRunSchema } from './scheduled-run.ts';
import { oneOffOrderSchema } from './one-off-order.ts';

/** Every job's payload schema; a task parses its payload with it before acting. */
export const jobPayloadSchemas = {
  verify_audit_log: z.object({}).loose(),
  /** At every run's end (its runId) and daily: the audit chain's head goes to the anchor file and the alerts channel. */
  anchor_audit_log: z
    .object({ reason: z.enum(['run_end', 'daily']).default('daily'), runId: z.uuid().optional() })
    .loose(),
  post_run_messages: z.object({ runId: z.uuid() }),
  refresh_run_summary: z.object({ runId: z.uuid() }),
  update_invoice_card: z.object({ invoiceId: z.uuid() }),
  finalize_invoice: z.object({ invoiceId: z.uuid() }),
  publish_invoice_pdf: z.object({ invoiceId: z.uuid() }),
  send_invoice_email: z.object({ deliveryId: z.uuid() }),
  sweep_side_effects: z.object({}).loose(),
  // NOTE: a batch job: graphile-worker appends the payloads of syncs queued while it waits.
  sync_invoices_to_erp: z.array(z.object({ syncId: z.uuid() })).min(1),
  draft_hubspot_deal: z.object({ dealId: z.string().regex(/^\d+$/) }),
  start_billing_run: z.object({
    period: z.string(),
    customers: z.array(z.string()),
    dryRun: z.boolean(),
    /** A Slack user id for /invoice run; `webhook:<source>` for a webhook's run instruction. */
    userId: z.string(),
    channelId: z.string(),
    /** The slash command's response_url; absent for webhooks, whose outcome goes to channelId. */
    responseUrl: z.url().optional(),
  }),
  /** A webhook's order (Shopify orders/fulfilled, HubSpot closed-won), enqueued with its event id. */
  draft_one_off_invoice: oneOffOrderSchema,
  /** A schedule's firing (or catch-up), enqueued once per (schedule, period). */
  start_scheduled_run: scheduledRunSchema,
  /**
   * Tells the invoice's thread about a recorded payment, or (`matched`) that the ERP's payment was found
   * to be one recorded by hand (the payment row is the ledger of both).
   */
  post_payment_news: z.object({ paymentId: z.uuid(), matched: z.boolean().optional() }),
  /** Hourly: asks the ERP for payments on synced invoices still owed money, least recently asked first. */
  pull_erp_payments: z.object({}).loose(),
  /** ERP webhook events (Xero INVOICE) not yet acted on: their invoices' payments are pulled now. */
  handle_erp_events: z.object({}).loose(),
  /** Every 15 minutes: payment reminders now due get their delivery row and send job. */
  send_due_reminders: z.object({}).loose(),
  /** Tells an invoice's thread which reminder steps will not be sent (their cancelled delivery rows are the ledger). */
  post_reminders_not_sent: z.object({ invoiceId: z.uuid(), days: z.array(z.number().int()).min(1) }),
  /** Voids a voided invoice in the ERP that holds it (its erp_syncs row, void_state pending). */
  void_invoice_in_erp: z.object({ syncId: z.uuid() }),
  /** Tells a voided invoice's thread (invoices.void_slack_ts is the ledger). */
  post_void_news: z.object({ invoiceId: z.uuid() }),
  /** Tells a credit note's invoice thread (credit_notes.slack_message_ts is the ledger). */
  post_credit_note_news: z.object({ creditNoteId: z.uuid() }),
  /** Renders a credit note's PDF, stores its hash and posts it in the invoice's thread. */
  publish_credit_note_pdf: z.object({ creditNoteId: z.uuid() }),
  /** Posts a credit note to the ERP and allocates it to its invoice there (erp_credit_note_syncs is the ledger). */
  sync_credit_note_to_erp: z.object({ syncId: z.uuid() }),
  /** Hourly: invoices past due become overdue; the daily digest and escalations go to Slack. */
  mark_overdue: z.object({}).loose(),
} as const;

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayloads = { [Name in JobName]: z.infer<(typeof jobPayloadSchemas)[Name]> };

/** Parses a job payload; a bad one fails the job with a message naming the job and the field. */
export function parseJobPayload<Name extends JobName>(name: Name, payload: unknown): JobPayloads[Name] {
  const parsed = jobPayloadSchemas[name].safeParse(payload);
  if (!parsed.success) {
    throw new Error(`Job ${name} has a bad payload: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data as JobPayloads[Name];
}
