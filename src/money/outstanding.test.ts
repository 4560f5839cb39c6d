import { describe, expect, it } from 'vitest';
import { outstandingOf, refundDueOf } from './outstanding.ts';

describe('outstandingOf and refundDueOf', () => {
  it.each([
    // total, paid, credited, outstanding, refund due
    ['120.00', '0', '0', '120', '0'],
    ['120.00', '20.00', '10.00', '90', '0'],
    ['120.00', '120.00', '0', '0', '0'],
    ['120.00', '0', '120.00', '0', '0'],
    ['120.00', '120.00', '24.00', '0', '24'],
    ['120.00', '100.00', '30.01', '0', '10.01'],
  ])(
    'total %s, paid %s, credited %s: %s outstanding, %s to refund',
    (total, paid, credited, owed, refund) => {
      const invoice = { total, amount_paid: paid, amount_credited: credited };
      expect(outstandingOf(invoice).toFixed()).toBe(owed);
      expect(refundDueOf(invoice).toFixed()).toBe(refund);
    },
  );
});
