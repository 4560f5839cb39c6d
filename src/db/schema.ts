import type { ColumnType, Generated, Selectable } from 'kysely';

// Table types for Kysely, one interface per table in migrations/.
// `numeric` money arrives from pg as a string (turned into Decimal by money/); `date` as 'YYYY-MM-DD'.

/** A `numeric` column: read as an exact decimal string, written from a string. */
export type Numeric = string;
/** A `date` column, as 'YYYY-MM-DD' (see the date type parser in database.ts). */
export type DateString = string;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | T | undefined, string | T>;

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export type InvoiceStatus =
  | 'draft'
  | 'pending_approval'
  | 'approved'
  | 'rejected'
  | 'finalized'
  | 'partially_paid'
  | 'paid'
  | 'overdue'
  | 'void';
export type BillingRunTrigger = 'schedule' | 'webhook' | 'command' | 'api';
export type BillingRunStatus = 'drafting' | 'awaiting_approval' | 'completed' | 'failed';
export type ApprovalDecision = 'approved' | 'rejected' | 'auto_approved';
/** `cancelled`: a reminder that was not sent because its invoice was paid or voided first. */
export type DeliveryState = 'queued' | 'sending' | 'sent' | 'failed' | 'uncertain' | 'cancelled';
export type ErpProvider = 'xero' | 'quickbooks';
/** 'skipped': voided here before its sync ran, so never posted. */
export type ErpSyncState = 'pending' | 'in_flight' | 'synced' | 'failed' | 'uncertain' | 'skipped';

export interface CustomersTable {
  id: Generated<string>;
  external_id: string;
  name: string;
  email_to: ColumnType<string[], string[] | undefined, string[]>;
  email_cc: ColumnType<string[], string[] | undefined, string[]>;
  currency: string;
  payment_terms: string | null;
  tax_profile: string | null;
  tax_id: string | null;
  billing_address: Json<JsonObject>;
  timezone: Generated<string>;
  xero_contact_id: string | null;
  quickbooks_customer_id: string | null;
  hold_for_review: Generated<boolean>;
  /** No payment reminders for this customer. */
  reminders_opt_out: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SubscriptionsTable {
  id: Generated<string>;
  external_id: string | null;
  customer_id: string;
  plan_code: string;
  starts_on: DateString;
  ends_on: DateString | null;
  discount_percent: Numeric | null;
  discount_amount: Numeric | null;
  prorate: Generated<boolean>;
  created_at: CreatedAt;
}

export interface UsageRecordsTable {
  id: Generated<string>;
  event_id: string;
  customer_id: string;
  metric: string;
  quantity: Numeric;
  occurred_at: ColumnType<Date, Date | string, Date | string>;
  source: string;
  properties: Json<JsonObject>;
  received_at: CreatedAt;
}

export interface BillingRunsTable {
  id: Generated<string>;
  trigger: BillingRunTrigger;
  trigger_key: string;
  period_start: DateString;
  period_end: DateString;
  scope: Json<JsonObject>;
  status: Generated<BillingRunStatus>;
  started_by: string;
  slack_channel_id: string | null;
  slack_summary_ts: string | null;
  slack_summary_updated_at: Date | null;
  counts: Json<JsonObject>;
  totals: Json<JsonObject>;
  error: string | null;
  created_at: CreatedAt;
  completed_at: Date | null;
}

export interface InvoicesTable {
  id: Generated<string>;
  run_id: string | null;
  customer_id: string;
  status: Generated<InvoiceStatus>;
  currency: string;
  subtotal: Generated<Numeric>;
  discount_total: Generated<Numeric>;
  tax_total: Generated<Numeric>;
  total: Generated<Numeric>;
  amount_paid: Generated<Numeric>;
  /** The sum of its credit notes (tax included); what is owed is total − amount_paid − amount_credited. */
  amount_credited: Generated<Numeric>;
  period_start: DateString | null;
  period_end: DateString | null;
  issue_date: DateString | null;
  due_date: DateString | null;
  series: string | null;
  number: string | null;
  finalized_at: Date | null;
  review_reasons: Json<JsonValue[]>;
  approvals_required: Generated<number>;
  version: Generated<number>;
  slack_channel_id: string | null;
  slack_thread_ts: string | null;
  slack_card_ts: string | null;
  pdf_slack_file_id: string | null;
  pdf_sha256: string | null;
  void_reason: string | null;
  voided_at: Date | null;
  /** The void's post in the invoice thread (its ledger). */
  void_slack_ts: string | null;
  prices_include_tax: Generated<boolean>;
  exceptions: Json<JsonValue[]>;
  notes: Json<JsonValue[]>;
  /** The order a one-off invoice bills ('shopify:order:450789469'); null for recurring invoices. */
  origin: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface InvoiceLinesTable {
  id: Generated<string>;
  invoice_id: string;
  position: number;
  description: string;
  subscription_id: string | null;
  component_code: string | null;
  metric: string | null;
  period_start: DateString | null;
  period_end: DateString | null;
  quantity: Numeric;
  unit_amount: Numeric;
  amount: Numeric;
  discount_amount: Generated<Numeric>;
  tax_rate: Generated<Numeric>;
  tax_amount: Generated<Numeric>;
  gl_account_code: string | null;
  erp_item_code: string | null;
  tax_code: string | null;
  tracking: Json<JsonObject>;
  calculation: Json<JsonObject>;
}

export interface ApprovalsTable {
  id: Generated<string>;
  invoice_id: string;
  decision: ApprovalDecision;
  slack_user_id: string | null;
  reason: string | null;
  invoice_version: number;
  decided_at: CreatedAt;
}

export interface InvoiceNumberSeriesTable {
  series: string;
  year: number;
  next_value: ColumnType<string, string | number | undefined, string | number>;
}

export interface DeliveriesTable {
  id: Generated<string>;
  invoice_id: string;
  kind: Generated<'invoice' | 'reminder' | 'credit_note'>;
  dedupe_key: string;
  recipients: string[];
  cc: ColumnType<string[], string[] | undefined, string[]>;
  state: Generated<DeliveryState>;
  message_id: string;
  /** Set exactly for kind 'credit_note'. */
  credit_note_id: string | null;
  attempts: Generated<number>;
  smtp_response: string | null;
  error: string | null;
  last_attempt_at: Date | null;
  sent_at: Date | null;
  created_at: CreatedAt;
}

export interface ErpSyncsTable {
  id: Generated<string>;
  invoice_id: string;
  provider: ErpProvider;
  state: Generated<ErpSyncState>;
  idempotency_key: string;
  external_id: string | null;
  external_number: string | null;
  attachment_id: string | null;
  attempts: Generated<number>;
  error: Json<JsonObject> | null;
  last_attempt_at: Date | null;
  synced_at: Date | null;
  /** What the ERP holds for the invoice, as it answered when posted: compared with ours. */
  erp_total: Numeric | null;
  erp_total_tax: Numeric | null;
  /** When the payments pull last asked the ERP about this invoice. */
  payments_checked_at: Date | null;
  /** The ERP void of this invoice: null until the invoice is voided here. */
  void_state: ErpVoidState | null;
  void_error: Json<JsonObject> | null;
  voided_at: Date | null;
  created_at: CreatedAt;
}

export interface SlackChannelProblemsTable {
  channel: string;
  reason: string;
  first_seen_at: CreatedAt;
}

export type ErpVoidState = 'pending' | 'voided' | 'failed';

/** A credit note posted to the ERP once, then allocated to its invoice there once. */
export interface ErpCreditNoteSyncsTable {
  id: Generated<string>;
  credit_note_id: string;
  provider: ErpProvider;
  state: Generated<ErpSyncState>;
  idempotency_key: string;
  external_id: string | null;
  allocation_state: Generated<'pending' | 'allocated' | 'failed'>;
  allocated_amount: Numeric | null;
  attempts: Generated<number>;
  error: Json<JsonObject> | null;
  last_attempt_at: Date | null;
  synced_at: Date | null;
  created_at: CreatedAt;
}

export interface CreditNotesTable {
  id: Generated<string>;
  invoice_id: string;
  series: string;
  number: string;
  /** Tax included, in the invoice currency. */
  amount: Numeric;
  tax_amount: Numeric;
  currency: string;
  full_credit: boolean;
  reason: string;
  created_by: string;
  issue_date: DateString;
  issued_at: Date;
  pdf_sha256: string | null;
  /** Set once posted in the invoice's thread. */
  slack_message_ts: string | null;
  created_at: CreatedAt;
}

export interface ErpConnectionsTable {
  id: Generated<string>;
  provider: ErpProvider;
  tenant_id: string;
  tenant_name: string | null;
  access_token_encrypted: string;
  refresh_token_encrypted: string;
  access_token_expires_at: Date;
  status: Generated<'active' | 'needs_reconnect'>;
  connected_by: string | null;
  /** The newest connected tenant of a provider is the one invoices go to. */
  connected_at: Generated<Date>;
  /** Set when the ERP's daily call limit is used up: syncs wait until then. */
  paused_until: Date | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ErpEventsTable {
  id: Generated<string>;
  provider: ErpProvider;
  tenant_id: string;
  /** Xero's eventCategory: INVOICE, CONTACT, … */
  category: string;
  event_type: string;
  resource_id: string;
  resource_url: string | null;
  occurred_at: Date;
  received_at: CreatedAt;
  /** Set once the payments work has acted on it. */
  handled_at: Date | null;
}

export type PaymentSource = 'manual' | 'xero' | 'quickbooks';

export interface PaymentsTable {
  id: Generated<string>;
  invoice_id: string;
  /** In the invoice's currency, > 0, at most its minor units. */
  amount: Numeric;
  currency: string;
  paid_on: DateString;
  source: PaymentSource;
  /** The ERP's payment id; null for payments recorded by hand. */
  external_id: string | null;
  /** Slack user id, or `system:xero` / `system:quickbooks`. */
  recorded_by: string;
  /** The invoice's amount_paid once this payment was added. */
  amount_paid_after: Numeric;
  /** Set once the payment is posted in the invoice's thread. */
  slack_message_ts: string | null;
  /** For a payment recorded by hand: the ERP payment found to be the same money (counted once). */
  matched_source: Exclude<PaymentSource, 'manual'> | null;
  matched_external_id: string | null;
  matched_at: Date | null;
  /** Set once the match is told in the invoice's thread. */
  match_slack_ts: string | null;
  created_at: CreatedAt;
}

export interface ProcessedEventsTable {
  source: string;
  event_id: string;
  received_at: CreatedAt;
}

export interface AuditLogTable {
  seq: ColumnType<string, string, never>;
  at: ColumnType<Date, Date, never>;
  actor: ColumnType<string, string, never>;
  action: ColumnType<string, string, never>;
  subject_type: ColumnType<string, string, never>;
  subject_id: ColumnType<string, string, never>;
  details: ColumnType<JsonObject, string, never>;
  prev_hash: ColumnType<string, string, never>;
  hash: ColumnType<string, string, never>;
  /** 1: unkeyed SHA-256 (entries written before the chain was keyed); 2: HMAC-SHA256 with the audit key. */
  hash_version: ColumnType<1 | 2, 1 | 2 | undefined, never>;
}

export interface Database {
  customers: CustomersTable;
  subscriptions: SubscriptionsTable;
  usage_records: UsageRecordsTable;
  billing_runs: BillingRunsTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  approvals: ApprovalsTable;
  invoice_number_series: InvoiceNumberSeriesTable;
  deliveries: DeliveriesTable;
  erp_syncs: ErpSyncsTable;
  slack_channel_problems: SlackChannelProblemsTable;
  erp_connections: ErpConnectionsTable;
  processed_events: ProcessedEventsTable;
  erp_events: ErpEventsTable;
  payments: PaymentsTable;
  credit_notes: CreditNotesTable;
  erp_credit_note_syncs: ErpCreditNoteSyncsTable;
  audit_log: AuditLogTable;
}

export type AuditLogRow = Selectable<AuditLogTable>;
