import { describe, expect, it } from 'vitest';
import { buildEmailedNotice } from './invoice-news.ts';
import { visibleText } from '../test/support/block-kit-queries.ts';

describe('buildEmailedNotice', () => {
  it('tells an invoice email from a credit note email (which is not a second invoice email)', () => {
    const invoice = buildEmailedNotice({
      number: 'INV-2026-00012',
      recipients: ['ap@acme.test'],
      at: new Date(),
    });
    const credit = buildEmailedNotice({
      number: 'INV-2026-00012',
      creditNote: 'CN-2026-00003',
      recipients: ['ap@acme.test'],
      at: new Date(),
    });

    expect(invoice.text).toBe('Emailed INV-2026-00012 to ap@acme.test');
    expect(credit.text).toBe('Emailed credit note CN-2026-00003 (for INV-2026-00012) to ap@acme.test');
    expect(visibleText(credit.blocks)).toContain('Emailed credit note *CN-2026-00003* (for INV-2026-00012)');
  });
});
