import type { LineWorking } from '../../src/pricing/types.ts';
import type {
  ApprovalCardView,
  AppHomeView,
  DetailsLineView,
  HeldInvoiceRow,
  InvoiceDetailsView,
  ReviewPageView,
  RunSummaryView,
} from '../../blocks/view-models.ts';

// Factories for the view models, for tests of the builders and of the handlers that call them.

/** The customer name that tries every mrkdwn trick at once. */
export const HOSTILE_NAME = '<!channel> *Acme* & <@U123>';

export function makeRunSummaryView(overrides: Partial<RunSummaryView> = {}): RunSummaryView {
  return {
    runId: 'run-7f3a',
    periodLabel: 'October 2026',
    scope: 'all customers',
    startedBy: 'U0STARTER',
    status: 'awaiting_approval',
    totals: [
      { currency: 'GBP', invoices: 14, total: '12400.00' },
      { currency: 'JPY', invoices: 2, total: '1200' },
      { currency: 'KWD', invoices: 1, total: '1.25' },
    ],
    counts: {
      drafted: 17,
      autoApproved: 9,
      needsReview: 5,
      exceptions: 1,
      approved: 2,
      rejected: 0,
      nothingToBill: 4,
      alreadyInvoiced: 3,
    },
    withoutCards: 0,
    updatedAt: new Date('2026-11-01T09:41:27Z'),
    ...overrides,
  };
}

export function makeApprovalCardView(overrides: Partial<ApprovalCardView> = {}): ApprovalCardView {
  return {
    invoiceId: 'inv-0001',
    version: 3,
    customerName: 'Acme Ltd',
    customerExternalId: 'cust_acme',
    currency: 'GBP',
    subtotal: '10333.33',
    discount: '0.00',
    tax: '2066.67',
    total: '12400.00',
    pricesIncludeTax: false,
    treatment: { kind: 'standard', labels: ['VAT 20%'] },
    dueDate: '2026-12-01',
    periodLabel: 'October 2026',
    lines: [
      { description: 'Seats', quantity: '12', amount: '1200.00' },
      { description: 'API requests', quantity: '1200000', amount: '9000.00' },
      { description: 'Support', quantity: '1', amount: '133.33' },
    ],
    reasons: [{ code: 'over_threshold', text: 'Total £12,400.00 is over the £1,000.00 auto-approval limit' }],
    exceptions: [],
    change: { previousTotal: '10000.00', percent: '24' },
    approvalsRequired: 1,
    approvals: [],
    ...overrides,
  };
}

export function makeHeldInvoiceRow(overrides: Partial<HeldInvoiceRow> = {}): HeldInvoiceRow {
  return {
    invoiceId: 'inv-0001',
    version: 1,
    customerName: 'Acme Ltd',
    currency: 'GBP',
    total: '12400.00',
    reasons: [{ code: 'over_threshold', text: 'Total is over the auto-approval limit' }],
    blocked: false,
    ...overrides,
  };
}

export function makeReviewPageView(overrides: Partial<ReviewPageView> = {}): ReviewPageView {
  return {
    runId: 'run-7f3a',
    periodLabel: 'October 2026',
    page: 0,
    pageCount: 1,
    totalHeld: 2,
    invoices: [
      makeHeldInvoiceRow({ invoiceId: 'inv-1', version: 2 }),
      makeHeldInvoiceRow({ invoiceId: 'inv-2', version: 5, customerName: 'Globex', blocked: true }),
    ],
    ...overrides,
  };
}

export function makeAppHomeView(overrides: Partial<AppHomeView> = {}): AppHomeView {
  return {
    userId: 'U0APPROVER1',
    isApprover: true,
    pending: [makeHeldInvoiceRow()],
    pendingCount: 1,
    runs: [
      {
        runId: 'run-7f3a',
        periodLabel: 'October 2026',
        status: 'awaiting_approval',
        needsReview: 5,
        channelId: 'C0BILLING',
        ts: '1793526087.000200',
      },
    ],
    failures: [{ text: 'Email to billing@acme.example bounced', at: new Date('2026-11-01T10:02:00Z') }],
    monthTotals: {
      monthLabel: 'November 2026',
      totals: [{ currency: 'GBP', invoices: 3, total: '3000.00' }],
    },
    ...overrides,
  };
}

export function makeLineWorking(overrides: Partial<LineWorking> = {}): LineWorking {
  return {
    model: 'per_unit',
    quantity: '12',
    steps: [{ label: 'Per unit', quantity: '12', unitPrice: '100', flatFee: '0', amount: '1200' }],
    exactAmount: '1200',
    discounts: [],
    tax: { kind: 'standard', rate: '20', label: 'VAT 20%', inclusive: false },
    ...overrides,
  };
}

export function makeDetailsLine(overrides: Partial<DetailsLineView> = {}): DetailsLineView {
  return {
    description: 'Seats',
    quantity: '12',
    unitAmount: '100',
    amount: '1200.00',
    discountAmount: '0.00',
    taxAmount: '240.00',
    working: makeLineWorking(),
    ...overrides,
  };
}

export function makeDetailsView(overrides: Partial<InvoiceDetailsView> = {}): InvoiceDetailsView {
  return {
    invoiceId: 'inv-0001',
    customerName: 'Acme Ltd',
    currency: 'GBP',
    periodLabel: 'October 2026',
    subtotal: '1200.00',
    discount: '0.00',
    tax: '240.00',
    total: '1440.00',
    notes: [],
    lines: [makeDetailsLine()],
    ...overrides,
  };
}
