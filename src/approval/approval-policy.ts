import { Decimal } from '../money/decimal.ts';
import { formatMoney } from '../money/format-money.ts';
import type {
  ApprovalPolicy,
  PolicyDecision,
  PolicyInput,
  ReviewReason,
} from '../billing-config/approval-policy-types.ts';

type ReasonCheck = (policy: ApprovalPolicy, input: PolicyInput) => ReviewReason | undefined;

const HUNDRED = new Decimal(100);

/**
 * Decides whether one drafted invoice is approved automatically, waits for a person, or is blocked, and
 * says why in sentences for the approval card. Pure: the same policy and input give the same decision.
 */
export function decideApproval(policy: ApprovalPolicy, input: PolicyInput): PolicyDecision {
  const reasons = reviewReasons(policy, input);
  const approvalsRequired = reasons.some((reason) => reason.code === 'two_approvers') ? 2 : 1;
  // The card shows the review reasons next to the exceptions, so a fixed invoice holds no surprises.
  if (input.blocked) return { outcome: 'blocked', reasons, approvalsRequired };
  // NOTE: relies on drafting raising an exception for a negative total (so input.blocked): nothing below
  // stops a negative total under the limit from being approved automatically.
  if (policy.mode === 'skip_review' || reasons.length === 0) {
    return { outcome: 'auto_approve', reasons: [], approvalsRequired: 0 };
  }
  return { outcome: 'review', reasons, approvalsRequired };
}

/** Every reason that applies, in the order the card lists them; `skip_review` only counts approvers. */
function reviewReasons(policy: ApprovalPolicy, input: PolicyInput): ReviewReason[] {
  const checks: readonly ReasonCheck[] =
    policy.mode === 'skip_review'
      ? [twoApprovers]
      : [reviewAll, customerOnHold, firstInvoice, totalChanged, overThreshold, noThreshold, twoApprovers];
  return checks.flatMap((check) => check(policy, input) ?? []);
}

const reviewAll: ReasonCheck = (policy) =>
  policy.mode === 'review_all'
    ? { code: 'review_all', text: 'Policy: every invoice is reviewed' }
    : undefined;

// The input carries no customer name; the card's header already shows it.
const customerOnHold: ReasonCheck = (_policy, input) =>
  input.customerOnHold
    ? { code: 'customer_on_hold', text: 'The customer is marked hold for review' }
    : undefined;

const firstInvoice: ReasonCheck = (policy, input) =>
  policy.reviewFirstInvoice && input.previousTotal === null
    ? { code: 'first_invoice', text: 'First invoice to this customer' }
    : undefined;

const totalChanged: ReasonCheck = (policy, input) => {
  const tolerance = policy.changeTolerancePercent;
  const previous = input.previousTotal;
  if (tolerance === null || previous === null) return undefined;
  const change = input.total.minus(previous);
  // Multiplied out rather than divided: exact for any previous total, and a previous 0 makes any change count.
  if (!change.abs().times(HUNDRED).greaterThan(tolerance.times(previous.abs()))) return undefined;
  const direction = change.isPositive() ? 'higher' : 'lower';
  const amounts = `(${money(previous, input)} → ${money(input.total, input)})`;
  if (previous.isZero()) {
    return { code: 'total_changed', text: `Total is ${direction} than the last invoice ${amounts}` };
  }
  const percent = change.abs().dividedBy(previous.abs()).times(HUNDRED).toFixed(1, Decimal.ROUND_HALF_UP);
  return {
    code: 'total_changed',
    text: `Total is ${percent}% ${direction} than the last invoice ${amounts}`,
  };
};

const overThreshold: ReasonCheck = (policy, input) => {
  const limit = policy.autoApproveBelow.get(input.currency);
  if (limit === undefined || input.total.lessThan(limit)) return undefined;
  return {
    code: 'over_threshold',
    text: `Total ${money(input.total, input)} is at or over the ${money(limit, input)} auto-approval limit`,
  };
};

const noThreshold: ReasonCheck = (policy, input) =>
  policy.autoApproveBelow.has(input.currency)
    ? undefined
    : { code: 'no_threshold', text: `No auto-approval limit is set for ${input.currency}` };

const twoApprovers: ReasonCheck = (policy, input) => {
  const from = policy.twoApproversFrom.get(input.currency);
  if (from === undefined || input.total.lessThan(from)) return undefined;
  return {
    code: 'two_approvers',
    text: `Total ${money(input.total, input)} is at or over ${money(from, input)}: two different approvers must approve`,
  };
};

function money(amount: Decimal, input: PolicyInput): string {
  return formatMoney(amount, input.currency);
}
