import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minorUnits } from '../money/currency.ts';
import { Decimal } from '../money/decimal.ts';
import { decideApproval } from './approval-policy.ts';
import type {
  ApprovalPolicy,
  PolicyDecision,
  PolicyInput,
  ReviewReasonCode,
} from '../billing-config/approval-policy-types.ts';

function amounts(entries: Record<string, string>): ReadonlyMap<string, Decimal> {
  return new Map(Object.entries(entries).map(([currency, amount]) => [currency, new Decimal(amount)]));
}

/** GBP auto-approves below £500 and needs two approvers from £10,000; no entries for USD. */
function policy(overrides: Partial<ApprovalPolicy> = {}): ApprovalPolicy {
  return {
    mode: 'policy',
    autoApproveBelow: amounts({ GBP: '500.00', JPY: '50000', KWD: '150.000' }),
    twoApproversFrom: amounts({ GBP: '10000.00', JPY: '1500000', KWD: '3000.000' }),
    reviewFirstInvoice: true,
    changeTolerancePercent: new Decimal('20'),
    starterMayApprove: false,
    approvers: { users: ['U01FINANCE'], usergroups: [] },
    ...overrides,
  };
}

interface InputSpec {
  currency?: string;
  total: string;
  /** Defaults to the total itself (a repeat customer billed the same): `null` for a first invoice. */
  previous?: string | null;
  blocked?: boolean;
  onHold?: boolean;
}

function input(spec: InputSpec): PolicyInput {
  const previous = spec.previous === undefined ? spec.total : spec.previous;
  return {
    currency: spec.currency ?? 'GBP',
    total: new Decimal(spec.total),
    blocked: spec.blocked ?? false,
    customerOnHold: spec.onHold ?? false,
    previousTotal: previous === null ? null : new Decimal(previous),
  };
}

type Row = [
  name: string,
  input: InputSpec,
  outcome: PolicyDecision['outcome'],
  approvalsRequired: 0 | 1 | 2,
  reasons: ReviewReasonCode[],
  policy?: ApprovalPolicy,
];

const standard = policy();
const reviewAll = policy({ mode: 'review_all' });
const skipReview = policy({ mode: 'skip_review' });
const freeFirst = policy({ reviewFirstInvoice: false });
const zeroTolerance = policy({ changeTolerancePercent: new Decimal(0) });
const noTolerance = policy({ changeTolerancePercent: null });
/** Misconfigured on purpose: the two-approver line sits under the auto-approval limit. */
const twoFrom100 = policy({ twoApproversFrom: amounts({ GBP: '100.00' }) });

describe('decideApproval', () => {
  it.each<Row>([
    // Auto-approval limit, per currency: GBP 500.00, JPY 50000, KWD 150.000, none for USD.
    ['approves £400.00, as billed last time', { total: '400.00' }, 'auto_approve', 0, []],
    ['approves £499.99, just under the limit', { total: '499.99' }, 'auto_approve', 0, []],
    ['holds £500.00, exactly at the limit', { total: '500.00' }, 'review', 1, ['over_threshold']],
    ['holds £500.01, just over the limit', { total: '500.01' }, 'review', 1, ['over_threshold']],
    ['approves ¥49,999', { currency: 'JPY', total: '49999' }, 'auto_approve', 0, []],
    ['holds ¥50,000', { currency: 'JPY', total: '50000' }, 'review', 1, ['over_threshold']],
    ['approves KWD 149.999', { currency: 'KWD', total: '149.999' }, 'auto_approve', 0, []],
    ['holds KWD 150.000', { currency: 'KWD', total: '150.000' }, 'review', 1, ['over_threshold']],
    ['holds KWD 150.001', { currency: 'KWD', total: '150.001' }, 'review', 1, ['over_threshold']],
    ['holds $1.00 when USD has no limit', { currency: 'USD', total: '1.00' }, 'review', 1, ['no_threshold']],
    [
      'asks one approver for $1,000,000 when USD has no two-approver line',
      { currency: 'USD', total: '1000000' },
      'review',
      1,
      ['no_threshold'],
    ],
    // First invoice.
    ['holds a first invoice', { total: '10.00', previous: null }, 'review', 1, ['first_invoice']],
    [
      'approves a first invoice when first invoices are not reviewed',
      { total: '10.00', previous: null },
      'auto_approve',
      0,
      [],
      freeFirst,
    ],
    // Change against the last invoice: tolerance 20%.
    ['approves a rise of exactly 20%', { total: '120.00', previous: '100.00' }, 'auto_approve', 0, []],
    ['holds a rise just over 20%', { total: '120.01', previous: '100.00' }, 'review', 1, ['total_changed']],
    ['approves a fall of exactly 20%', { total: '320.00', previous: '400.00' }, 'auto_approve', 0, []],
    ['holds a fall just over 20%', { total: '319.99', previous: '400.00' }, 'review', 1, ['total_changed']],
    [
      'holds a yen fall just over 20%',
      { currency: 'JPY', total: '7999', previous: '10000' },
      'review',
      1,
      ['total_changed'],
    ],
    [
      'ignores any change when no tolerance is set',
      { total: '450.00', previous: '1.00' },
      'auto_approve',
      0,
      [],
      noTolerance,
    ],
    [
      'holds a penny after a zero invoice',
      { total: '0.01', previous: '0.00' },
      'review',
      1,
      ['total_changed'],
    ],
    ['approves zero after zero', { total: '0.00', previous: '0.00' }, 'auto_approve', 0, []],
    [
      'holds a penny rise at 0%',
      { total: '100.01', previous: '100.00' },
      'review',
      1,
      ['total_changed'],
      zeroTolerance,
    ],
    [
      'approves no change at 0%',
      { total: '100.00', previous: '100.00' },
      'auto_approve',
      0,
      [],
      zeroTolerance,
    ],
    // Customer on hold.
    ['holds a customer on hold', { total: '10.00', onHold: true }, 'review', 1, ['customer_on_hold']],
    // Two approvers: GBP 10000.00, JPY 1500000, KWD 3000.000.
    ['asks one approver for £9,999.99', { total: '9999.99' }, 'review', 1, ['over_threshold']],
    [
      'asks two approvers for £10,000.00',
      { total: '10000.00' },
      'review',
      2,
      ['over_threshold', 'two_approvers'],
    ],
    [
      'asks two approvers for ¥1,500,000',
      { currency: 'JPY', total: '1500000' },
      'review',
      2,
      ['over_threshold', 'two_approvers'],
    ],
    [
      'asks one approver for KWD 2,999.999',
      { currency: 'KWD', total: '2999.999' },
      'review',
      1,
      ['over_threshold'],
    ],
    [
      'asks two approvers for KWD 3,000.000',
      { currency: 'KWD', total: '3000.000' },
      'review',
      2,
      ['over_threshold', 'two_approvers'],
    ],
    [
      'asks two approvers even under the auto-approval limit',
      { total: '200.00' },
      'review',
      2,
      ['two_approvers'],
      twoFrom100,
    ],
    // Modes.
    ['review_all holds a small invoice', { total: '10.00' }, 'review', 1, ['review_all'], reviewAll],
    [
      'review_all names a missing limit',
      { currency: 'USD', total: '1' },
      'review',
      1,
      ['review_all', 'no_threshold'],
      reviewAll,
    ],
    [
      'skip_review approves a big first invoice on hold',
      { total: '1000000', previous: null, onHold: true },
      'auto_approve',
      0,
      [],
      skipReview,
    ],
    // Blocked.
    ['blocks with nothing else to say', { total: '10.00', blocked: true }, 'blocked', 1, []],
    ['blocks a negative total', { total: '-5.00', blocked: true }, 'blocked', 1, []],
    [
      'measures a change against the size of a negative last total',
      { total: '-90.00', previous: '-100.00', blocked: true },
      'blocked',
      1,
      [],
    ],
    ['blocks under review_all', { total: '10.00', blocked: true }, 'blocked', 1, ['review_all'], reviewAll],
    [
      'blocks under skip_review',
      { total: '10.00', previous: null, blocked: true },
      'blocked',
      1,
      [],
      skipReview,
    ],
    [
      'blocks under skip_review and still counts two approvers',
      { total: '10000', blocked: true },
      'blocked',
      2,
      ['two_approvers'],
      skipReview,
    ],
    [
      'blocks and keeps the reasons that apply',
      { total: '600.00', previous: null, blocked: true },
      'blocked',
      1,
      ['first_invoice', 'over_threshold'],
    ],
    // Order.
    [
      'lists every reason in card order',
      { total: '12000.00', previous: '1000.00', onHold: true },
      'review',
      2,
      ['customer_on_hold', 'total_changed', 'over_threshold', 'two_approvers'],
    ],
    [
      'lists review_all before the other reasons',
      { total: '600.00', previous: null, onHold: true },
      'review',
      1,
      ['review_all', 'customer_on_hold', 'first_invoice', 'over_threshold'],
      reviewAll,
    ],
  ])('%s', (_name, spec, outcome, approvalsRequired, reasons, rowPolicy = standard) => {
    const decision = decideApproval(rowPolicy, input(spec));
    expect({
      outcome: decision.outcome,
      approvalsRequired: decision.approvalsRequired,
      reasons: decision.reasons.map((reason) => reason.code),
    }).toEqual({ outcome, approvalsRequired, reasons });
  });

  it.each<[ReviewReasonCode, Partial<ApprovalPolicy>, InputSpec, string]>([
    ['review_all', { mode: 'review_all' }, { total: '10.00' }, 'Policy: every invoice is reviewed'],
    ['customer_on_hold', {}, { total: '10.00', onHold: true }, 'The customer is marked hold for review'],
    ['first_invoice', {}, { total: '10.00', previous: null }, 'First invoice to this customer'],
    [
      'total_changed',
      { changeTolerancePercent: new Decimal(10) },
      { total: '1425.00', previous: '1000.00' },
      'Total is 42.5% higher than the last invoice (£1,000.00 → £1,425.00)',
    ],
    [
      'total_changed',
      { changeTolerancePercent: new Decimal(10) },
      { total: '575.00', previous: '1000.00' },
      'Total is 42.5% lower than the last invoice (£1,000.00 → £575.00)',
    ],
    [
      'total_changed',
      { changeTolerancePercent: new Decimal(10) },
      { total: '449.00', previous: '400.00' },
      'Total is 12.3% higher than the last invoice (£400.00 → £449.00)',
    ],
    [
      'total_changed',
      {},
      { total: '100.00', previous: '0.00' },
      'Total is higher than the last invoice (£0.00 → £100.00)',
    ],
    [
      'over_threshold',
      {},
      { total: '600.00' },
      'Total £600.00 is at or over the £500.00 auto-approval limit',
    ],
    [
      'over_threshold',
      {},
      { currency: 'JPY', total: '60000' },
      // NOTE: en-GB writes the yen as JP¥ (not ¥) and puts a no-break space after a currency code (KWD).
      'Total JP¥60,000 is at or over the JP¥50,000 auto-approval limit',
    ],
    [
      'over_threshold',
      {},
      { currency: 'KWD', total: '150.5' },
      'Total KWD\u00a0150.500 is at or over the KWD\u00a0150.000 auto-approval limit',
    ],
    ['no_threshold', {}, { currency: 'USD', total: '1.00' }, 'No auto-approval limit is set for USD'],
    [
      'two_approvers',
      { autoApproveBelow: amounts({ GBP: '1000000.00' }) },
      { total: '12000.00' },
      'Total £12,000.00 is at or over £10,000.00: two different approvers must approve',
    ],
  ])('explains %s on the card', (code, policyOverrides, spec, text) => {
    const decision = decideApproval(policy(policyOverrides), input(spec));
    expect(decision.reasons.find((reason) => reason.code === code)?.text).toBe(text);
  });
});

describe('decideApproval invariants', () => {
  const currencies = ['GBP', 'JPY', 'KWD', 'USD'] as const;

  /** Small amounts in the currency's minor units, so totals often land exactly on a threshold. */
  const amountIn = (currency: string) =>
    fc
      .integer({ min: 0, max: 3000 })
      .map((units) => new Decimal(units).dividedBy(new Decimal(10).pow(minorUnits(currency))));

  /** A threshold for some currencies, none for the others. */
  const thresholds = fc
    .subarray([...currencies])
    .chain((chosen) =>
      fc
        .tuple(...chosen.map((currency) => amountIn(currency).map((amount) => [currency, amount] as const)))
        .map((entries): ReadonlyMap<string, Decimal> => new Map(entries)),
    );

  const policies: fc.Arbitrary<ApprovalPolicy> = fc.record({
    mode: fc.constantFrom('policy', 'review_all', 'skip_review'),
    autoApproveBelow: thresholds,
    twoApproversFrom: thresholds,
    reviewFirstInvoice: fc.boolean(),
    changeTolerancePercent: fc.option(
      fc.integer({ min: 0, max: 1000 }).map((tenths) => new Decimal(tenths).dividedBy(10)),
    ),
    starterMayApprove: fc.boolean(),
    approvers: fc.constant({ users: ['U01FINANCE'], usergroups: [] }),
  });

  const inputs: fc.Arbitrary<PolicyInput> = fc.constantFrom(...currencies).chain((currency) =>
    fc.record({
      currency: fc.constant(currency),
      total: amountIn(currency),
      blocked: fc.boolean(),
      customerOnHold: fc.boolean(),
      previousTotal: fc.option(amountIn(currency)),
    }),
  );

  const order: ReviewReasonCode[] = [
    'review_all',
    'customer_on_hold',
    'first_invoice',
    'total_changed',
    'over_threshold',
    'no_threshold',
    'two_approvers',
  ];

  it('never auto-approves a blocked invoice', () => {
    fc.assert(
      fc.property(policies, inputs, (p, i) => {
        fc.pre(i.blocked);
        expect(decideApproval(p, i).outcome).toBe('blocked');
      }),
    );
  });

  it('auto-approves only with no reasons and no approvers', () => {
    fc.assert(
      fc.property(policies, inputs, (p, i) => {
        const decision = decideApproval(p, i);
        fc.pre(decision.outcome === 'auto_approve');
        expect(decision.reasons).toEqual([]);
        expect(decision.approvalsRequired).toBe(0);
      }),
    );
  });

  it('gives at least one reason for every review', () => {
    fc.assert(
      fc.property(policies, inputs, (p, i) => {
        const decision = decideApproval(p, i);
        fc.pre(decision.outcome === 'review');
        expect(decision.reasons.length).toBeGreaterThan(0);
      }),
    );
  });

  it('asks two approvers exactly when the total reaches the two-approver line', () => {
    fc.assert(
      fc.property(policies, inputs, (p, i) => {
        const decision = decideApproval(p, i);
        const from = p.twoApproversFrom.get(i.currency);
        const needsTwo = from !== undefined && i.total.greaterThanOrEqualTo(from);
        if (decision.outcome === 'auto_approve') {
          // Only skip_review auto-approves past the line: the other modes hold such an invoice.
          if (needsTwo) expect(p.mode).toBe('skip_review');
          return;
        }
        expect(decision.approvalsRequired).toBe(needsTwo ? 2 : 1);
        expect(decision.reasons.some((reason) => reason.code === 'two_approvers')).toBe(needsTwo);
      }),
    );
  });

  it('lists each reason once, in the card order', () => {
    fc.assert(
      fc.property(policies, inputs, (p, i) => {
        const codes = decideApproval(p, i).reasons.map((reason) => reason.code);
        const positions = codes.map((code) => order.indexOf(code));
        expect(positions).toEqual([...new Set(positions)].sort((a, b) => a - b));
      }),
    );
  });

  it('decides the same for the same policy and invoice', () => {
    fc.assert(
      fc.property(policies, inputs, (p, i) => {
        const copy: PolicyInput = {
          ...i,
          total: new Decimal(i.total.toFixed()),
          previousTotal: i.previousTotal === null ? null : new Decimal(i.previousTotal.toFixed()),
        };
        expect(decideApproval(p, copy)).toEqual(decideApproval(p, i));
        expect(decideApproval(p, i)).toEqual(decideApproval(p, i));
      }),
    );
  });
});
