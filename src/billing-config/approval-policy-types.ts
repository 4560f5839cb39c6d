import type { Decimal } from '../money/decimal.ts';

// The approval policy as billing.yml declares it (`approval:`), and what it decides for one invoice.

export interface ApprovalPolicy {
  /** `policy`: the rules below; `review_all`: every invoice waits for a person; `skip_review`: none does. */
  mode: 'policy' | 'review_all' | 'skip_review';
  /** Per currency: totals strictly below this are approved automatically (absent currency: always review). */
  autoApproveBelow: ReadonlyMap<string, Decimal>;
  /** Per currency: totals at or above this need two different approvers. */
  twoApproversFrom: ReadonlyMap<string, Decimal>;
  /** Hold a customer's first invoice for review. */
  reviewFirstInvoice: boolean;
  /** Hold when the total moves more than this percent against the customer's last invoice; null = never. */
  changeTolerancePercent: Decimal | null;
  /** Whoever started a run may approve its invoices. */
  starterMayApprove: boolean;
  approvers: { users: readonly string[]; usergroups: readonly string[] };
}

export type ReviewReasonCode =
  | 'review_all'
  | 'over_threshold'
  | 'no_threshold'
  | 'first_invoice'
  | 'total_changed'
  | 'customer_on_hold'
  | 'two_approvers';

export interface ReviewReason {
  code: ReviewReasonCode;
  /** One sentence for the card: "Total £12,400.00 is over the £5,000.00 auto-approval limit". */
  text: string;
}

export interface PolicyInput {
  currency: string;
  /** The draft's total, exact. */
  total: Decimal;
  /** Exception messages from drafting (billing-runs/billing-exception.ts) plus unmapped lines. */
  blocked: boolean;
  customerOnHold: boolean;
  /** The customer's last non-void invoice total in the same currency; null when this is the first. */
  previousTotal: Decimal | null;
}

export type PolicyDecision =
  | { outcome: 'blocked'; reasons: ReviewReason[]; approvalsRequired: 1 | 2 }
  | { outcome: 'auto_approve'; reasons: []; approvalsRequired: 0 }
  | { outcome: 'review'; reasons: ReviewReason[]; approvalsRequired: 1 | 2 };
