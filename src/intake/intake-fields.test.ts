import { describe, expect, it } from 'vitest';
import { customerRowSchema, CUSTOMER_COLUMNS } from './customer-row-schema.ts';
import { testCatalog } from './fixtures/catalog.ts';
import { ImpreciseJsonNumber } from './parse-json-text.ts';
import { subscriptionRowSchema, SUBSCRIPTION_COLUMNS } from './subscription-row-schema.ts';
import { usageEventSchema, USAGE_COLUMNS } from './usage-event-schema.ts';
import { validateRows } from './validate-rows.ts';

const event = {
  event_id: 'evt_1',
  customer: 'acme',
  metric: 'api_calls',
  quantity: '12.5',
  occurred_at: '2026-11-01T09:30:00Z',
};

function usageProblems(data: unknown) {
  return validateRows([{ row: 7, data }], usageEventSchema, { noun: 'usage event', columns: USAGE_COLUMNS })
    .problems;
}

function usageValue(data: Record<string, unknown>) {
  const { valid, problems } = validateRows([{ row: 1, data }], usageEventSchema, {
    noun: 'usage event',
    columns: USAGE_COLUMNS,
  });
  expect(problems).toEqual([]);
  return valid[0]?.value;
}

describe('usage event fields', () => {
  it.each([
    ['quantity', '12,5', 'expected a decimal number such as 12.5, got "12,5"'],
    ['quantity', '', 'expected a decimal number such as 12.5, got nothing'],
    ['quantity', '1e3', 'expected a decimal number such as 12.5, got "1e3"'],
    [
      'quantity',
      0.1 + 0.2,
      'expected a decimal number such as 12.5, got the JSON number 0.30000000000000004, which has more than 15 significant digits and is not exact; send it as a string',
    ],
    [
      'quantity',
      new ImpreciseJsonNumber('12345678901234567890'),
      'expected a decimal number such as 12.5, got the JSON number 12345678901234567890, which has more than 15 significant digits and loses some as a JSON number; send it as a string: "12345678901234567890"',
    ],
    [
      'occurred_at',
      '2026-11-01T09:30:00',
      'expected an ISO 8601 time with a UTC offset, such as 2026-11-01T09:30:00Z or 2026-11-01T10:30:00+01:00, got "2026-11-01T09:30:00", which has no offset and is ambiguous',
    ],
    [
      'occurred_at',
      '2026-02-30T09:30:00Z',
      'expected an ISO 8601 time with a UTC offset, such as 2026-11-01T09:30:00Z or 2026-11-01T10:30:00+01:00 (a real date and time), got "2026-02-30T09:30:00Z"',
    ],
    ['occurred_at', '2026-11-01', expect.stringMatching(/^expected an ISO 8601 time/)],
    ['metric', 'api calls', expect.stringMatching(/^expected a metric name .*, got "api calls"$/)],
    ['event_id', 'e'.repeat(201), 'expected a unique event id of at most 200 characters, got 201 characters'],
    ['customer', 42, `expected the customer's external id as text, got the number 42`],
    ['properties', '[1,2]', 'expected a JSON object such as {"region":"eu"}, got "[1,2]"'],
    [
      'quantity',
      '1'.repeat(40),
      `expected a decimal number such as 12.5, got "${'1'.repeat(40)}", which is beyond 999,999,999,999,999, the largest quantity billops accepts; check the figure (a unit mix-up, or digits pasted twice?)`,
    ],
    [
      'quantity',
      '0.0000000000001',
      'expected a decimal number such as 12.5, got "0.0000000000001", which has 13 decimal places; a quantity may have at most 12, so round it',
    ],
    [
      'event_id',
      'evt\u00001',
      expect.stringMatching(
        /^expected a unique event id, got "evt\\u00001", which contains a NUL character at character 4;/,
      ),
    ],
    [
      'properties',
      '{"a":',
      expect.stringMatching(/^expected a JSON object .*, got text that is invalid JSON at line 1/),
    ],
  ])('refuses %s = %j with what was expected', (field, value, message: unknown) => {
    expect(usageProblems({ ...event, [field]: value })).toEqual([{ row: 7, field, message }]);
  });

  it('never echoes more than 100 characters of what was sent', () => {
    const [problem] = usageProblems({ ...event, quantity: 'x'.repeat(5000) });
    expect(problem?.message).toBe(`expected a decimal number such as 12.5, got "${'x'.repeat(100)}…"`);
  });

  it('names unknown fields and a row that is not an object', () => {
    expect(usageProblems({ ...event, colour: 'red' })).toEqual([
      {
        row: 7,
        field: 'colour',
        message: 'unknown field; expected only event_id, customer, metric, quantity, occurred_at, properties',
      },
    ]);
    expect(usageProblems('evt_1')).toEqual([
      {
        row: 7,
        field: '',
        message:
          'expected an object with the usage event fields (event_id, customer, metric, quantity, occurred_at, …), got "evt_1"',
      },
    ]);
  });

  it('reads any offset into one UTC instant to the microsecond', () => {
    expect(usageValue({ ...event, occurred_at: '2026-11-01T10:30:00+01:00' })?.occurred_at).toBe(
      '2026-11-01T09:30:00.000000Z',
    );
    expect(usageValue({ ...event, occurred_at: '2026-03-01T00:30:00.5+0100' })?.occurred_at).toBe(
      '2026-02-28T23:30:00.500000Z',
    );
    expect(usageValue({ ...event, occurred_at: '2026-11-01 09:30:00.123456789z' })?.occurred_at).toBe(
      '2026-11-01T09:30:00.123456Z',
    );
  });

  it('takes negative corrections, JSON numbers that are exact, and properties as JSON text', () => {
    const value = usageValue({ ...event, quantity: -3, properties: '{"region":"eu","n":[1,true,null]}' });
    expect(value?.quantity.toString()).toBe('-3');
    expect(value?.properties).toEqual({ region: 'eu', n: [1, true, null] });
  });
});

describe('customer fields', () => {
  const customer = { external_id: 'acme', name: 'Acme', currency: 'EUR' };
  const problems = (data: Record<string, unknown>) =>
    validateRows([{ row: 3, data }], customerRowSchema(testCatalog), {
      noun: 'customer',
      columns: CUSTOMER_COLUMNS,
    }).problems;

  it.each([
    ['currency', 'GBP', 'expected a currency from billing.yml (EUR, USD), got "GBP"'],
    ['payment_terms', 'net_90', 'expected payment terms from billing.yml (net_14, net_30), got "net_90"'],
    [
      'email_to',
      'a@example.com; nope',
      'expected email addresses such as billing@example.com, separated by ";", got "nope"',
    ],
    ['country', 'Germany', 'expected an ISO 3166 two-letter country code such as DE or US, got "Germany"'],
    ['country', 'EU', 'expected an ISO 3166 two-letter country code such as DE or US, got "EU"'],
    [
      'timezone',
      'Mars/Olympus',
      'expected an IANA time zone such as Europe/Berlin or UTC, got "Mars/Olympus"',
    ],
    ['hold_for_review', 'maybe', 'expected true or false (also yes/no, 1/0), got "maybe"'],
    ['reminders_opt_out', 'perhaps', 'expected true or false (also yes/no, 1/0), got "perhaps"'],
    ['name', '  ', 'expected the customer name, got nothing'],
    [
      'name',
      'Acme\r\nBcc: victim@example.com',
      'expected the customer name, got "Acme\\r\\nBcc: victim@example.com", which contains a line break (CR) at character 5; it must be one line of plain text, so remove it (often a line break typed inside a spreadsheet cell)',
    ],
    [
      'external_id',
      'acme\u0085',
      expect.stringMatching(/contains the control character U\+0085 at character 5/),
    ],
    [
      'tax_id',
      'DE\t123',
      expect.stringMatching(/^expected a tax id such as DE123456789, got .*contains a tab/),
    ],
    ['address_line1', 'Main St\u2028 1', expect.stringMatching(/contains a line separator \(U\+2028\)/)],
    ['city', 'Berlin\u001b[31m', expect.stringMatching(/contains an escape character \(ESC\)/)],
  ])('refuses %s = %j', (field, value, message: unknown) => {
    expect(problems({ ...customer, [field]: value })).toEqual([{ row: 3, field, message }]);
  });

  it('accepts an empty recipient list: the billing run flags a missing recipient, intake does not', () => {
    expect(problems({ ...customer, email_to: '' })).toEqual([]);
    expect(problems({ ...customer, email_to: [] })).toEqual([]);
  });
});

describe('subscription fields', () => {
  const subscription = { external_id: 'sub_1', customer: 'acme', plan: 'pro', starts_on: '2026-01-01' };
  const problems = (data: Record<string, unknown>) =>
    validateRows([{ row: 2, data }], subscriptionRowSchema(testCatalog), {
      noun: 'subscription',
      columns: SUBSCRIPTION_COLUMNS,
    }).problems;

  it.each([
    ['plan', 'gold', 'expected a plan code from billing.yml (basic, pro), got "gold"'],
    ['starts_on', '01/11/2026', 'expected a date as YYYY-MM-DD such as 2026-11-01, got "01/11/2026"'],
    [
      'starts_on',
      '2026-02-29',
      'expected a date as YYYY-MM-DD such as 2026-11-01 (a real date), got "2026-02-29"',
    ],
    [
      'ends_on',
      '2026-01-01',
      'expected a date after starts_on (2026-01-01); ends_on is the first day no longer billed, got "2026-01-01"',
    ],
    ['discount_percent', '120', 'expected a percentage from 0 to 100 such as 12.5, got "120"'],
    ['discount_amount', '-5', 'expected an amount of at least 0 such as 50.00, got "-5"'],
    [
      'discount_amount',
      '10.005',
      'expected an amount in EUR (plan pro\'s currency), got "10.005", which has 3 decimal places, but EUR amounts have at most 2 (its minor unit); write a whole number of minor units, such as 10.01',
    ],
    [
      'discount_amount',
      '1000000000000',
      expect.stringMatching(/got "1000000000000", which is beyond 999,999,999,999, the largest amount/),
    ],
    [
      'discount_percent',
      '12.0000000000001',
      'expected a percentage from 0 to 100 such as 12.5, got "12.0000000000001", which has 13 decimal places; a rate may have at most 12, so round it',
    ],
    ['customer', 'ac\nme', expect.stringMatching(/^expected the customer's external id, got/)],
    ['prorate', 'sometimes', 'expected true or false (also yes/no, 1/0), got "sometimes"'],
  ])('refuses %s = %j', (field, value, message: unknown) => {
    expect(problems({ ...subscription, [field]: value })).toEqual([{ row: 2, field, message }]);
  });

  it('refuses a JPY discount_amount of 10.5 instead of rounding it', () => {
    const catalog = {
      ...testCatalog,
      planCodes: new Set(['yen_plan']),
      planCurrencies: new Map([['yen_plan', 'JPY']]),
    };
    const refused = validateRows(
      [{ row: 5, data: { ...subscription, plan: 'yen_plan', discount_amount: '10.5' } }],
      subscriptionRowSchema(catalog),
      { noun: 'subscription', columns: SUBSCRIPTION_COLUMNS },
    ).problems;
    expect(refused).toEqual([
      {
        row: 5,
        field: 'discount_amount',
        message:
          'expected an amount in JPY (plan yen_plan\'s currency), got "10.5", which has 1 decimal place, but JPY amounts have none (its minor unit); write a whole number of minor units, such as 11',
      },
    ]);
  });
});
