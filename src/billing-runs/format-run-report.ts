import type { RunSummary } from './run-summary.ts';

const MAX_ROWS = 50;

/** Plain-text summary for the shell: one row per draft (the first 50), totals per currency, exceptions. */
export function formatRunReport(run: RunSummary, outcome: 'created' | 'existing' | 'dry_run'): string {
  const heading = {
    created: `Billing run ${run.id ?? ''} drafted`,
    existing: `Billing run ${run.id ?? ''} already exists for this period and scope (nothing changed)`,
    dry_run: 'Dry run: nothing was saved',
  }[outcome];
  const out = [
    heading,
    `Period ${run.period.start} to ${run.period.end} (end exclusive) · ${run.scope} · started by ${run.startedBy}${outcome === 'dry_run' ? '' : ` · ${run.status}`}`,
    '',
  ];
  const rows = run.invoices
    .slice(0, MAX_ROWS)
    .map((invoice) => [
      invoice.customerExternalId,
      invoice.currency,
      String(invoice.lineCount),
      invoice.subtotal,
      invoice.discount,
      invoice.tax,
      invoice.total,
      invoice.dueDate,
      invoice.exceptions.map((exception) => exception.code).join(', '),
    ]);
  if (rows.length > 0) {
    out.push(
      ...table(
        ['Customer', 'Cur', 'Lines', 'Subtotal', 'Discount', 'Tax', 'Total', 'Due', 'Exceptions'],
        rows,
        [2, 3, 4, 5, 6],
      ),
    );
    if (run.invoices.length > MAX_ROWS) out.push(`… and ${run.invoices.length - MAX_ROWS} more drafts`);
    out.push('');
  }
  const totals = Object.entries(run.totals).map(([currency, total]) => [
    currency,
    String(total.invoices),
    total.subtotal,
    total.discount,
    total.tax,
    total.total,
  ]);
  if (totals.length > 0) {
    out.push(
      ...table(['Currency', 'Invoices', 'Subtotal', 'Discount', 'Tax', 'Total'], totals, [1, 2, 3, 4, 5]),
      '',
    );
  }
  const { counts } = run;
  out.push(
    `${counts.drafted} drafted (${counts.withExceptions} with exceptions) · ${counts.nothingToBill} with nothing to bill · ${counts.alreadyInvoiced} already invoiced for this period`,
  );
  const problems = run.invoices.flatMap((invoice) =>
    invoice.exceptions.map((exception) => `  ${invoice.customerExternalId}: ${exception.message}`),
  );
  if (problems.length > 0) out.push('', 'Exceptions (fix these before approval):', ...problems);
  return out.join('\n');
}

function table(headers: string[], rows: string[][], rightAligned: number[]): string[] {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return rightAligned.includes(column) ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}
