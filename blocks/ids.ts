// Every action_id, callback_id and block_id the app uses, bound in one place (STYLE rule 2).
export const SLASH_COMMAND = '/invoice';

// Approval card
export const APPROVE_INVOICE = 'approve_invoice';
export const REJECT_INVOICE = 'reject_invoice';
export const INVOICE_DETAILS = 'invoice_details';

// Run summary
export const REVIEW_RUN = 'review_run';
export const APPROVE_ALL_WITHIN_POLICY = 'approve_all_within_policy';
export const EXPORT_RUN_CSV = 'export_run_csv';

// Review modal (paged)
export const REVIEW_MODAL = 'review_modal';
export const REVIEW_PAGE = 'review_page';

// Reject modal
export const REJECT_MODAL = 'reject_modal';
export const REJECT_REASON_BLOCK = 'reject_reason';
export const REJECT_REASON_INPUT = 'reject_reason_input';

// Details modal
export const DETAILS_MODAL = 'details_modal';

/** What an approve / reject / details button carries: the invoice and the version the card shows. */
export interface InvoiceButtonValue {
  invoiceId: string;
  version: number;
}

/** What a review-page button carries. */
export interface ReviewPageValue {
  runId: string;
  page: number;
}

// Delivery failure notices (invoice thread and alerts channel)
export const RETRY_DELIVERY = 'retry_delivery';
export const MARK_DELIVERY_SENT = 'mark_delivery_sent';

// ERP sync failure notices
export const RETRY_ERP_SYNC = 'retry_erp_sync';
// ERP connection: a Reconnect button in an alert (value: the provider) and the consent link button
export const RECONNECT_ERP = 'reconnect_erp';
export const OPEN_ERP_CONSENT = 'open_erp_consent';

// A background job that gave up (alerts channel)
export const RETRY_JOB = 'retry_job';
