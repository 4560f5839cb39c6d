import type { BillingConfig, Plan } from '../billing-config/billing-config.ts';
import { earlierOf, laterOf } from '../calendar/calendar-date.ts';
import { Decimal, type Decimal as DecimalValue } from '../money/decimal.ts';
import { amountsBeyondBounds } from '../pricing/amount-bounds.ts';
import { priceInvoice } from '../pricing/price-invoice.ts';
import { prorationFor } from '../pricing/proration.ts';
import type { ChargeInput, InvoiceDiscount, PricedInvoice, TaxTreatment } from '../pricing/types.ts';
import type { BillingException } from './billing-exception.ts';
import type { BillingPeriod } from '../calendar/billing-period.ts';
import { dueDateFor } from '../billing-config/due-date.ts';

// Pure: one customer's subscriptions and usage for a period → a draft invoice (or nothing to bill).

export interface CustomerToBill {
  id: string;
  externalId: string;
  name: string;
  currency: string;
  emailTo: readonly string[];
  paymentTerms: string | null;
  taxProfile: string | null;
  /** VAT / tax number as printed on the invoice; null when the customer has none. */
  taxId: string | null;
}

export interface SubscriptionToBill {
  id: string;
  externalId: string | null;
  planCode: string;
  startsOn: string;
  /** Exclusive: the first day no longer billed. */
  endsOn: string | null;
  discountPercent: DecimalValue | null;
  discountAmount: DecimalValue | null;
  prorate: boolean;
}

/** Usage summed per metric within one subscription's dates; `subscriptionId` null = outside them all. */
export interface UsageTotal {
  subscriptionId: string | null;
  metric: string;
  quantity: DecimalValue;
  events: number;
}

/** Where a priced line came from and how the ERP books it: joins the pricing engine's line back to its origin. */
export interface LineSource {
  /** The subscription and plan component that priced it; null for a one-off order's line. */
  subscriptionId: string | null;
  componentCode: string | null;
  metric: string | null;
  /** The days it covers; null for a one-off order's line. */
  periodStart: string | null;
  periodEnd: string | null;
  glAccount: string | undefined;
  itemCode: string | undefined;
  taxCode: string | undefined;
  tracking: Readonly<Record<string, string>>;
}

export interface DraftInvoice {
  customer: CustomerToBill;
  currency: string;
  issueDate: string;
  dueDate: string;
  priced: PricedInvoice;
  sources: ReadonlyMap<string, LineSource>;
  exceptions: BillingException[];
  /** Printed on the invoice before the tax notes (a one-off order's label); none for recurring drafts. */
  notes?: readonly string[];
}

export type DraftOutcome = { kind: 'draft'; draft: DraftInvoice } | { kind: 'nothing_to_bill' };

export interface DraftInput {
  billing: BillingConfig;
  period: BillingPeriod;
  issueDate: string;
  customer: CustomerToBill;
  subscriptions: readonly SubscriptionToBill[];
  usage: readonly UsageTotal[];
}

const TIERED = new Set(['graduated', 'volume', 'package']);

/** Prices one customer's period; flags what it cannot price instead of guessing. */
export function draftInvoice(input: DraftInput): DraftOutcome {
  const { billing, period, customer } = input;
  const exceptions: BillingException[] = [];
  const flag = (code: BillingException['code'], message: string) => exceptions.push({ code, message });

  flagMissingRecipient(customer, flag);
  flagUnlistedCurrency(billing, customer.currency, `${customer.name} is billed in`, flag);
  const tax = taxTreatmentFor(billing, customer, flag, `/invoice review ${customer.externalId}`);

  const charges: ChargeInput[] = [];
  const discounts: InvoiceDiscount[] = [];
  const sources = new Map<string, LineSource>();
  let pricesIncludeTax: boolean | undefined;
  const billedPlans: { subscription: SubscriptionToBill; plan: Plan }[] = [];

  for (const subscription of input.subscriptions) {
    const plan = billing.plans.get(subscription.planCode);
    const named = subscriptionName(subscription);
    if (plan === undefined) {
      flag(
        'unknown_plan',
        `${named} is on plan "${subscription.planCode}", which billing.yml does not define`,
      );
      continue;
    }
    if (plan.currency !== customer.currency) {
      flag(
        'currency_mismatch',
        `${named} (${plan.name}) is priced in ${plan.currency} but ${customer.name} is billed in ${customer.currency}; its charges are not on this draft`,
      );
      continue;
    }
    if (pricesIncludeTax !== undefined && plan.pricesIncludeTax !== pricesIncludeTax) {
      flag(
        'tax_mode_mismatch',
        `${plan.name} prices ${plan.pricesIncludeTax ? 'include' : 'exclude'} tax, unlike the customer's other plans; its charges are not on this draft`,
      );
      continue;
    }
    pricesIncludeTax = plan.pricesIncludeTax;
    billedPlans.push({ subscription, plan });

    const activeStart = laterOf(period.start, subscription.startsOn);
    const activeEnd = earlierOf(period.end, subscription.endsOn ?? period.end);
    const proration = subscription.prorate
      ? prorationFor(period, { from: subscription.startsOn, until: subscription.endsOn })
      : undefined;
    const keys: string[] = [];
    for (const component of plan.components) {
      const key = `${subscription.id}:${component.code}`;
      const quantity =
        component.metric === null
          ? new Decimal(1)
          : usedQuantity(input.usage, subscription.id, component.metric);
      if (component.metric !== null && quantity.isNegative() && TIERED.has(component.model.kind)) {
        flag(
          'negative_usage',
          `${component.description}: usage adds up to ${quantity.toFixed()}, and a ${component.model.kind} price needs 0 or more; check the corrections sent for ${component.metric}`,
        );
        continue;
      }
      if (component.metric !== null && quantity.isZero() && component.minimum === undefined) continue;
      if (component.glAccount === undefined && component.itemCode === undefined) {
        flag(
          'unmapped_item',
          `${component.description} (${plan.code}.${component.code}) has no gl_account or item_code in billing.yml, so the ERP cannot book it`,
        );
      }
      charges.push({
        key,
        description: component.description,
        model: component.model,
        quantity,
        ...(component.minimum === undefined ? {} : { minimum: component.minimum }),
        ...(component.discount === undefined ? {} : { discount: component.discount }),
        ...(proration === undefined ? {} : { proration }),
        tax: tax.treatment,
      });
      sources.set(key, {
        subscriptionId: subscription.id,
        componentCode: component.code,
        metric: component.metric,
        periodStart: activeStart,
        periodEnd: activeEnd,
        glAccount: component.glAccount,
        itemCode: component.itemCode,
        taxCode: tax.erpTaxType,
        tracking: component.tracking,
      });
      keys.push(key);
    }
    if (subscription.discountPercent !== null && subscription.discountPercent.greaterThan(0)) {
      discounts.push({
        label: `${plan.name} discount (${subscription.discountPercent.toFixed()}%)`,
        discount: { kind: 'percent', percent: subscription.discountPercent },
        chargeKeys: keys,
      });
    }
    if (subscription.discountAmount !== null && subscription.discountAmount.greaterThan(0)) {
      discounts.push({
        label: `${plan.name} discount`,
        discount: { kind: 'amount', amount: subscription.discountAmount },
        chargeKeys: keys,
      });
    }
  }

  flagUnbilledUsage(input, billedPlans, flag);
  flagMetricsPricedTwice(billedPlans, period, flag);

  const priced = priceInvoice({
    currency: customer.currency,
    pricesIncludeTax: pricesIncludeTax ?? false,
    charges,
    invoiceDiscounts: discounts,
  });
  flagNegativeTotal(priced, flag);
  flagAmountsBeyondBounds(priced, flag);
  if (priced.total.isZero() && exceptions.length === 0 && billing.zeroAmountInvoices === 'skip') {
    return { kind: 'nothing_to_bill' };
  }
  return {
    kind: 'draft',
    draft: {
      customer,
      currency: customer.currency,
      issueDate: input.issueDate,
      dueDate: dueDateUnderTerms(billing, customer, input.issueDate, flag),
      priced,
      sources,
      exceptions,
    },
  };
}

function subscriptionName(subscription: SubscriptionToBill): string {
  return subscription.externalId === null ? 'A subscription' : `Subscription ${subscription.externalId}`;
}

function usedQuantity(usage: readonly UsageTotal[], subscriptionId: string, metric: string): DecimalValue {
  let quantity = new Decimal(0);
  for (const total of usage) {
    if (total.subscriptionId === subscriptionId && total.metric === metric)
      quantity = quantity.plus(total.quantity);
  }
  return quantity;
}

/** Records an exception on the draft being built. */
export type Flag = (code: BillingException['code'], message: string) => void;

export function flagMissingRecipient(customer: CustomerToBill, flag: Flag): void {
  if (customer.emailTo.length === 0) {
    flag('no_recipient', `${customer.name} has no invoice email address; add one to the customer`);
  }
}

/** `subject` ends where the currency follows: "Acme Ltd is billed in", "Shopify order #1001 is in". */
export function flagUnlistedCurrency(
  billing: BillingConfig,
  currency: string,
  subject: string,
  flag: Flag,
): void {
  if (!billing.currencies.includes(currency)) {
    flag('currency_mismatch', `${subject} ${currency}, which billing.yml does not list under currencies`);
  }
}

/** Lines or a total too large to be real (see money/bounds.ts): flagged, so the draft cannot be approved as it is. */
export function flagAmountsBeyondBounds(priced: PricedInvoice, flag: Flag): void {
  for (const problem of amountsBeyondBounds(priced)) flag('amount_out_of_range', problem);
}

export function flagNegativeTotal(priced: PricedInvoice, flag: Flag): void {
  if (priced.total.isNegative()) {
    flag(
      'negative_total',
      `The total is negative (${priced.total.toFixed()} ${priced.currency}); a credit note is the way to give money back`,
    );
  }
}

/**
 * How the customer's tax profile taxes their lines, and the ERP's tax type for it; flags a missing
 * profile, and a reverse charge for a customer without a VAT number. `redraft` names what re-drafts the
 * invoice once the customer is fixed ("/invoice review acme"); undefined when nothing can (an order's).
 */
export function taxTreatmentFor(
  billing: BillingConfig,
  customer: CustomerToBill,
  flag: Flag,
  redraft: string | undefined,
): { treatment: TaxTreatment; erpTaxType: string | undefined } {
  // NOTE: without a profile the draft is priced with no tax so it can be seen, and is blocked by the exception.
  const undetermined = {
    treatment: { kind: 'standard', rate: new Decimal(0), label: 'Tax not determined' },
  } as const;
  if (customer.taxProfile === null) {
    flag(
      'no_tax_profile',
      `${customer.name} has no tax profile; set tax_profile to one of ${profileList(billing)}`,
    );
    return { ...undetermined, erpTaxType: undefined };
  }
  const profile = billing.tax.profiles.get(customer.taxProfile);
  if (profile === undefined) {
    flag(
      'unknown_tax_profile',
      `${customer.name} has tax profile "${customer.taxProfile}", which billing.yml does not define (${profileList(billing)})`,
    );
    return { ...undetermined, erpTaxType: undefined };
  }
  if (profile.treatment === 'reverse_charge' && (customer.taxId ?? '').trim() === '') {
    // NOTE: an EU reverse-charge invoice must show the customer's VAT number (Directive 2006/112/EC, art. 226).
    flag(
      'reverse_charge_without_vat_number',
      `${customer.name} is billed under reverse charge (tax profile "${profile.code}") but has no VAT number, which a reverse-charge invoice must show; add the customer's VAT number (tax_id)${
        redraft === undefined
          ? '; this invoice cannot be re-drafted from here'
          : `, then ${redraft} to re-draft this invoice`
      }`,
    );
  }
  if (profile.treatment !== 'standard') {
    return { treatment: { kind: profile.treatment, note: profile.note }, erpTaxType: profile.erpTaxType };
  }
  const jurisdiction = billing.tax.jurisdictions.get(profile.jurisdiction);
  const rate = jurisdiction?.rates.get('standard');
  if (jurisdiction === undefined || rate === undefined) {
    flag('unknown_tax_profile', `Tax profile "${profile.code}" has no standard rate in billing.yml`);
    return { ...undetermined, erpTaxType: undefined };
  }
  return {
    treatment: { kind: 'standard', rate, label: `${jurisdiction.label} ${rate.toFixed()}%` },
    erpTaxType: profile.erpTaxType,
  };
}

function profileList(billing: BillingConfig): string {
  return [...billing.tax.profiles.keys()].join(', ');
}

function flagUnbilledUsage(
  input: DraftInput,
  billedPlans: readonly { subscription: SubscriptionToBill; plan: Plan }[],
  flag: Flag,
): void {
  const pricedMetrics = new Map<string, Set<string>>();
  for (const { subscription, plan } of billedPlans) {
    const metrics = new Set(plan.components.flatMap((component) => component.metric ?? []));
    pricedMetrics.set(subscription.id, metrics);
  }
  const anyPlanPrices = (metric: string) =>
    [...pricedMetrics.values()].some((metrics) => metrics.has(metric));
  for (const total of input.usage) {
    const events = `${total.quantity.toFixed()} ${total.metric} from ${total.events} event${total.events === 1 ? '' : 's'}`;
    if (total.subscriptionId === null) {
      if (anyPlanPrices(total.metric)) {
        flag(
          'usage_outside_subscription',
          `${events} fall outside the dates of every subscription; check the subscription dates`,
        );
      } else {
        flag('unknown_metric', `${events}: no plan of this customer prices ${total.metric}`);
      }
      continue;
    }
    const metrics = pricedMetrics.get(total.subscriptionId);
    // Usage under a subscription skipped above (unknown plan, other currency) is already flagged there.
    if (metrics !== undefined && !metrics.has(total.metric)) {
      flag('unknown_metric', `${events}: the customer's plan does not price ${total.metric}`);
    }
  }
}

function flagMetricsPricedTwice(
  billedPlans: readonly { subscription: SubscriptionToBill; plan: Plan }[],
  period: BillingPeriod,
  flag: Flag,
): void {
  for (const [index, first] of billedPlans.entries()) {
    for (const second of billedPlans.slice(index + 1)) {
      const overlapStart = laterOf(
        laterOf(first.subscription.startsOn, second.subscription.startsOn),
        period.start,
      );
      const overlapEnd = earlierOf(
        earlierOf(first.subscription.endsOn ?? period.end, second.subscription.endsOn ?? period.end),
        period.end,
      );
      if (overlapStart >= overlapEnd) continue;
      const shared = first.plan.components
        .flatMap((component) => component.metric ?? [])
        .filter((metric) => second.plan.components.some((component) => component.metric === metric));
      for (const metric of shared) {
        flag(
          'metric_priced_twice',
          `${metric} is priced by both ${first.plan.name} and ${second.plan.name} from ${overlapStart}; end one subscription so usage is charged once`,
        );
      }
    }
  }
}

/** The due date under the customer's payment terms (see dueDateFor); flags terms billing.yml lacks. */
export function dueDateUnderTerms(
  billing: BillingConfig,
  customer: CustomerToBill,
  issueDate: string,
  flag: Flag,
): string {
  const { dueDate: date, known } = dueDateFor(billing, customer.paymentTerms, issueDate);
  if (!known) {
    flag(
      'unknown_payment_terms',
      `${customer.name} has payment terms "${customer.paymentTerms ?? ''}", which billing.yml does not define; set one of ${[...billing.paymentTerms.terms.keys()].join(', ')}`,
    );
  }
  return date;
}

/** A customers row as the drafting code reads it. */
export function customerToBill(row: {
  id: string;
  external_id: string;
  name: string;
  currency: string;
  email_to: string[];
  payment_terms: string | null;
  tax_profile: string | null;
  tax_id: string | null;
}): CustomerToBill {
  return {
    id: row.id,
    externalId: row.external_id,
    name: row.name,
    currency: row.currency,
    emailTo: row.email_to,
    paymentTerms: row.payment_terms,
    taxProfile: row.tax_profile,
    taxId: row.tax_id,
  };
}
