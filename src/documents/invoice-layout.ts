// Where everything on an invoice PDF goes: A4 pages as drawing operations, footers numbered once the
// page count is known. Painting them with pdfkit is paint-pdf.ts's job.
import { formatAmount, formatDeduction, isNonZero } from './invoice-figures.ts';
import type { InvoiceDocument } from './invoice-document.ts';
import { linesTable } from './invoice-lines-table.ts';
import {
  CONTENT_WIDTH,
  MARGIN,
  mix,
  PAGE,
  parseHexColour,
  RULE,
  stylesFor,
  type SetText,
  type Styles,
} from './invoice-page-style.ts';
import type { LogoImage } from './logo-image.ts';
import {
  drawLine,
  lineItems,
  PageFlow,
  rowItems,
  ruleItem,
  spacer,
  type Band,
  type DrawOp,
  type FlowItem,
} from './page-flow.ts';
import type { TextBlock, TextStyle, Typesetter } from './text-layout.ts';

const TOP = 40;
const FOOTER_BOTTOM = 28;
const FOOTER_GAP = 14;
const FOOTER_MAX_LINES = 3;
const SECTION_GAP = 16;

/** The invoice as pages of drawing operations, every one inside the page and above the footer. */
export function layoutInvoice(
  document: InvoiceDocument,
  typesetter: Typesetter,
  logo: LogoImage | undefined,
): DrawOp[][] {
  const accent = parseHexColour(document.branding.color);
  const styles = stylesFor(accent);
  const set = (text: string, style: TextStyle, width: number) => typesetter.setText(text, style, width);
  const tint = mix(accent, '#ffffff', 0.9);

  const pageLabelWidth = typesetter.measure('Page 9999 of 9999', styles.small) + 12;
  const footer = footerBlock(
    document.branding.footer ?? '',
    styles.small,
    CONTENT_WIDTH - pageLabelWidth,
    typesetter,
  );
  const footerTop =
    PAGE.height - FOOTER_BOTTOM - Math.max(footer.lineHeight, footer.lines.length * footer.lineHeight);

  const continued = set(
    `${documentTitle(document)} ${document.number} (continued)`,
    styles.muted,
    CONTENT_WIDTH,
  );
  const flow = new PageFlow({
    top: TOP,
    bottom: footerTop - FOOTER_GAP,
    decoratePage: (ops) =>
      ops.push({ kind: 'rect', x: 0, y: 0, width: PAGE.width, height: 5, color: accent }),
    continuationHeader: {
      height: continued.lineHeight + 10,
      draw: (ops, y) => {
        const first = continued.lines[0];
        if (first !== undefined) drawLine(ops, first, continued, MARGIN, y);
      },
    },
  });

  flow.placeBand(headerBand(document, logo, styles, set));
  flow.placeBand(billToBand(document, styles, set));

  const { header: tableHeader, rows } = linesTable(document, styles, set, { accent, tint });
  const summary = summaryBands(document, styles, set, accent, tint);
  const summaryHeight = summary.reduce((total, band) => total + flow.heightOf(band), 0);

  flow.addSpace(SECTION_GAP + 4);
  flow.keepSpace(tableHeader.height + (rows[0] === undefined ? summaryHeight : flow.heightOf(rows[0])));
  flow.placeHeader(tableHeader);
  flow.sectionHeader = tableHeader;
  rows.forEach((row, index) => {
    // The totals stay with the last line: never alone on a page, and always on the last page.
    const needed = flow.heightOf(row) + summaryHeight;
    if (index === rows.length - 1 && needed <= flow.freshCapacity) flow.keepSpace(needed);
    flow.placeBand(row);
  });
  flow.sectionHeader = undefined;
  for (const band of summary) flow.placeBand(band);

  const count = flow.pages.length;
  flow.pages.forEach((ops, index) => {
    drawFooter(ops, footer, footerTop, `Page ${index + 1} of ${count}`, styles, set);
  });
  return flow.pages;
}

function headerBand(
  document: InvoiceDocument,
  logo: LogoImage | undefined,
  styles: Styles,
  set: SetText,
): Band {
  const leftWidth = 270;
  const gutter = 24;
  const rightX = MARGIN + leftWidth + gutter;
  const rightWidth = CONTENT_WIDTH - leftWidth - gutter;
  const { seller } = document;

  const left: FlowItem[] = [];
  if (logo !== undefined) {
    const scale = Math.min(170 / logo.width, 56 / logo.height);
    const width = logo.width * scale;
    const height = logo.height * scale;
    left.push({
      height: height + 10,
      draw: (ops, x, y) => ops.push({ kind: 'image', x, y, width, height, image: logo }),
    });
  }
  left.push(...lineItems(set(seller.name, styles.sellerName, leftWidth), { width: leftWidth }));
  left.push(spacer(2));
  const sellerDetails = [
    ...seller.addressLines,
    seller.taxId === undefined ? undefined : `Tax ID: ${seller.taxId}`,
    seller.email,
    seller.phone,
  ];
  for (const detail of sellerDetails) {
    if (detail !== undefined && detail.trim() !== '') {
      left.push(...lineItems(set(detail, styles.muted, leftWidth), { width: leftWidth }));
    }
  }

  const heading = documentTitle(document).toUpperCase();
  const right: FlowItem[] = [...lineItems(set(heading, styles.title, rightWidth), { width: rightWidth })];
  right.push(spacer(4));
  const labelWidth = 78;
  const valueWidth = rightWidth - labelWidth;
  const details: [string, string][] = [
    [document.kind === 'credit_note' ? 'Credit note' : 'Invoice number', document.number],
    ['Credits invoice', document.credits?.invoiceNumber ?? ''],
    ['Issue date', document.issueDate],
    ['Due date', document.dueDate],
    ['Period', document.periodLabel],
  ];
  for (const [label, value] of details) {
    if (value.trim() === '') continue;
    right.push(
      ...rowItems([
        { block: set(label, styles.muted, labelWidth - 6), dx: 0, width: labelWidth - 6, align: 'left' },
        { block: set(value, styles.bodyBold, valueWidth), dx: labelWidth, width: valueWidth, align: 'left' },
      ]),
    );
  }
  return {
    columns: [
      { x: MARGIN, items: left },
      { x: rightX, items: right },
    ],
  };
}

/** "Invoice" or "Credit note": the title, and the word before every number. */
export function documentTitle(document: Pick<InvoiceDocument, 'kind'>): string {
  return document.kind === 'credit_note' ? 'Credit note' : 'Invoice';
}

function billToBand(document: InvoiceDocument, styles: Styles, set: SetText): Band {
  const width = 300;
  const { customer } = document;
  const items: FlowItem[] = [
    ...lineItems(set('BILL TO', styles.label, width), { width }),
    spacer(2),
    ...lineItems(set(customer.name, styles.customerName, width), { width }),
  ];
  for (const line of customer.addressLines) {
    if (line.trim() !== '') items.push(...lineItems(set(line, styles.body, width), { width }));
  }
  if (customer.taxId !== undefined && customer.taxId.trim() !== '') {
    items.push(...lineItems(set(`Tax ID: ${customer.taxId}`, styles.muted, width), { width }));
  }
  return { columns: [{ x: MARGIN, items }], marginTop: SECTION_GAP + 6 };
}

function summaryBands(
  document: InvoiceDocument,
  styles: Styles,
  set: SetText,
  accent: string,
  tint: string,
): Band[] {
  const { currency } = document;
  const bands: Band[] = [];

  const breakdownWidth = 236;
  const breakdown: FlowItem[] = [];
  if (document.taxBreakdown.length > 0) {
    const figureWidth = 66;
    const labelWidth = breakdownWidth - 2 * figureWidth;
    const row = (cells: [string, string, string], style: TextStyle) =>
      rowItems([
        { block: set(cells[0], style, labelWidth - 6), dx: 0, width: labelWidth - 6, align: 'left' },
        {
          block: set(cells[1], style, figureWidth - 4),
          dx: labelWidth,
          width: figureWidth - 4,
          align: 'right',
        },
        {
          block: set(cells[2], style, figureWidth - 4),
          dx: labelWidth + figureWidth,
          width: figureWidth - 4,
          align: 'right',
        },
      ]);
    breakdown.push(
      ...lineItems(set('TAX BREAKDOWN', styles.label, breakdownWidth), { width: breakdownWidth }),
    );
    breakdown.push(spacer(2), ...row(['Tax', 'Net', 'Tax amount'], styles.muted));
    breakdown.push(ruleItem(breakdownWidth, RULE));
    for (const entry of document.taxBreakdown) {
      breakdown.push(
        ...row(
          [entry.label, formatAmount(entry.net, currency), formatAmount(entry.tax, currency)],
          styles.body,
        ),
      );
    }
  }

  const totalsWidth = 224;
  const amountWidth = 104;
  const totalsRow = (label: string, amount: string, style: TextStyle) =>
    rowItems([
      {
        block: set(label, style, totalsWidth - amountWidth - 6),
        dx: 0,
        width: totalsWidth - amountWidth - 6,
        align: 'left',
      },
      {
        block: set(amount, style, amountWidth),
        dx: totalsWidth - amountWidth,
        width: amountWidth,
        align: 'right',
      },
    ]);
  const inclusive = document.pricesIncludeTax;
  const totals: FlowItem[] = [
    ...totalsRow(
      inclusive ? 'Subtotal (incl. tax)' : 'Subtotal',
      formatAmount(document.subtotal, currency),
      styles.body,
    ),
  ];
  if (isNonZero(document.discount)) {
    totals.push(...totalsRow('Discount', formatDeduction(document.discount, currency), styles.body));
  }
  totals.push(
    ...totalsRow(inclusive ? 'Tax (included)' : 'Tax', formatAmount(document.tax, currency), styles.body),
  );
  totals.push(ruleItem(totalsWidth, accent, 1));
  totals.push(
    ...totalsRow(
      `${document.kind === 'credit_note' ? 'Total credit' : 'Total'}${inclusive ? ' (includes tax)' : ''}`,
      formatAmount(document.total, currency),
      styles.total,
    ),
  );
  bands.push({
    marginTop: SECTION_GAP,
    columns: [
      { x: MARGIN, items: breakdown },
      { x: MARGIN + CONTENT_WIDTH - totalsWidth, items: totals },
    ],
  });

  const notes = document.notes.filter((note) => note.trim() !== '');
  if (notes.length > 0) {
    const inset = 12;
    const width = CONTENT_WIDTH - 2 * inset;
    const items: FlowItem[] = [...lineItems(set('NOTES', styles.label, width), { width }), spacer(2)];
    notes.forEach((note, index) => {
      if (index > 0) items.push(spacer(4));
      items.push(...lineItems(set(note, styles.body, width), { width }));
    });
    bands.push({
      marginTop: SECTION_GAP,
      paddingTop: 8,
      paddingBottom: 8,
      columns: [{ x: MARGIN + inset, items }],
      decorate: (ops, top, height) => {
        ops.push({ kind: 'rect', x: MARGIN, y: top, width: CONTENT_WIDTH, height, color: tint });
        ops.push({ kind: 'rect', x: MARGIN, y: top, width: 3, height, color: accent });
      },
    });
  }

  const { bankLines, payLink } = document.payment;
  const bank = bankLines.filter((line) => line.trim() !== '');
  if (bank.length > 0 || payLink !== undefined) {
    const width = CONTENT_WIDTH;
    const items: FlowItem[] = [...lineItems(set('PAYMENT', styles.label, width), { width }), spacer(2)];
    for (const line of bank) items.push(...lineItems(set(line, styles.body, width), { width }));
    if (payLink !== undefined) {
      if (bank.length > 0) items.push(spacer(4));
      items.push(...lineItems(set('Pay online:', styles.bodyBold, width), { width }));
      items.push(...lineItems(set(payLink, styles.link, width), { width, link: payLink }));
    }
    bands.push({ marginTop: SECTION_GAP, columns: [{ x: MARGIN, items }] });
  }
  return bands;
}

function drawFooter(
  ops: DrawOp[],
  footer: TextBlock,
  top: number,
  pageLabel: string,
  styles: Styles,
  set: SetText,
): void {
  ops.push({
    kind: 'rule',
    x1: MARGIN,
    y1: top - 6,
    x2: MARGIN + CONTENT_WIDTH,
    y2: top - 6,
    width: 0.5,
    color: RULE,
  });
  footer.lines.forEach((line, index) => {
    drawLine(ops, line, footer, MARGIN, top + index * footer.lineHeight);
  });
  const label = set(pageLabel, styles.small, CONTENT_WIDTH);
  for (const item of lineItems(label, { width: CONTENT_WIDTH, align: 'right' })) item.draw(ops, MARGIN, top);
}

/** The footer text, cut to a few lines with an ellipsis: it is repeated on every page. */
function footerBlock(text: string, style: TextStyle, width: number, typesetter: Typesetter): TextBlock {
  const block = typesetter.setText(text, style, width);
  const last = block.lines[FOOTER_MAX_LINES - 1];
  if (block.lines.length <= FOOTER_MAX_LINES || last === undefined) return block;
  const characters = Array.from(last.runs.map((run) => run.text).join(''));
  while (characters.length > 0 && typesetter.measure(`${characters.join('')}…`, style) > width)
    characters.pop();
  const ending = typesetter.setText(`${characters.join('').trimEnd()}…`, style, width).lines[0] ?? last;
  const lines = [...block.lines.slice(0, FOOTER_MAX_LINES - 1), ending];
  return { ...block, lines, height: lines.length * block.lineHeight };
}
