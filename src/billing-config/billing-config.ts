import type { ApprovalPolicy } from './approval-policy-types.ts';
import type { Decimal } from '../money/decimal.ts';
import type { Discount, PriceModel } from '../pricing/types.ts';
import type { RunScope } from './run-scope.ts';

// billing.yml once validated: what the rest of billops reads. Codes are the keys rows refer to.

export interface BillingConfig {
  /** The file it was read from, for messages. */
  source: string;
  /** Things that are allowed but look wrong (a tax rate of 0.2: 20 meant?), as file:line messages to show at start. */
  warnings: readonly string[];
  /** Periods start and end at midnight here; issue dates are today here. */
  timezone: string;
  currencies: readonly string[];
  /** What a customer with nothing to bill gets: no invoice, or a zero draft. */
  zeroAmountInvoices: 'skip' | 'draft';
  paymentTerms: { defaultCode: string; terms: ReadonlyMap<string, PaymentTerm> };
  tax: { jurisdictions: ReadonlyMap<string, TaxJurisdiction>; profiles: ReadonlyMap<string, TaxProfile> };
  plans: ReadonlyMap<string, Plan>;
  slack: SlackChannels;
  approval: ApprovalPolicy;
  seller: Seller;
  branding: Branding;
  payment: PaymentInstructions;
  numbering: Numbering;
  email: EmailTemplates;
  /** Runs started by the clock; none unless billing.yml lists some. */
  schedules: readonly BillingSchedule[];
  /** ERP booking of one-off orders' lines, per source; empty ones are flagged unmapped on the draft. */
  orders: { shopify: OrderMapping; hubspot: OrderMapping };
  /** Payment reminders around the due date; none unless billing.yml lists steps. */
  reminders: ReminderSettings;
  overdue: OverdueSettings;
}

/**
 * Payment reminders, each step sent at most once per invoice, at `sendAt` on its day in the customer's
 * time zone, while the invoice is unpaid. Templates take the invoice email's placeholders plus
 * {outstanding} and {amount_paid}; `from` and `reply_to` are the invoice email's.
 */
export interface ReminderSettings {
  /** 'HH:MM', local time in the customer's time zone. */
  sendAt: string;
  /** Per currency: invoices with less outstanding get no reminders. */
  minimum: ReadonlyMap<string, Decimal>;
  /** Sorted by `days`, each `days` once. */
  steps: readonly ReminderStep[];
}

export interface ReminderStep {
  /** Days relative to the due date: -3 is three days before, 0 the due day, 7 a week after. */
  days: number;
  subject: string;
  text: string;
  html: string | undefined;
}

export interface OverdueSettings {
  /** Invoices overdue for more days than this are raised once in the alerts channel. */
  escalateAfterDays: number;
  /** 'HH:MM' in the config's time zone: the overdue digest is posted once a day, at or after it. */
  digestAt: string;
}

export interface OrderMapping {
  glAccount?: string;
  itemCode?: string;
}

/** Which period a firing bills, in the schedule's time zone: the month, ISO week (Monday start) or day before. */
export type SchedulePeriod = 'previous_month' | 'previous_week' | 'previous_day';

/** A billing run started by the clock: at each cron firing, in `timezone`, bill the period before it. */
export interface BillingSchedule {
  /** Unique; runs are started by `schedule:<name>`. */
  name: string;
  /** Five fields: minute hour day-of-month month day-of-week, read in `timezone`. */
  cron: string;
  /** IANA zone; the config's `timezone` unless the schedule names one. */
  timezone: string;
  period: SchedulePeriod;
  scope: RunScope;
  /** A firing missed while billops was down is run once at the next start. */
  catchUp: boolean;
}

/** Who issues the invoices, as printed on them. */
export interface Seller {
  name: string;
  addressLines: readonly string[];
  taxId: string | undefined;
  email: string | undefined;
  phone: string | undefined;
}

export interface Branding {
  /** PNG or JPEG, path relative to the config file's directory; resolved to an absolute path. */
  logoPath: string | undefined;
  /** Accent colour, '#rrggbb'. */
  color: string;
  footer: string | undefined;
}

export interface PaymentInstructions {
  /** Printed as they are: "Bank: …", "IBAN: …", "Sort code: …". */
  bankLines: readonly string[];
  /** A pay link; `{invoice_number}` and `{total}` are filled in. */
  payLink: string | undefined;
}

export interface Numbering {
  /** Counters are kept per series and year. */
  series: string;
  /** `{YYYY}`, `{YY}`, `{MM}` from the issue date and `{seq}` / `{seq:5}` (zero-padded) from the counter. */
  pattern: string;
}

/**
 * The invoice email. Placeholders: {customer_name} {invoice_number} {total} {due_date} {issue_date}
 * {period} {seller_name} {pay_link}. Values are escaped for HTML in `html` and stripped of line
 * breaks in `subject`.
 */
export interface EmailTemplates {
  from: string;
  replyTo: string | undefined;
  subject: string;
  text: string;
  html: string | undefined;
  /**
   * The credit note email (same sender): the invoice placeholders plus {credit_note_number}
   * {credit_total} {reason}.
   */
  creditNote: { subject: string; text: string; html: string | undefined };
}

export interface SlackChannels {
  /** Run summaries go here. */
  billingChannel: string;
  /** Approval cards go here when set; otherwise into the run summary's thread. */
  approvalsChannel: string | undefined;
  /** Every failure also goes here. */
  alertsChannel: string;
  /** Held invoices that get a card of their own per run; the rest are reached through Review. */
  maxCardsPerRun: number;
}

/** Due `days` after the issue date, or after the end of the issue date's month. */
export interface PaymentTerm {
  code: string;
  days: number;
  from: 'issue_date' | 'end_of_month';
}

export interface TaxJurisdiction {
  code: string;
  /** "VAT", "GST", "Sales tax". */
  label: string;
  /** Percent by tax category: { standard: 20, reduced: 5 }. */
  rates: ReadonlyMap<string, Decimal>;
}

export type TaxProfile =
  | { code: string; treatment: 'standard'; jurisdiction: string; erpTaxType: string | undefined }
  | { code: string; treatment: 'exempt' | 'reverse_charge'; note: string; erpTaxType: string | undefined };

export interface Plan {
  code: string;
  name: string;
  currency: string;
  pricesIncludeTax: boolean;
  components: readonly PlanComponent[];
}

export interface PlanComponent {
  code: string;
  description: string;
  /** The usage metric it prices; null for flat recurring fees. */
  metric: string | null;
  model: PriceModel;
  minimum: Decimal | undefined;
  discount: Discount | undefined;
  taxCategory: string;
  glAccount: string | undefined;
  itemCode: string | undefined;
  tracking: Readonly<Record<string, string>>;
}
