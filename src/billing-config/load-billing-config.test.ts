import { describe, expect, it } from 'vitest';
import { BillingConfigError, loadBillingConfig, parseBillingConfig } from './load-billing-config.ts';

const VALID = `
timezone: Europe/London
slack: { billing_channel: C0BILLING, alerts_channel: C0ALERTS }
approval: { approvers: { users: [U0APPROVER1] } }
seller: { name: Test Ltd }
email: { from: billing@test.example, text: Hello }
currencies: [GBP, JPY]
payment_terms:
  default: net_30
  terms:
    net_30: { days: 30 }
tax:
  jurisdictions:
    GB: { label: VAT, rates: { standard: 20 } }
  profiles:
    gb_vat: { treatment: standard, jurisdiction: GB }
plans:
  - code: starter
    name: Starter
    currency: GBP
    components:
      - { code: fee, description: Fee, model: flat, amount: 0.1 }
      - code: calls
        description: Calls
        metric: api_calls
        model: graduated
        tiers:
          - { up_to: 10000, unit_price: 0 }
          - { up_to: 100000, unit_price: 0.000000000012 }
          - { unit_price: 0.001 }
`;

const SCHEDULES = `
schedules:
  - name: monthly
    cron: '0 6 1 * *'
    period: previous_month
  - name: weekly-acme
    cron: 30 7 * * MON
    timezone: America/New_York
    period: previous_week
    customers: [acme, 42]
    catch_up: false
`;

const REMINDERS = `
reminders:
  send_at: '08:30'
  minimum: { GBP: 4.99 }
  steps:
    - days: 7
      subject: 'Overdue: {invoice_number}'
      text: '{outstanding} outstanding'
      html: '<p>Pay</p>'
    - days: -3
      subject: 'Due soon: {invoice_number}'
      text: 'Due {due_date}'
overdue:
  escalate_after_days: 45
`;

function problemsOf(text: string): string[] {
  try {
    parseBillingConfig(text, 'billing.yml');
  } catch (error) {
    if (error instanceof BillingConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be refused');
}

describe('loadBillingConfig', () => {
  it('reads the committed example', async () => {
    const config = await loadBillingConfig('billing.example.yml');
    expect([...config.plans.keys()]).toEqual(['starter', 'growth', 'marketplace_eu', 'api_us']);
    expect(config.schedules.map((entry) => [entry.name, entry.cron, entry.timezone, entry.period])).toEqual([
      ['monthly', '0 6 1 * *', 'Europe/London', 'previous_month'],
    ]);
    expect(config.paymentTerms.terms.get('eom_30')).toEqual({
      code: 'eom_30',
      days: 30,
      from: 'end_of_month',
    });
  });

  it('keeps every number exactly as written, to the 12th decimal place', () => {
    const config = parseBillingConfig(VALID, 'billing.yml');
    const [fee, calls] = config.plans.get('starter')?.components ?? [];
    expect(fee?.model).toMatchObject({ kind: 'flat' });
    expect(fee?.model.kind === 'flat' && fee.model.amount.toFixed()).toBe('0.1');
    const tiers = calls?.model.kind === 'graduated' ? calls.model.tiers : [];
    expect(tiers.map((tier) => [tier.upTo?.toFixed() ?? null, tier.unitPrice.toFixed()])).toEqual([
      ['10000', '0'],
      ['100000', '0.000000000012'],
      [null, '0.001'],
    ]);
    expect(calls?.taxCategory).toBe('standard');
  });

  it('names the file, line, path and expectation for a tier out of order', () => {
    const text = VALID.replace('up_to: 100000', 'up_to: 5000');
    expect(problemsOf(text)).toEqual([
      'billing.yml:29:22 plans[0].components[1].tiers[1].up_to: expected a quantity greater than the previous tier\'s up_to (10000) (got "5000")',
    ]);
  });

  it.each([
    ['an unknown currency', VALID.replace('[GBP, JPY]', '[GBP, XYZ]'), 'currencies[1]: expected an ISO 4217'],
    [
      'a plan in an undeclared currency',
      VALID.replace('currency: GBP', 'currency: EUR'),
      'plans[0].currency: expected one of currencies: GBP, JPY',
    ],
    [
      'a misspelt key',
      VALID.replace('unit_price: 0.001', 'unit_prise: 0.001'),
      'plans[0].components[1].tiers[2]: Unrecognized key: "unit_prise"',
    ],
    [
      'an unknown model',
      VALID.replace('model: graduated', 'model: stepped'),
      'plans[0].components[1].model: expected model: flat, per_unit',
    ],
    [
      'a metered price with no metric',
      VALID.replace('metric: api_calls', ''),
      'plans[0].components[1].metric: expected the usage metric',
    ],
    [
      'a bounded last tier',
      VALID.replace('- { unit_price: 0.001 }', '- { up_to: 200000, unit_price: 0.001 }'),
      'tiers[2].up_to: expected no up_to on the last tier',
    ],
    [
      'an amount that is not a number',
      VALID.replace('amount: 0.1', 'amount: ten'),
      'plans[0].components[0].amount: expected an amount of 0 or more (got "ten")',
    ],
    [
      'a default term that does not exist',
      VALID.replace('default: net_30', 'default: net_60'),
      'payment_terms.default: expected one of the terms below: net_30',
    ],
    [
      'a tax profile in an unknown jurisdiction',
      VALID.replace('jurisdiction: GB', 'jurisdiction: FR'),
      'tax.profiles.gb_vat.jurisdiction: expected one of tax.jurisdictions: GB',
    ],
    [
      'a tax category without a rate',
      VALID.replace('model: flat,', 'model: flat, tax_category: reduced,'),
      'plans[0].components[0].tax_category: expected a category with a rate in every jurisdiction; GB has standard',
    ],
    [
      'a unit price with 13 decimal places',
      VALID.replace('unit_price: 0.001 }', 'unit_price: 0.0000000000001 }'),
      'plans[0].components[1].tiers[2].unit_price: expected a unit price of 0 or more, but it has 13 decimal places; a unit price may have at most 12, so round it (got "0.0000000000001")',
    ],
    [
      'a JPY flat amount of 5000.5',
      VALID.replace('currency: GBP\n', 'currency: JPY\n').replace('amount: 0.1', 'amount: 5000.5'),
      'plans[0].components[0].amount: expected an amount in JPY, but it has 1 decimal place, but JPY amounts have none (its minor unit); write a whole number of minor units, such as 5001 (got "5000.5")',
    ],
    [
      'a GBP minimum of 10.005',
      VALID.replace('metric: api_calls', 'metric: api_calls\n        minimum: 10.005'),
      'plans[0].components[1].minimum: expected an amount in GBP, but it has 3 decimal places, but GBP amounts have at most 2',
    ],
    [
      'a flat fee of 13 digits',
      VALID.replace('amount: 0.1', 'amount: 1000000000000'),
      'plans[0].components[0].amount: expected an amount of 0 or more, but it is beyond 999,999,999,999, the largest amount billops accepts',
    ],
    [
      'a tier up_to of 16 digits',
      VALID.replace('up_to: 100000', 'up_to: 1000000000000000'),
      'tiers[1].up_to: expected a quantity greater than 0, or nothing for the last tier, but it is beyond 999,999,999,999,999, the largest quantity',
    ],
    [
      'a tax rate of 150',
      VALID.replace('rates: { standard: 20 }', 'rates: { standard: 150 }'),
      'tax.jurisdictions.GB.rates.standard: expected a tax rate in percent from 0 to 100, such as 20, but it is not between 0 and 100; write the rate in percent, such as 20 for 20% (got "150")',
    ],
    [
      'a discount of 120 percent',
      VALID.replace('model: flat,', 'model: flat, discount: { percent: 120 },'),
      'plans[0].components[0].discount.percent: expected a percentage above 0 and at most 100, but it is not between 0 and 100',
    ],
    [
      'a plan name with a line break',
      VALID.replace('name: Starter', 'name: "Starter\\r\\nBcc: x@example.com"'),
      'plans[0].name: expected one line of text, but it contains a line break (CR) at character 8; it must be one line of plain text',
    ],
    [
      'a component description with a tab',
      VALID.replace('description: Fee', 'description: "Fee\\tand more"'),
      'plans[0].components[0].description: expected one line of text, but it contains a tab at character 4',
    ],
    [
      'an email subject with a line break',
      VALID.replace('text: Hello }', 'text: Hello, subject: "Invoice\\nBcc: x@example.com" }'),
      'email.subject: expected one line of text, but it contains a line break (LF) at character 8',
    ],
    [
      'a seller name with a NUL',
      VALID.replace('name: Test Ltd', 'name: "Test\\0Ltd"'),
      'seller.name: expected one line of text, but it contains a NUL character at character 5',
    ],
    [
      'a time zone that does not exist',
      VALID.replace('Europe/London', 'Europe/Londres'),
      'timezone: expected an IANA time zone',
    ],
  ])('refuses %s', (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems.join('\n')).toContain(expected);
    expect(problems.every((problem) => /^billing\.yml:\d+:\d+ /.test(problem))).toBe(true);
  });

  it('reads schedules, with the config time zone, all customers and catch-up by default', () => {
    const config = parseBillingConfig(VALID + SCHEDULES, 'billing.yml');
    expect(config.schedules).toEqual([
      {
        name: 'monthly',
        cron: '0 6 1 * *',
        timezone: 'Europe/London',
        period: 'previous_month',
        scope: { customers: 'all' },
        catchUp: true,
      },
      {
        name: 'weekly-acme',
        cron: '30 7 * * MON',
        timezone: 'America/New_York',
        period: 'previous_week',
        scope: { customers: ['acme', '42'] },
        catchUp: false,
      },
    ]);
    expect(parseBillingConfig(VALID, 'billing.yml').schedules).toEqual([]);
  });

  it('names the line, the schedule and the field for a cron expression out of range', () => {
    expect(problemsOf(VALID + SCHEDULES.replace("'0 6 1 * *'", "'0 25 1 * *'"))).toEqual([
      `billing.yml:34:11 schedules[0].cron: expected the hour field within 0-23 in '0 6 1 * *' (minute hour day-of-month month day-of-week); "25" is not (got "0 25 1 * *")`,
    ]);
  });

  it.each([
    [
      'a cron expression with seconds',
      "'0 0 6 1 * *'",
      'schedules[0].cron: expected a cron expression of 5 fields such as',
    ],
    [
      'a cron expression that is not one',
      'monthly',
      'schedules[0].cron: expected a cron expression of 5 fields',
    ],
    [
      'a cron expression that never fires',
      "'0 6 30 2 *'",
      'schedules[0].cron: expected a day-of-month that exists in the months given; this expression would never fire',
    ],
    ['a bad day-of-week', "'0 6 * * FUN'", 'schedules[0].cron: expected a valid day-of-week field'],
  ])('refuses %s', (_name, cron, expected) => {
    const problems = problemsOf(VALID + SCHEDULES.replace("'0 6 1 * *'", cron));
    expect(problems.join('\n')).toContain(expected);
    expect(problems.every((problem) => /^billing\.yml:\d+:\d+ /.test(problem))).toBe(true);
  });

  it.each([
    [
      'two schedules with one name',
      SCHEDULES.replace('name: weekly-acme', 'name: monthly'),
      'schedules[1].name: expected a unique name; schedules[0] has it too',
    ],
    [
      'an unknown period',
      SCHEDULES.replace('period: previous_week', 'period: fortnightly'),
      'schedules[1].period: expected previous_month, previous_week or previous_day',
    ],
    [
      'a time zone that does not exist',
      SCHEDULES.replace('America/New_York', 'America/Gotham'),
      'schedules[1].timezone: expected an IANA time zone',
    ],
    [
      'an empty customer list',
      SCHEDULES.replace('[acme, 42]', '[]'),
      'schedules[1].customers: expected at least one customer id, or all',
    ],
    [
      'customers that are neither all nor a list',
      SCHEDULES.replace('[acme, 42]', 'everyone'),
      'schedules[1].customers: expected all or a list of customer ids',
    ],
    [
      'a misspelt key',
      SCHEDULES.replace('catch_up:', 'catchup:'),
      'schedules[1]: Unrecognized key: "catchup"',
    ],
  ])('refuses %s', (_name, schedules, expected) => {
    const problems = problemsOf(VALID + schedules);
    expect(problems.join('\n')).toContain(expected);
    expect(problems.every((problem) => /^billing\.yml:\d+:\d+ /.test(problem))).toBe(true);
  });

  it('reads the example reminders and overdue settings', async () => {
    const config = await loadBillingConfig('billing.example.yml');
    expect(config.reminders.sendAt).toBe('09:00');
    expect([...config.reminders.minimum].map(([code, amount]) => [code, amount.toFixed()])).toEqual([
      ['GBP', '5'],
      ['EUR', '5'],
      ['USD', '5'],
    ]);
    expect(config.reminders.steps.map((step) => step.days)).toEqual([-3, 0, 1, 7]);
    expect(config.reminders.steps[0]?.subject).toBe('Invoice {invoice_number} is due on {due_date}');
    expect(config.reminders.steps[0]?.text).toContain('{outstanding} outstanding');
    expect(config.overdue).toEqual({ escalateAfterDays: 30, digestAt: '09:00' });
  });

  it('sends no reminders and escalates after 30 days when the sections are left out', () => {
    const config = parseBillingConfig(VALID, 'billing.yml');
    expect(config.reminders).toEqual({ sendAt: '09:00', minimum: new Map(), steps: [] });
    expect(config.overdue).toEqual({ escalateAfterDays: 30, digestAt: '09:00' });
  });

  it('sorts reminder steps by day and keeps minimums exact', () => {
    const config = parseBillingConfig(VALID + REMINDERS, 'billing.yml');
    expect(config.reminders.sendAt).toBe('08:30');
    expect(config.reminders.minimum.get('GBP')?.toFixed()).toBe('4.99');
    expect(config.reminders.steps).toEqual([
      { days: -3, subject: 'Due soon: {invoice_number}', text: 'Due {due_date}', html: undefined },
      {
        days: 7,
        subject: 'Overdue: {invoice_number}',
        text: '{outstanding} outstanding',
        html: '<p>Pay</p>',
      },
    ]);
    expect(config.overdue).toEqual({ escalateAfterDays: 45, digestAt: '09:00' });
  });

  it.each([
    [
      'a send time that is not a time of day',
      REMINDERS.replace("'08:30'", "'8.30am'"),
      'reminders.send_at: expected a time of day such as \'09:00\' (24-hour, quoted) (got "8.30am")',
    ],
    [
      'a minimum in an undeclared currency',
      REMINDERS.replace('GBP: 4.99', 'EUR: 5'),
      'reminders.minimum.EUR: expected one of currencies: GBP, JPY',
    ],
    [
      'two steps on one day',
      REMINDERS.replace('days: -3', 'days: 7'),
      'reminders.steps[1].days: expected each step on a day of its own; steps[0] has days: 7 too',
    ],
    [
      'a step day that is not a whole number',
      REMINDERS.replace('days: -3', 'days: 1.5'),
      'reminders.steps[1].days: expected a whole number from -60 to 365',
    ],
    [
      'a step without a text',
      REMINDERS.replace("      text: 'Due {due_date}'\n", ''),
      'reminders.steps[1].text: expected text',
    ],
    [
      'a misspelt step key',
      REMINDERS.replace("subject: 'Due soon", "subjet: 'Due soon"),
      'reminders.steps[1]: Unrecognized key: "subjet"',
    ],
    [
      'an escalation age of zero',
      REMINDERS.replace('escalate_after_days: 45', 'escalate_after_days: 0'),
      'overdue.escalate_after_days: expected a whole number from 1 to 3650',
    ],
  ])('refuses %s', (_name, reminders, expected) => {
    const problems = problemsOf(VALID + reminders);
    expect(problems.join('\n')).toContain(expected);
    expect(problems.every((problem) => /^billing\.yml:\d+:\d+ /.test(problem))).toBe(true);
  });

  it('reports YAML syntax errors with their position', () => {
    expect(problemsOf('plans: [\n  a: {')[0]).toMatch(/^billing\.yml:2:\d+: YAML syntax: /);
  });

  it('says what to do when the file is missing', async () => {
    await expect(loadBillingConfig('does-not-exist.yml')).rejects.toThrow(
      'does-not-exist.yml:\n  - no such file; copy billing.example.yml to start one',
    );
  });

  it('warns, without refusing, about a tax rate or discount below 1 percent (20 meant, not 0.2?)', () => {
    const config = parseBillingConfig(
      VALID.replace('rates: { standard: 20 }', 'rates: { standard: 0.2 }').replace(
        'model: flat,',
        'model: flat, discount: { percent: 0.5 },',
      ),
      'billing.yml',
    );
    expect(config.warnings).toEqual([
      'billing.yml:14:42 tax.jurisdictions.GB.rates.standard: 0.2 is below 1 percent; rates are in percent, so did you mean 20 rather than 0.2? (If 0.2% is right, ignore this.)',
      'billing.yml:22:74 plans[0].components[0].discount.percent: 0.5 is below 1 percent; rates are in percent, so did you mean 50 rather than 0.5? (If 0.5% is right, ignore this.)',
    ]);
    expect(parseBillingConfig(VALID, 'billing.yml').warnings).toEqual([]);
  });

  it('reads JPY and USD amounts that fit their minor units, and the committed example without warnings', async () => {
    const config = parseBillingConfig(
      VALID.replace('currency: GBP\n', 'currency: JPY\n').replace('amount: 0.1', 'amount: 5000'),
      'billing.yml',
    );
    expect(config.plans.get('starter')?.currency).toBe('JPY');
    expect((await loadBillingConfig('billing.example.yml')).warnings).toEqual([]);
  });
});
