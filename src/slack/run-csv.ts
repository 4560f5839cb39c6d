import type { Db } from '../db/database.ts';

const COLUMNS = [
  'customer_id',
  'customer',
  'currency',
  'status',
  'subtotal',
  'discount',
  'tax',
  'total',
  'issue_date',
  'due_date',
  'review_reasons',
  'exceptions',
] as const;

/** Every invoice of a run as CSV, for the summary's Export CSV. */
export async function buildRunCsv(db: Db, runId: string): Promise<string> {
  const rows = await db
    .selectFrom('invoices')
    .innerJoin('customers', 'customers.id', 'invoices.customer_id')
    .select([
      'customers.external_id',
      'customers.name',
      'invoices.currency',
      'invoices.status',
      'invoices.subtotal',
      'invoices.discount_total',
      'invoices.tax_total',
      'invoices.total',
      'invoices.issue_date',
      'invoices.due_date',
      'invoices.review_reasons',
      'invoices.exceptions',
    ])
    .where('invoices.run_id', '=', runId)
    .orderBy('customers.external_id')
    .execute();
  const texts = (list: unknown, key: string) =>
    (list as Record<string, unknown>[])
      .map((entry) => (typeof entry[key] === 'string' ? entry[key] : ''))
      .join('; ');
  const lines = rows.map((row) =>
    [
      row.external_id,
      row.name,
      row.currency,
      row.status,
      row.subtotal,
      row.discount_total,
      row.tax_total,
      row.total,
      row.issue_date ?? '',
      row.due_date ?? '',
      texts(row.review_reasons, 'text'),
      texts(row.exceptions, 'message'),
    ]
      .map(csvCell)
      .join(','),
  );
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

/**
 * One RFC 4180 cell. NOTE: a cell starting with = + - @ (or a tab/CR) is prefixed with ' so a
 * spreadsheet shows a customer name like "=HYPERLINK(…)" as text instead of running it.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
