import { describe, expect, it } from 'vitest';
import { parseInvoiceCommand } from './parse-invoice-command.ts';

describe('parseInvoiceCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['  HELP  ', { kind: 'help' }],
    ['frobnicate now', { kind: 'unknown', input: 'frobnicate now' }],
    ['stauts', { kind: 'unknown', input: 'stauts', suggestion: 'status' }],
    ['shwo INV-2026-00001', { kind: 'unknown', input: 'shwo INV-2026-00001', suggestion: 'show' }],
    ['run', { kind: 'run', period: '', dryRun: false, force: false, customers: [] }],
    ['  run\t 2026-10 --dry', { kind: 'run', period: '2026-10', dryRun: true, force: false, customers: [] }],
    [
      'run acme 2026-10-01..2026-10-14 globex',
      {
        kind: 'run',
        period: '2026-10-01..2026-10-14',
        dryRun: false,
        force: false,
        customers: ['acme', 'globex'],
      },
    ],
    ['run 2099-07 --force', { kind: 'run', period: '2099-07', dryRun: false, force: true, customers: [] }],
    ['status', { kind: 'status', runId: undefined }],
    [
      'status 0c6e2b1a-1111-4222-8333-444455556666',
      { kind: 'status', runId: '0c6e2b1a-1111-4222-8333-444455556666' },
    ],
    ['show INV-2026-00001', { kind: 'show', reference: 'INV-2026-00001' }],
    ['review acme', { kind: 'review', customer: 'acme' }],
    [
      'paid INV-2026-00012 40.00',
      { kind: 'paid', number: 'INV-2026-00012', amount: '40.00', paidOn: undefined, again: false },
    ],
    [
      'PAID  INV-2026-00012 1200 2026-11-20',
      { kind: 'paid', number: 'INV-2026-00012', amount: '1200', paidOn: '2026-11-20', again: false },
    ],
    [
      'paid INV-2026-00012 40.00 2026-11-20 --again',
      { kind: 'paid', number: 'INV-2026-00012', amount: '40.00', paidOn: '2026-11-20', again: true },
    ],
    [
      'void INV-2026-00012 billed the wrong customer',
      { kind: 'void', number: 'INV-2026-00012', reason: 'billed the wrong customer' },
    ],
    [
      'credit INV-2026-00012 all the service was not delivered',
      {
        kind: 'credit',
        number: 'INV-2026-00012',
        amount: undefined,
        reason: 'the service was not delivered',
        again: false,
      },
    ],
    [
      'credit INV-2026-00012 24.00 one seat was not used',
      {
        kind: 'credit',
        number: 'INV-2026-00012',
        amount: '24.00',
        reason: 'one seat was not used',
        again: false,
      },
    ],
    [
      'credit INV-2026-00012 24.00 one seat was not used --again',
      {
        kind: 'credit',
        number: 'INV-2026-00012',
        amount: '24.00',
        reason: 'one seat was not used',
        again: true,
      },
    ],
    [
      'credit INV-2026-00012 ALL billed the wrong month',
      {
        kind: 'credit',
        number: 'INV-2026-00012',
        amount: undefined,
        reason: 'billed the wrong month',
        again: false,
      },
    ],
  ])('reads %j', (text, expected) => {
    expect(parseInvoiceCommand(text)).toEqual(expected);
  });

  it.each([
    ['run --forced', 'unknown option --forced; the options are --dry and --force'],
    ['run 2026-10 2026-11', 'two periods (2026-10 and 2026-11); give one'],
    ['run 2026-1', '"2026-1" is not a period; use a month (2026-10)'],
    ['run <!channel>', '"<!channel>" is not a customer id'],
    ['status last', '"last" is not a run id'],
    ['show', 'show needs one invoice number or customer id'],
    ['review', 'review needs the id of the customer'],
    ['paid INV-2026-00012', 'paid needs the invoice number and the amount received'],
    ['paid INV-2026-00012 40 2026-11-20 extra', 'paid needs the invoice number and the amount received'],
    ['paid INV-2026-00012 £40', '"£40" is not an amount'],
    ['paid INV-2026-00012 1,200.00', '"1,200.00" is not an amount'],
    ['paid INV-2026-00012 -5', '"-5" is not an amount'],
    ['paid INV-2026-00012 40 2026-02-30', '"2026-02-30" is not a date'],
    ['paid <!channel> 40', '"<!channel>" is not an invoice number'],
    ['void', 'void needs the invoice number, then why'],
    ['void INV-2026-00012', 'say why INV-2026-00012 is voided, in at least 3 words'],
    ['void INV-2026-00012 duplicate', 'in at least 3 words'],
    ['void <!here> wrong customer entirely', '"<!here>" is not an invoice number'],
    ['credit INV-2026-00012 20 wrong', 'say why INV-2026-00012 is credited'],
    ['credit INV-2026-00012', 'credit needs the invoice number, the amount (or all), then why'],
    // A reason that happens to start with a number is not an amount: the amount must be said.
    ['credit INV-2026-00012 seats were not used', '"seats" is not an amount'],
    ['credit INV-2026-00012 £20 seat not used', '"£20" is not an amount'],
    ['credit INV-2026-00012 1,200 seat not used', '"1,200" is not an amount'],
  ])('says what is wrong with %j', (text, message) => {
    const parsed = parseInvoiceCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.message).toContain(message);
  });
});
