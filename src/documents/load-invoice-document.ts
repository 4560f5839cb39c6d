import type { BillingConfig } from '../billing-config/billing-config.ts';
import { periodLabel } from '../calendar/billing-period.ts';
import { addDays } from '../calendar/calendar-date.ts';
import type { Db } from '../db/database.ts';
import type { InvoiceDocument, TaxBreakdownRow } from './invoice-document.ts';
import { isLineWorking } from './line-price-cells.ts';
import { Decimal, sum } from '../money/decimal.ts';
import { toMoneyString } from '../money/rounding.ts';
import type { LineWorking } from '../pricing/types.ts';

/** A finalized invoice as its PDF shows it; undefined until it has a number. */
export async function loadInvoiceDocument(
  db: Db,
  billing: BillingConfig,
  invoiceId: string,
): Promise<InvoiceDocument | undefined> {
  const invoice = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'invoices.number',
      'invoices.issue_date',
      'invoices.due_date',
      'invoices.period_start',
      'invoices.period_end',
      'invoices.currency',
      'invoices.prices_include_tax',
      'invoices.subtotal',
      'invoices.discount_total',
      'invoices.tax_total',
      'invoices.total',
      'invoices.notes',
      'invoices.finalized_at',
      'customers.name',
      'customers.billing_address',
      'customers.tax_id',
    ])
    .where('invoices.id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice?.number == null || invoice.finalized_at === null) return undefined;
  const lines = await db
    .selectFrom('invoice_lines')
    .selectAll()
    .where('invoice_id', '=', invoiceId)
    .orderBy('position')
    .execute();
  const { currency } = invoice;
  const whole = { start: invoice.period_start, end: invoice.period_end };

  // Tax per rate: what was charged on (net of discount, and of tax when prices include it) and the tax.
  const groups = new Map<string, { net: Decimal[]; tax: Decimal[] }>();
  for (const line of lines) {
    const working = line.calculation as unknown as LineWorking;
    const label =
      working.tax.kind === 'standard'
        ? working.tax.label
        : working.tax.kind === 'reverse_charge'
          ? 'Reverse charge'
          : 'Exempt';
    const tax = new Decimal(line.tax_amount);
    const gross = new Decimal(line.amount).minus(line.discount_amount);
    const group = groups.get(label) ?? { net: [], tax: [] };
    group.net.push(invoice.prices_include_tax ? gross.minus(tax) : gross);
    group.tax.push(tax);
    groups.set(label, group);
  }
  const taxBreakdown: TaxBreakdownRow[] = [...groups.entries()].map(([label, group]) => ({
    label,
    net: toMoneyString(sum(group.net), currency),
    tax: toMoneyString(sum(group.tax), currency),
  }));

  const address = invoice.billing_address as Record<string, unknown>;
  const addressLines = ['line1', 'line2', 'city', 'region', 'postal_code', 'country']
    .map((key) => address[key])
    .filter((value): value is string => typeof value === 'string' && value.trim() !== '');
  const fill = (template: string) =>
    template
      .replaceAll('{invoice_number}', encodeURIComponent(invoice.number ?? ''))
      .replaceAll('{total}', invoice.total);

  return {
    number: invoice.number,
    issueDate: invoice.issue_date ?? '',
    dueDate: invoice.due_date ?? '',
    periodLabel: whole.start === null || whole.end === null ? '' : periodLabel(whole.start, whole.end),
    currency,
    pricesIncludeTax: invoice.prices_include_tax,
    seller: billing.seller,
    branding: billing.branding,
    customer: { name: invoice.name, addressLines, taxId: invoice.tax_id ?? undefined },
    lines: lines.map((line) => ({
      description: line.description,
      periodLabel:
        line.period_start !== null &&
        line.period_end !== null &&
        (line.period_start !== whole.start || line.period_end !== whole.end)
          ? `${line.period_start} – ${addDays(line.period_end, -1)}`
          : undefined,
      quantity: line.quantity,
      unitAmount: line.unit_amount,
      amount: line.amount,
      discountAmount: line.discount_amount,
      taxRate: line.tax_rate,
      taxAmount: line.tax_amount,
      ...(isLineWorking(line.calculation) ? { working: line.calculation } : {}),
    })),
    taxBreakdown,
    subtotal: invoice.subtotal,
    discount: invoice.discount_total,
    tax: invoice.tax_total,
    total: invoice.total,
    notes: (invoice.notes as unknown[]).map(String),
    payment: {
      bankLines: billing.payment.bankLines,
      payLink: billing.payment.payLink === undefined ? undefined : fill(billing.payment.payLink),
    },
    finalizedAt: invoice.finalized_at,
  };
}
