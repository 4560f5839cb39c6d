import type { AmountFacts } from './amount-line.ts';
import type { LineWorking } from '../src/pricing/types.ts';

// Plain data the Block Kit builders render. Amounts are fixed-point strings in the row's currency;
// builders format them (src/money/format-money.ts) and escape every text that came from outside.

export interface ReasonView {
  code: string;
  text: string;
}

export interface CurrencyTotalView {
  currency: string;
  invoices: number;
  total: string;
}

export interface RunSummaryView {
  runId: string;
  /** "October 2026" or "2026-10-01 – 2026-10-14". */
  periodLabel: string;
  scope: string;
  /** A Slack user id (U…) or a system actor such as `schedule:monthly`. */
  startedBy: string;
  status: 'drafting' | 'awaiting_approval' | 'completed' | 'failed';
  totals: CurrencyTotalView[];
  counts: {
    drafted: number;
    autoApproved: number;
    needsReview: number;
    exceptions: number;
    approved: number;
    rejected: number;
    nothingToBill: number;
    alreadyInvoiced: number;
  };
  /** Held invoices that got no card of their own (over the per-run card limit): reached through Review. */
  withoutCards: number;
  updatedAt: Date;
}

export interface CardLineView {
  description: string;
  quantity: string;
  amount: string;
}

export interface ApprovalCardView extends AmountFacts {
  invoiceId: string;
  /** The invoice version the card shows; buttons carry it so a changed invoice cannot be approved. */
  version: number;
  customerName: string;
  customerExternalId: string;
  dueDate: string;
  periodLabel: string;
  /** All lines; the card shows the largest five and says how many more. */
  lines: CardLineView[];
  /** Why it waits for a person. */
  reasons: ReasonView[];
  /** What blocks approval until fixed; with any, the card has no Approve button. */
  exceptions: ReasonView[];
  /** Against the customer's last invoice; null for a first invoice. */
  change: { previousTotal: string; percent: string } | null;
  approvalsRequired: 1 | 2;
  /** Approvals recorded so far (the first of two). */
  approvals: { userId: string; at: Date }[];
}

/** What became of an approved invoice, for the card's status line. */
export interface AfterApproval {
  number: string | null;
  /** The email's state, once there is one. */
  email: 'queued' | 'sending' | 'sent' | 'failed' | 'uncertain' | null;
  /** Its posting to the ERP, once queued. */
  erp: { provider: 'xero' | 'quickbooks'; state: ErpPostingState } | null;
  /** Money received and credited so far, fixed-point in the invoice's currency ("0.00" for none). */
  paid: string;
  credited: string;
  /** What is still owed (total − paid − credited, never below zero). */
  outstanding: string;
  /** Past its due date and still owed. */
  overdue: boolean;
  /** Voided after it was issued (/invoice void). */
  voided: boolean;
}

export type ErpPostingState = 'pending' | 'in_flight' | 'synced' | 'failed' | 'uncertain' | 'skipped';

export type CardOutcome =
  | { decision: 'approved'; userIds: string[]; at: Date; after?: AfterApproval }
  | { decision: 'rejected'; userId: string; at: Date; reason: string };

export interface DetailsLineView {
  description: string;
  quantity: string;
  unitAmount: string;
  amount: string;
  discountAmount: string;
  taxAmount: string;
  working: LineWorking;
}

export interface InvoiceDetailsView {
  invoiceId: string;
  customerName: string;
  currency: string;
  periodLabel: string;
  subtotal: string;
  discount: string;
  tax: string;
  total: string;
  notes: string[];
  lines: DetailsLineView[];
}

export interface HeldInvoiceRow {
  invoiceId: string;
  version: number;
  customerName: string;
  currency: string;
  total: string;
  reasons: ReasonView[];
  blocked: boolean;
}

export interface ReviewPageView {
  runId: string;
  periodLabel: string;
  /** 0-based. */
  page: number;
  pageCount: number;
  totalHeld: number;
  invoices: HeldInvoiceRow[];
}

export interface AppHomeView {
  userId: string;
  isApprover: boolean;
  pending: HeldInvoiceRow[];
  pendingCount: number;
  runs: {
    runId: string;
    periodLabel: string;
    status: string;
    needsReview: number;
    channelId: string | null;
    ts: string | null;
  }[];
  failures: { text: string; at: Date }[];
  monthTotals: { monthLabel: string; totals: CurrencyTotalView[] };
}

export interface RunStatusView {
  summary: RunSummaryView;
  /** Link to the summary message, when it was posted. */
  permalink: string | null;
}

export interface InvoiceShowView {
  invoiceId: string;
  number: string | null;
  status: string;
  customerName: string;
  currency: string;
  total: string;
  dueDate: string | null;
  periodLabel: string;
  reasons: ReasonView[];
  exceptions: ReasonView[];
  history: { what: string; userId: string | null; at: Date; reason: string | null }[];
  /** What was paid and credited against it, once it is finalized; null before (nothing can be). */
  balance: InvoiceBalanceView | null;
}

/** An invoice's money after it was issued: fixed-point strings in the invoice's currency. */
export interface InvoiceBalanceView {
  /** Everything received ("0.00" for none): the sum of `payments`. */
  paid: string;
  /** Everything credited ("0.00" for none): the sum of `creditNotes`. */
  credited: string;
  /** What is still owed: total − paid − credited, never below zero. */
  outstanding: string;
  /** Paid and credited beyond the total (a credit note on a paid invoice): owed back to the customer. */
  refundDue: string;
  /** Oldest first. */
  payments: PaymentLineView[];
  /** Oldest first. */
  creditNotes: CreditNoteLineView[];
}

export interface PaymentLineView {
  /** YYYY-MM-DD: the day the money arrived. */
  paidOn: string;
  amount: string;
  /** Recorded by hand with `/invoice paid`, or pulled from the ERP. */
  source: 'manual' | 'xero' | 'quickbooks';
  /** The Slack user who recorded it by hand; `system:xero` for the ERP's. */
  recordedBy: string;
  /** The ERP's payment id: its own, or that of the ERP payment found to be this one recorded by hand. */
  reference: string | null;
  /** For a payment recorded by hand: the ERP that reported the same money (counted once). */
  matchedSource: 'xero' | 'quickbooks' | null;
}

export interface CreditNoteLineView {
  number: string;
  /** YYYY-MM-DD. */
  issueDate: string;
  /** Tax included. */
  amount: string;
  reason: string;
}
