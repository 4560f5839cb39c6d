import { describe, expect, it } from 'vitest';
import { viewProblems, visibleText } from '../test/support/block-kit-queries.ts';
import { buildDetailsModal } from './details-modal.ts';
import { DETAILS_MODAL } from './ids.ts';
import {
  HOSTILE_NAME,
  makeDetailsLine,
  makeDetailsView,
  makeLineWorking,
} from '../test/support/view-model-factories.ts';

const graduated = makeDetailsLine({
  description: 'API requests',
  quantity: '1200000',
  amount: '2380.00',
  taxAmount: '476.00',
  working: makeLineWorking({
    model: 'graduated',
    quantity: '1200000',
    steps: [
      { label: 'Up to 10000', quantity: '10000', unitPrice: '0', flatFee: '0', amount: '0' },
      {
        label: 'Over 10000 up to 1000000',
        quantity: '990000',
        unitPrice: '0.002',
        flatFee: '0',
        amount: '1980',
      },
      { label: 'Over 1000000', quantity: '200000', unitPrice: '0.0015', flatFee: '100', amount: '400' },
    ],
    exactAmount: '2380',
  }),
});

const prorated = makeDetailsLine({
  description: 'Platform fee',
  quantity: '1',
  amount: '241.94',
  taxAmount: '0.00',
  working: makeLineWorking({
    model: 'flat',
    quantity: '1',
    steps: [{ label: 'Flat fee', quantity: '1', unitPrice: '500', flatFee: '0', amount: '500' }],
    proration: { activeDays: 15, periodDays: 31 },
    exactAmount: '241.935483870967741935483870967741935483870967741935483871',
    discounts: [{ label: '10% off', amount: '24.19' }],
    tax: { kind: 'reverse_charge', note: 'Reverse charge: customer to account for VAT' },
  }),
});

const packaged = makeDetailsLine({
  description: 'SMS',
  quantity: '10001',
  amount: '550.00',
  working: makeLineWorking({
    model: 'package',
    quantity: '10001',
    steps: [{ label: 'Packages of 1000', quantity: '11', unitPrice: '50', flatFee: '0', amount: '550' }],
    exactAmount: '550',
    minimum: { minimum: '600', topUp: '50' },
    tax: { kind: 'exempt', note: 'Exempt under Article 132' },
  }),
});

function manyLines(count: number, tiers: number) {
  return Array.from({ length: count }, (_, index) =>
    makeDetailsLine({
      description: `Metered line ${index + 1}`,
      working: makeLineWorking({
        model: 'graduated',
        quantity: '5000000',
        steps: Array.from({ length: tiers }, (_, tier) => ({
          label: `Over ${tier * 1000} up to ${(tier + 1) * 1000}`,
          quantity: '1000',
          unitPrice: '0.0012345',
          flatFee: '0',
          amount: '1.2345',
        })),
        exactAmount: '4.938',
      }),
    }),
  );
}

describe('buildDetailsModal', () => {
  it('is the details modal, with totals, and passes the local Slack API', () => {
    const view = buildDetailsModal(makeDetailsView({ lines: [graduated, prorated, packaged] }));
    expect(view.callback_id).toBe(DETAILS_MODAL);
    expect(view.title.text).toBe('Invoice details');
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ invoiceId: 'inv-0001' });
    const text = visibleText(view.blocks);
    expect(text).toContain('*Subtotal*\n£1,200.00');
    expect(text).toContain('*Total*\n*£1,440.00*');
    expect(viewProblems(view)).toEqual([]);
  });

  it('explains tiers with their quantities and unit prices, and the tax added', () => {
    const text = visibleText(buildDetailsModal(makeDetailsView({ lines: [graduated] })).blocks);
    expect(text).toContain(
      [
        '*1. API requests*: £2,380.00',
        'Graduated tiers: each unit at the price of the tier it falls in; quantity 1,200,000',
        '• Up to 10000: 10,000 × £0.00 = £0.00',
        '• Over 10000 up to 1000000: 990,000 × £0.002 = £1,980.00',
        '• Over 1000000: 200,000 × £0.0015 + £100.00 flat fee = £400.00',
        'Exact amount before rounding: £2,380.00',
        'Tax: VAT 20% (20%), added: £476.00',
      ].join('\n'),
    );
  });

  it('explains proration, discounts, the exact amount and a reverse charge', () => {
    const text = visibleText(buildDetailsModal(makeDetailsView({ lines: [prorated] })).blocks);
    expect(text).toContain('Prorated: 15 of 31 days');
    expect(text).toContain('Exact amount before rounding: £241.93548387096774193548…');
    expect(text).toContain('Discount 10% off: −£24.19');
    expect(text).toContain('No tax charged (reverse charge): Reverse charge: customer to account for VAT');
  });

  it('explains packages, a minimum top-up and an exemption', () => {
    const text = visibleText(buildDetailsModal(makeDetailsView({ lines: [packaged] })).blocks);
    expect(text).toContain('• Packages of 1000: 11 × £50.00 = £550.00');
    expect(text).toContain('Minimum spend £600.00: topped up by £50.00');
    expect(text).toContain('No tax (exempt): Exempt under Article 132');
  });

  it('lists the invoice notes and escapes outside text', () => {
    const view = buildDetailsModal(
      makeDetailsView({
        customerName: HOSTILE_NAME,
        notes: ['<!everyone> pay now'],
        lines: [makeDetailsLine({ description: '<@U123> *line*' })],
      }),
    );
    const text = visibleText(view.blocks);
    expect(text).toContain('*Notes*\n• &lt;!everyone&gt; pay now');
    expect(JSON.stringify(view)).not.toMatch(/<!channel>|<@U123>|<!everyone>|\*Acme\*|\*line\*/);
  });

  it('gives each line its own section while they fit', () => {
    const view = buildDetailsModal(makeDetailsView({ lines: manyLines(40, 3) }));
    expect(view.blocks).toHaveLength(40 + 4);
    expect(visibleText(view.blocks)).not.toContain('left out');
  });

  it('packs 300 lines into fewer sections and keeps every one of them', () => {
    const view = buildDetailsModal(makeDetailsView({ lines: manyLines(300, 3) }));
    expect(viewProblems(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = visibleText(view.blocks);
    expect(text).toContain('*1. Metered line 1*');
    expect(text).toContain('*300. Metered line 300*');
    expect(text).not.toContain('left out');
  });

  it('leaves out what cannot fit, says how many, and points to the CSV export', () => {
    const view = buildDetailsModal(makeDetailsView({ lines: manyLines(300, 40) }));
    expect(viewProblems(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    const text = visibleText(view.blocks);
    const shown = [...text.matchAll(/\*(\d+)\. Metered line/g)].length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(300);
    expect(text).toContain(`${300 - shown} more lines are left out here`);
    expect(text).toContain('*Export CSV* on the run summary has every line');
  });
});
