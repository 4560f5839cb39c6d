import type { Db } from '../db/database.ts';

// OWASP Transaction Authorization Cheat Sheet: what you see is what you approve, and the server decides
// from its own state. A button's value is only a claim; it is honoured only when the surface Slack says
// it was clicked on is the one billops put that button on.
// https://cheatsheetseries.owasp.org/cheatsheets/Transaction_Authorization_Cheat_Sheet.html

/** Where a clicked button was, as Slack's block_actions payload says (`container`, `view`). */
export type ButtonSurface =
  | { kind: 'message'; channel: string; ts: string; threadTs: string | undefined }
  | { kind: 'review_modal'; runId: string }
  | { kind: 'home' }
  /** An ephemeral message, or a modal billops puts no such button on. */
  | { kind: 'other' };

/**
 * Approve, Reject and Details: on the invoice's own card (the channel and ts stored when it was posted),
 * on a review page of the invoice's run, or on App Home while the invoice waits for approval (all Home lists).
 */
export async function invoiceButtonIsOn(db: Db, invoiceId: string, surface: ButtonSurface): Promise<boolean> {
  if (surface.kind === 'other') return false;
  const invoice = await db
    .selectFrom('invoices')
    .select(['run_id', 'status', 'slack_channel_id', 'slack_card_ts'])
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice === undefined) return false;
  switch (surface.kind) {
    case 'message':
      return invoice.slack_channel_id === surface.channel && invoice.slack_card_ts === surface.ts;
    case 'review_modal':
      return invoice.run_id === surface.runId;
    case 'home':
      return invoice.status === 'pending_approval';
  }
}

/** Review, Approve all within policy and Export: on the run's own summary message only. */
export async function runButtonIsOn(db: Db, runId: string, surface: ButtonSurface): Promise<boolean> {
  if (surface.kind !== 'message') return false;
  const run = await db
    .selectFrom('billing_runs')
    .select(['slack_channel_id', 'slack_summary_ts'])
    .where('id', '=', runId)
    .executeTakeFirst();
  return run !== undefined && run.slack_channel_id === surface.channel && run.slack_summary_ts === surface.ts;
}

/** Previous / Next: inside the review modal of the same run. */
export function reviewPageButtonIsOn(runId: string, surface: ButtonSurface): boolean {
  return surface.kind === 'review_modal' && surface.runId === runId;
}

/**
 * Retry and Mark as sent on an email, Retry on an ERP posting: in the invoice's thread, or at the top of
 * the alerts channel, the two places its failure notice is posted.
 */
export async function invoiceNoticeButtonIsOn(
  db: Db,
  alertsChannel: string,
  notice: { table: 'deliveries' | 'erp_syncs'; id: string },
  surface: ButtonSurface,
): Promise<boolean> {
  if (surface.kind !== 'message') return false;
  if (isTopOfAlerts(alertsChannel, surface)) return true;
  const invoice = await db
    .selectFrom(notice.table)
    .innerJoin('invoices', 'invoices.id', `${notice.table}.invoice_id`)
    .select(['invoices.slack_channel_id', 'invoices.slack_thread_ts'])
    .where(`${notice.table}.id`, '=', notice.id)
    .executeTakeFirst();
  return (
    invoice !== undefined &&
    invoice.slack_channel_id === surface.channel &&
    invoice.slack_thread_ts !== null &&
    invoice.slack_thread_ts === surface.threadTs
  );
}

/** Retry on a job that gave up, Reconnect on an ERP connection: alerts-channel notices only. */
export function alertButtonIsOn(alertsChannel: string, surface: ButtonSurface): boolean {
  return surface.kind === 'message' && isTopOfAlerts(alertsChannel, surface);
}

function isTopOfAlerts(alertsChannel: string, surface: Extract<ButtonSurface, { kind: 'message' }>): boolean {
  return (
    surface.channel === alertsChannel && (surface.threadTs === undefined || surface.threadTs === surface.ts)
  );
}
