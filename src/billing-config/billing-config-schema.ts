import { z } from 'zod';
import { amountProblem, quantityProblem, rateProblem, unitPriceProblem } from '../money/bounds.ts';
import { isCurrencyCode } from '../money/currency.ts';
import { Decimal, parseDecimal } from '../money/decimal.ts';
import type { Discount, PriceModel, Tier } from '../pricing/types.ts';
import { cronExpressionProblem } from '../calendar/cron-expression.ts';
import type { BillingConfig, OrderMapping, PlanComponent, TaxProfile } from './billing-config.ts';
import { controlCharacterProblem } from './single-line-text.ts';

// The shape of billing.yml. Numbers arrive as their source text (see load-billing-config.ts), so
// "0.1" stays exactly 0.1. Objects are strict: a misspelt key is an error, not a silent default.

const decimal = (what = 'a decimal number such as 12.50') =>
  z.string({ error: `expected ${what}` }).transform((text, context) => {
    const value = parseDecimal(text);
    if (value === undefined) {
      context.addIssue({ code: 'custom', message: `expected ${what}` });
      return z.NEVER;
    }
    return value;
  });
const nonNegative = (what: string) =>
  decimal(what).refine((value) => !value.isNegative(), { error: `expected ${what}` });
const positive = (what: string) =>
  decimal(what).refine((value) => value.greaterThan(0), { error: `expected ${what}` });

// The bounds of money/bounds.ts. Which is which: a QUANTITY (tier up_to, package_size) and a UNIT PRICE
// (unit_price, package_price) may be finer than the currency (0.00045 per call); an AMOUNT (flat amount,
// flat_fee, minimum, discount amount, thresholds) must fit the currency's minor units, checked below
// where the currency is known (the plan's, or the key of a per-currency map); a RATE is 0 to 100.
const withinBound =
  (what: string, bound: (value: Decimal) => string | undefined) =>
  (value: Decimal, context: z.RefinementCtx) => {
    const problem = bound(value);
    if (problem !== undefined)
      context.addIssue({ code: 'custom', message: `expected ${what}, but it ${problem}` });
  };
const quantity = (what: string) => positive(what).superRefine(withinBound(what, quantityProblem));
const unitPrice = (what: string) => decimal(what).superRefine(withinBound(what, unitPriceProblem));
const nonNegativeUnitPrice = (what: string) =>
  nonNegative(what).superRefine(withinBound(what, unitPriceProblem));
const amount = (what: string) =>
  nonNegative(what).superRefine(withinBound(what, (value) => amountProblem(value)));
const positiveAmount = (what: string) =>
  positive(what).superRefine(withinBound(what, (value) => amountProblem(value)));
const rate = (what: string) => decimal(what).superRefine(withinBound(what, rateProblem));
const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `expected a whole number from ${min} to ${max}` })
    .int({ error: `expected a whole number from ${min} to ${max}` })
    .min(min, { error: `expected a whole number from ${min} to ${max}` })
    .max(max, { error: `expected a whole number from ${min} to ${max}` });
const code = z
  .string({ error: 'expected a code (letters, digits, _ . -)' })
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, { error: 'expected a code (letters, digits, _ . -), at most 100' });
const text = z.string({ error: 'expected text' }).trim().min(1, { error: 'expected non-empty text' });
/** One line of text (a name, a subject, an address line): no line breaks or other control characters. */
const line = text.superRefine((value, context) => {
  const problem = controlCharacterProblem(value);
  if (problem !== undefined)
    context.addIssue({ code: 'custom', message: `expected one line of text, but it ${problem}` });
});
const currency = z
  .string({ error: 'expected an ISO 4217 currency code such as USD' })
  .refine(isCurrencyCode, { error: 'expected an ISO 4217 currency code such as USD, EUR, GBP, JPY' });
const timezone = z.string({ error: 'expected an IANA time zone such as Europe/London' }).refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { error: 'expected an IANA time zone such as Europe/London or America/New_York' },
);

const tier = z.strictObject({
  up_to: quantity('a quantity greater than 0, or nothing for the last tier').nullish(),
  unit_price: nonNegativeUnitPrice('a unit price of 0 or more'),
  flat_fee: amount('a flat fee of 0 or more').optional(),
});

const tiers = z
  .array(tier, { error: 'expected a list of tiers' })
  .min(1, { error: 'expected at least one tier' })
  .superRefine((list, context) => {
    list.forEach((entry, index) => {
      const last = index === list.length - 1;
      const upTo = entry.up_to ?? null;
      if (last && upTo !== null) {
        context.addIssue({
          code: 'custom',
          path: [index, 'up_to'],
          message: 'expected no up_to on the last tier, so every quantity has a price',
        });
      }
      if (!last && upTo === null) {
        context.addIssue({
          code: 'custom',
          path: [index, 'up_to'],
          message: 'expected an up_to: only the last tier may be open-ended',
        });
      }
      const previous = index > 0 ? list[index - 1]?.up_to : undefined;
      if (upTo !== null && previous != null && upTo.lessThanOrEqualTo(previous)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'up_to'],
          message: `expected a quantity greater than the previous tier's up_to (${previous.toFixed()})`,
        });
      }
    });
  });

const discount = z.union(
  [
    z.strictObject({
      percent: positive('a percentage above 0 and at most 100').superRefine(
        withinBound('a percentage above 0 and at most 100', rateProblem),
      ),
    }),
    z.strictObject({ amount: positiveAmount('an amount greater than 0') }),
  ],
  { error: 'expected { percent: 10 } or { amount: 5.00 }' },
);

const componentBase = {
  code,
  description: line,
  metric: code.optional(),
  minimum: amount('a minimum spend of 0 or more').optional(),
  discount: discount.optional(),
  tax_category: code.default('standard'),
  gl_account: line.optional(),
  item_code: line.optional(),
  tracking: z.record(line, line).optional(),
};

const component = z.discriminatedUnion(
  'model',
  [
    z.strictObject({
      ...componentBase,
      model: z.literal('flat'),
      amount: amount('an amount of 0 or more'),
    }),
    z.strictObject({
      ...componentBase,
      model: z.literal('per_unit'),
      unit_price: unitPrice('a unit price such as 0.0025'),
    }),
    z.strictObject({ ...componentBase, model: z.literal('graduated'), tiers }),
    z.strictObject({ ...componentBase, model: z.literal('volume'), tiers }),
    z.strictObject({
      ...componentBase,
      model: z.literal('package'),
      package_size: quantity('a package size greater than 0'),
      package_price: nonNegativeUnitPrice('a package price of 0 or more'),
    }),
    z.strictObject({
      ...componentBase,
      model: z.literal('percentage'),
      percent: rate('a percentage from 0 to 100, such as 2.9'),
    }),
  ],
  { error: 'expected model: flat, per_unit, graduated, volume, package or percentage' },
);

const plan = z.strictObject({
  code,
  name: line,
  currency,
  prices_include_tax: z.boolean({ error: 'expected true or false' }).default(false),
  components: z.array(component, { error: 'expected a list of components' }).min(1, {
    error: 'expected at least one component',
  }),
});

const taxProfile = z.discriminatedUnion(
  'treatment',
  [
    z.strictObject({ treatment: z.literal('standard'), jurisdiction: code, erp_tax_type: code.optional() }),
    z.strictObject({ treatment: z.literal('exempt'), note: line, erp_tax_type: code.optional() }),
    z.strictObject({ treatment: z.literal('reverse_charge'), note: line, erp_tax_type: code.optional() }),
  ],
  { error: 'expected treatment: standard, exempt or reverse_charge' },
);

const slackId = (what: string, prefix: string) =>
  z
    .string({ error: `expected a Slack ${what} id such as ${prefix}0123ABCD` })
    .regex(new RegExp(`^${prefix}[A-Z0-9]{2,}$`), {
      error: `expected a Slack ${what} id such as ${prefix}0123ABCD`,
    });

const channel = z
  .string({ error: 'expected a Slack channel id such as C0123ABCD' })
  .regex(/^[CG][A-Z0-9]{2,}$/, { error: 'expected a Slack channel id such as C0123ABCD (not its #name)' });

const amountsByCurrency = z.record(currency, amount('an amount of 0 or more'));

const slackSection = z.strictObject({
  billing_channel: channel,
  approvals_channel: channel.optional(),
  alerts_channel: channel,
  max_cards_per_run: wholeNumber(1, 200).default(25),
});

const approvalSection = z.strictObject({
  mode: z
    .enum(['policy', 'review_all', 'skip_review'], { error: 'expected policy, review_all or skip_review' })
    .default('policy'),
  auto_approve_below: amountsByCurrency.default({}),
  two_approvers_from: amountsByCurrency.default({}),
  review_first_invoice: z.boolean({ error: 'expected true or false' }).default(true),
  change_tolerance_percent: nonNegative('a percentage such as 25').optional(),
  starter_may_approve: z.boolean({ error: 'expected true or false' }).default(false),
  approvers: z.strictObject({
    users: z.array(slackId('user', 'U'), { error: 'expected a list of Slack user ids' }).default([]),
    usergroups: z
      .array(slackId('user group', 'S'), { error: 'expected a list of user group ids' })
      .default([]),
  }),
});

const sellerSection = z.strictObject({
  name: line,
  address: z.array(line, { error: 'expected a list of address lines' }).default([]),
  tax_id: line.optional(),
  email: z.email({ error: 'expected an email address' }).optional(),
  phone: line.optional(),
});

const brandingSection = z
  .strictObject({
    logo: text.optional(),
    color: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, { error: 'expected a colour such as #1d3557' })
      .default('#1d3557'),
    footer: text.optional(),
  })
  .default({ color: '#1d3557' });

const paymentSection = z
  .strictObject({
    bank: z.array(line, { error: 'expected a list of lines such as "IBAN: GB00 …"' }).default([]),
    pay_link: z
      .string()
      .regex(/^https:\/\/\S+$/, {
        error: 'expected an https:// link; {invoice_number} and {total} are filled in',
      })
      .optional(),
  })
  .default({ bank: [] });

const numberingSection = z
  .strictObject({
    series: code.default('INV'),
    pattern: z
      .string()
      .regex(/\{seq(:\d)?\}/, {
        error: 'expected a pattern with {seq} or {seq:5}, such as INV-{YYYY}-{seq:5}',
      })
      .max(60)
      .refine((pattern) => controlCharacterProblem(pattern) === undefined, {
        error: 'expected a pattern on one line, without control characters, such as INV-{YYYY}-{seq:5}',
      })
      .default('INV-{YYYY}-{seq:5}'),
  })
  .default({ series: 'INV', pattern: 'INV-{YYYY}-{seq:5}' });

/** How lines of one-off orders from a source are booked in the ERP. */
const orderMapping = z
  .strictObject({
    gl_account: line.optional(),
    item_code: line.optional(),
  })
  .default({});

const ordersSection = z
  .strictObject({ shopify: orderMapping, hubspot: orderMapping })
  .default({ shopify: {}, hubspot: {} });

export const DEFAULT_CREDIT_NOTE_EMAIL = {
  subject: 'Credit note {credit_note_number} for invoice {invoice_number} from {seller_name}',
  text: `Hello {customer_name},

Please find attached credit note {credit_note_number} for invoice {invoice_number}: {credit_total}.

Reason: {reason}

Kind regards,
{seller_name}
`,
};

/** The email a credit note is sent with; from and reply_to are the invoice email's. */
const creditNoteEmail = z
  .strictObject({
    subject: line.default(DEFAULT_CREDIT_NOTE_EMAIL.subject),
    text: text.default(DEFAULT_CREDIT_NOTE_EMAIL.text),
    html: text.optional(),
  })
  .default(DEFAULT_CREDIT_NOTE_EMAIL);

const emailSection = z.strictObject({
  from: line,
  reply_to: line.optional(),
  subject: line.default('Invoice {invoice_number} from {seller_name}'),
  text,
  html: text.optional(),
  credit_note: creditNoteEmail,
});

const localTime = z
  .string({ error: "expected a time of day such as '09:00' (24-hour, quoted)" })
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "expected a time of day such as '09:00' (24-hour, quoted)" });

/** A reminder's own email; from and reply_to are the invoice email's. */
const reminderStep = z.strictObject({
  days: wholeNumber(-60, 365),
  subject: line,
  text,
  html: text.optional(),
});

const remindersSection = z
  .strictObject({
    send_at: localTime.default('09:00'),
    minimum: amountsByCurrency.default({}),
    steps: z.array(reminderStep, { error: 'expected a list of reminder steps' }).default([]),
  })
  .default({ send_at: '09:00', minimum: {}, steps: [] });

const overdueSection = z
  .strictObject({
    escalate_after_days: wholeNumber(1, 3650).default(30),
    digest_at: localTime.default('09:00'),
  })
  .default({ escalate_after_days: 30, digest_at: '09:00' });

const customerId = z
  .string({ error: 'expected a customer id (its external_id)' })
  .trim()
  .min(1, { error: 'expected a customer id (its external_id)' })
  .max(200, { error: 'expected a customer id of at most 200 characters' });

const schedule = z.strictObject({
  name: code,
  cron: z.string({ error: "expected a cron expression such as '0 6 1 * *'" }).superRefine((text, context) => {
    const problem = cronExpressionProblem(text);
    if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
  }),
  timezone: timezone.optional(),
  period: z.enum(['previous_month', 'previous_week', 'previous_day'], {
    error: 'expected previous_month, previous_week or previous_day',
  }),
  customers: z
    .union(
      [
        z.literal('all'),
        z.array(customerId, { error: 'expected all or a list of customer ids' }).min(1, {
          error: 'expected at least one customer id, or all',
        }),
      ],
      { error: 'expected all or a list of customer ids' },
    )
    .default('all'),
  catch_up: z.boolean({ error: 'expected true or false' }).default(true),
});

export const billingConfigSchema = z
  .strictObject({
    timezone: timezone.default('UTC'),
    currencies: z.array(currency, { error: 'expected a list of currency codes' }).min(1, {
      error: 'expected at least one currency',
    }),
    zero_amount_invoices: z.enum(['skip', 'draft'], { error: 'expected skip or draft' }).default('skip'),
    payment_terms: z.strictObject({
      default: code,
      terms: z.record(
        code,
        z.strictObject({
          days: wholeNumber(0, 365),
          from: z
            .enum(['issue_date', 'end_of_month'], { error: 'expected issue_date or end_of_month' })
            .default('issue_date'),
        }),
      ),
    }),
    tax: z.strictObject({
      jurisdictions: z.record(
        code,
        z.strictObject({
          label: line,
          rates: z.record(code, rate('a tax rate in percent from 0 to 100, such as 20')),
        }),
      ),
      profiles: z.record(code, taxProfile),
    }),
    plans: z.array(plan, { error: 'expected a list of plans' }),
    slack: slackSection,
    approval: approvalSection,
    seller: sellerSection,
    branding: brandingSection,
    payment: paymentSection,
    numbering: numberingSection,
    email: emailSection,
    schedules: z.array(schedule, { error: 'expected a list of schedules' }).default([]),
    orders: ordersSection,
    reminders: remindersSection,
    overdue: overdueSection,
  })
  .superRefine((config, context) => {
    const issue = (path: (string | number)[], message: string) => {
      context.addIssue({ code: 'custom', path, message });
    };
    if (!(config.payment_terms.default in config.payment_terms.terms)) {
      issue(
        ['payment_terms', 'default'],
        `expected one of the terms below: ${keys(config.payment_terms.terms)}`,
      );
    }
    for (const [name, profile] of Object.entries(config.tax.profiles)) {
      if (profile.treatment === 'standard' && !(profile.jurisdiction in config.tax.jurisdictions)) {
        issue(
          ['tax', 'profiles', name, 'jurisdiction'],
          `expected one of tax.jurisdictions: ${keys(config.tax.jurisdictions)}`,
        );
      }
    }
    if (config.approval.approvers.users.length === 0 && config.approval.approvers.usergroups.length === 0) {
      issue(
        ['approval', 'approvers'],
        'expected at least one approver: a user id under users or a group under usergroups',
      );
    }
    const amountIn = (path: (string | number)[], value: Decimal | undefined, currency: string) => {
      const problem = value === undefined ? undefined : amountProblem(value, currency);
      if (problem !== undefined) issue(path, `expected an amount in ${currency}, but it ${problem}`);
    };
    for (const key of ['auto_approve_below', 'two_approvers_from'] as const) {
      for (const [code, value] of Object.entries(config.approval[key])) {
        if (!config.currencies.includes(code)) {
          issue(['approval', key, code], `expected one of currencies: ${config.currencies.join(', ')}`);
        }
        amountIn(['approval', key, code], value, code);
      }
    }
    for (const [code, value] of Object.entries(config.reminders.minimum)) {
      if (!config.currencies.includes(code)) {
        issue(['reminders', 'minimum', code], `expected one of currencies: ${config.currencies.join(', ')}`);
      }
      amountIn(['reminders', 'minimum', code], value, code);
    }
    const stepDays = new Map<number, number>();
    config.reminders.steps.forEach((step, index) => {
      const earlier = stepDays.get(step.days);
      if (earlier !== undefined) {
        issue(
          ['reminders', 'steps', index, 'days'],
          `expected each step on a day of its own; steps[${earlier}] has days: ${step.days} too`,
        );
      }
      stepDays.set(step.days, index);
    });
    const scheduleNames = new Map<string, number>();
    config.schedules.forEach((entry, index) => {
      const earlier = scheduleNames.get(entry.name);
      if (earlier !== undefined) {
        issue(['schedules', index, 'name'], `expected a unique name; schedules[${earlier}] has it too`);
      }
      scheduleNames.set(entry.name, index);
    });
    const planCodes = new Map<string, number>();
    config.plans.forEach((entry, planIndex) => {
      const at = ['plans', planIndex];
      const earlier = planCodes.get(entry.code);
      if (earlier !== undefined)
        issue([...at, 'code'], `expected a unique code; plans[${earlier}] has it too`);
      planCodes.set(entry.code, planIndex);
      if (!config.currencies.includes(entry.currency)) {
        issue([...at, 'currency'], `expected one of currencies: ${config.currencies.join(', ')}`);
      }
      const seenCodes = new Set<string>();
      const seenMetrics = new Set<string>();
      entry.components.forEach((part, index) => {
        const here = [...at, 'components', index];
        if (seenCodes.has(part.code)) issue([...here, 'code'], 'expected a code unique within the plan');
        seenCodes.add(part.code);
        if (part.model === 'flat' && part.metric !== undefined) {
          issue([...here, 'metric'], 'expected no metric: a flat fee does not depend on usage');
        }
        if (part.model !== 'flat' && part.metric === undefined) {
          issue([...here, 'metric'], `expected the usage metric this ${part.model} price applies to`);
        }
        if (part.metric !== undefined) {
          if (seenMetrics.has(part.metric)) {
            issue([...here, 'metric'], 'expected each metric to be priced once per plan');
          }
          seenMetrics.add(part.metric);
        }
        for (const [jurisdiction, settings] of Object.entries(config.tax.jurisdictions)) {
          if (!(part.tax_category in settings.rates)) {
            issue(
              [...here, 'tax_category'],
              `expected a category with a rate in every jurisdiction; ${jurisdiction} has ${keys(settings.rates)}`,
            );
          }
        }
        // Amounts must fit the plan's currency: JPY 5000.5 is refused, not rounded at drafting.
        if (part.model === 'flat') amountIn([...here, 'amount'], part.amount, entry.currency);
        if (part.model === 'graduated' || part.model === 'volume') {
          part.tiers.forEach((step, tierIndex) => {
            amountIn([...here, 'tiers', tierIndex, 'flat_fee'], step.flat_fee, entry.currency);
          });
        }
        amountIn([...here, 'minimum'], part.minimum, entry.currency);
        if (part.discount && 'amount' in part.discount) {
          amountIn([...here, 'discount', 'amount'], part.discount.amount, entry.currency);
        }
      });
    });
  })
  .transform((config): Omit<BillingConfig, 'source' | 'warnings'> => ({
    timezone: config.timezone,
    seller: {
      name: config.seller.name,
      addressLines: config.seller.address,
      taxId: config.seller.tax_id,
      email: config.seller.email,
      phone: config.seller.phone,
    },
    branding: {
      logoPath: config.branding.logo,
      color: config.branding.color,
      footer: config.branding.footer,
    },
    payment: { bankLines: config.payment.bank, payLink: config.payment.pay_link },
    numbering: config.numbering,
    email: {
      from: config.email.from,
      replyTo: config.email.reply_to,
      subject: config.email.subject,
      text: config.email.text,
      html: config.email.html,
      creditNote: {
        subject: config.email.credit_note.subject,
        text: config.email.credit_note.text,
        html: config.email.credit_note.html,
      },
    },
    slack: {
      billingChannel: config.slack.billing_channel,
      approvalsChannel: config.slack.approvals_channel,
      alertsChannel: config.slack.alerts_channel,
      maxCardsPerRun: config.slack.max_cards_per_run,
    },
    approval: {
      mode: config.approval.mode,
      autoApproveBelow: new Map(Object.entries(config.approval.auto_approve_below)),
      twoApproversFrom: new Map(Object.entries(config.approval.two_approvers_from)),
      reviewFirstInvoice: config.approval.review_first_invoice,
      changeTolerancePercent: config.approval.change_tolerance_percent ?? null,
      starterMayApprove: config.approval.starter_may_approve,
      approvers: { users: config.approval.approvers.users, usergroups: config.approval.approvers.usergroups },
    },
    currencies: config.currencies,
    zeroAmountInvoices: config.zero_amount_invoices,
    orders: {
      shopify: orderMappingOf(config.orders.shopify),
      hubspot: orderMappingOf(config.orders.hubspot),
    },
    reminders: {
      sendAt: config.reminders.send_at,
      minimum: new Map(Object.entries(config.reminders.minimum)),
      steps: [...config.reminders.steps]
        .sort((a, b) => a.days - b.days)
        .map((step) => ({ days: step.days, subject: step.subject, text: step.text, html: step.html })),
    },
    overdue: {
      escalateAfterDays: config.overdue.escalate_after_days,
      digestAt: config.overdue.digest_at,
    },
    schedules: config.schedules.map((entry) => ({
      name: entry.name,
      cron: entry.cron.trim().split(/\s+/).join(' '),
      timezone: entry.timezone ?? config.timezone,
      period: entry.period,
      scope: { customers: entry.customers === 'all' ? 'all' : entry.customers },
      catchUp: entry.catch_up,
    })),
    paymentTerms: {
      defaultCode: config.payment_terms.default,
      terms: new Map(
        Object.entries(config.payment_terms.terms).map(([key, term]) => [key, { code: key, ...term }]),
      ),
    },
    tax: {
      jurisdictions: new Map(
        Object.entries(config.tax.jurisdictions).map(([key, value]) => [
          key,
          { code: key, label: value.label, rates: new Map(Object.entries(value.rates)) },
        ]),
      ),
      profiles: new Map(
        Object.entries(config.tax.profiles).map(([key, value]) => [key, toTaxProfile(key, value)]),
      ),
    },
    plans: new Map(
      config.plans.map((entry) => [
        entry.code,
        {
          code: entry.code,
          name: entry.name,
          currency: entry.currency,
          pricesIncludeTax: entry.prices_include_tax,
          components: entry.components.map(toPlanComponent),
        },
      ]),
    ),
  }));

type RawComponent = z.infer<typeof component>;

function toPlanComponent(part: RawComponent): PlanComponent {
  return {
    code: part.code,
    description: part.description,
    metric: part.metric ?? null,
    model: toPriceModel(part),
    minimum: part.minimum,
    discount: toDiscount(part.discount),
    taxCategory: part.tax_category,
    glAccount: part.gl_account,
    itemCode: part.item_code,
    tracking: part.tracking ?? {},
  };
}

function toPriceModel(part: RawComponent): PriceModel {
  switch (part.model) {
    case 'flat':
      return { kind: 'flat', amount: part.amount };
    case 'per_unit':
      return { kind: 'per_unit', unitPrice: part.unit_price };
    case 'graduated':
    case 'volume':
      return { kind: part.model, tiers: part.tiers.map(toTier) };
    case 'package':
      return { kind: 'package', packageSize: part.package_size, packagePrice: part.package_price };
    case 'percentage':
      return { kind: 'percentage', percent: part.percent };
  }
}

function toTier(entry: z.infer<typeof tier>): Tier {
  return {
    upTo: entry.up_to ?? null,
    unitPrice: entry.unit_price,
    flatFee: entry.flat_fee ?? new Decimal(0),
  };
}

function toDiscount(entry: z.infer<typeof discount> | undefined): Discount | undefined {
  if (entry === undefined) return undefined;
  return 'percent' in entry
    ? { kind: 'percent', percent: entry.percent }
    : { kind: 'amount', amount: entry.amount };
}

function toTaxProfile(key: string, entry: z.infer<typeof taxProfile>): TaxProfile {
  return entry.treatment === 'standard'
    ? { code: key, treatment: 'standard', jurisdiction: entry.jurisdiction, erpTaxType: entry.erp_tax_type }
    : { code: key, treatment: entry.treatment, note: entry.note, erpTaxType: entry.erp_tax_type };
}

function keys(record: Record<string, unknown>): string {
  const names = Object.keys(record);
  return names.length === 0 ? '(none defined)' : names.join(', ');
}

function orderMappingOf(mapping: {
  gl_account?: string | undefined;
  item_code?: string | undefined;
}): OrderMapping {
  return {
    ...(mapping.gl_account === undefined ? {} : { glAccount: mapping.gl_account }),
    ...(mapping.item_code === undefined ? {} : { itemCode: mapping.item_code }),
  };
}
