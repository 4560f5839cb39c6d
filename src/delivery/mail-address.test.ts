import { describe, expect, it } from 'vitest';
import {
  formatMailbox,
  headerText,
  InvalidEmailError,
  isEmailAddress,
  parseMailbox,
} from './mail-address.ts';

describe('headerText', () => {
  it('turns every run of control characters and line separators into one space', () => {
    expect(headerText('Invoice\r\nBcc: evil@example.com\t\u0000\u2028end ')).toBe(
      'Invoice Bcc: evil@example.com end',
    );
  });
});

describe('isEmailAddress', () => {
  it.each([
    'ap@customer.example',
    'first.last+billing@sub.customer.co.uk',
    "o'brien@customer.ie",
    'x@münchen.de',
  ])('accepts %s', (address) => {
    expect(isEmailAddress(address)).toBe(true);
  });

  it.each([
    '',
    'ap',
    'ap@',
    '@customer.example',
    'ap@customer',
    'a p@customer.example',
    'ap..x@customer.example',
    '.ap@customer.example',
    'ap@-customer.example',
    'ap@customer.123',
    '"quoted"@customer.example',
    `${'a'.repeat(65)}@customer.example`,
  ])('refuses %j', (address) => {
    expect(isEmailAddress(address)).toBe(false);
  });
});

describe('parseMailbox', () => {
  it('reads a bare address and one with a display name', () => {
    expect(parseMailbox('ap@customer.example', 'To')).toEqual({ name: '', address: 'ap@customer.example' });
    expect(parseMailbox('"Acme, Inc." <ap@customer.example>', 'To')).toEqual({
      name: 'Acme, Inc.',
      address: 'ap@customer.example',
    });
  });

  it.each([
    'Accounts ap@customer.example',
    'ap@customer.example (Accounts)',
    'Acme <ap@customer.example> trailing',
    'a@customer.example, b@customer.example',
    'Group: a@customer.example;',
  ])('refuses %j rather than guess which address was meant', (value) => {
    expect(() => parseMailbox(value, 'To')).toThrow(InvalidEmailError);
  });

  it('names the field and the value in its error', () => {
    expect(() => parseMailbox('ap@', 'Cc')).toThrow('Cc: "ap@" is not one valid email address');
  });
});

describe('formatMailbox', () => {
  it.each([
    { name: '', address: 'ap@customer.example' },
    { name: 'Zoë "Billing", Inc.', address: 'ap@customer.example' },
    { name: 'Back\\slash', address: 'ap@customer.example' },
  ])('writes what parseMailbox reads back: %j', (mailbox) => {
    expect(parseMailbox(formatMailbox(mailbox), 'To')).toEqual(mailbox);
  });
});
