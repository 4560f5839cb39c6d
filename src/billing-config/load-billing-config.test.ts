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
          - { up_to: 100000, unit_price: 0.0000000000000000012345678901234567 }
          - { unit_price: 0.001 }
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
    expect(config.paymentTerms.terms.get('eom_30')).toEqual({
      code: 'eom_30',
      days: 30,
      from: 'end_of_month',
    });
  });

  it('keeps every number exactly as written, however many digits', () => {
    const config = parseBillingConfig(VALID, 'billing.yml');
    const [fee, calls] = config.plans.get('starter')?.components ?? [];
    expect(fee?.model).toMatchObject({ kind: 'flat' });
    expect(fee?.model.kind === 'flat' && fee.model.amount.toFixed()).toBe('0.1');
    const tiers = calls?.model.kind === 'graduated' ? calls.model.tiers : [];
    expect(tiers.map((tier) => [tier.upTo?.toFixed() ?? null, tier.unitPrice.toFixed()])).toEqual([
      ['10000', '0'],
      ['100000', '0.0000000000000000012345678901234567'],
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
      'a time zone that does not exist',
      VALID.replace('Europe/London', 'Europe/Londres'),
      'timezone: expected an IANA time zone',
    ],
  ])('refuses %s', (_name, text, expected) => {
    const problems = problemsOf(text);
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
});
