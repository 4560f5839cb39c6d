import { describe, expect, it } from 'vitest';
import { parseInvoiceCommand } from './parse-invoice-command.ts';

describe('parseInvoiceCommand', () => {
  it.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['  HELP  ', { kind: 'help' }],
    ['frobnicate now', { kind: 'unknown', input: 'frobnicate now' }],
    ['  run\t 2026-10 ', { kind: 'unknown', input: 'run 2026-10' }],
  ])('reads %j', (text, expected) => {
    expect(parseInvoiceCommand(text)).toEqual(expected);
  });
});
