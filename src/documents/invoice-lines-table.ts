// The lines table: a column per figure (discount only when a line has one), a header row repeated on
// every page, and rows that a page break may cut between the lines of a long description.
import {
  formatAmount,
  formatDeduction,
  formatQuantity,
  formatTaxRate,
  formatUnitPrice,
  isNonZero,
} from './invoice-figures.ts';
import type { InvoiceDocument, InvoiceDocumentLine } from './invoice-document.ts';
import { linePriceCells, type LinePriceCells } from './line-price-cells.ts';
import { CONTENT_WIDTH, MARGIN, RULE, type SetText, type Styles } from './invoice-page-style.ts';
import { lineItems, type Band, type PageHeader } from './page-flow.ts';

const CELL_PADDING_X = 4;
const CELL_PADDING_Y = 5;

interface Column {
  header: string;
  width: number;
  align: 'left' | 'right';
  cell: (line: InvoiceDocumentLine, price: LinePriceCells) => string;
}

export interface LinesTable {
  /** Drawn above the first row and again at the top of every page the rows continue on. */
  header: PageHeader;
  rows: Band[];
}

/** The invoice lines as a table the page flow can place row by row. */
export function linesTable(
  document: InvoiceDocument,
  styles: Styles,
  set: SetText,
  colours: { accent: string; tint: string },
): LinesTable {
  const columns = tableColumns(document);
  return {
    header: tableHeaderRow(columns, styles, set, colours.accent, colours.tint),
    rows: document.lines.map((line) =>
      tableRow(line, linePriceCells(line, document.currency), columns, styles, set),
    ),
  };
}

function tableColumns(document: InvoiceDocument): Column[] {
  const { currency } = document;
  const hasDiscount = document.lines.some((line) => isNonZero(line.discountAmount));
  const figures: Column[] = [
    {
      header: 'Qty',
      width: 50,
      align: 'right',
      cell: (_line, price) => (price.quantity === '' ? '' : formatQuantity(price.quantity)),
    },
    {
      header: 'Unit price',
      width: 80,
      align: 'right',
      cell: (_line, price) =>
        price.unitPrice === undefined ? '' : formatUnitPrice(price.unitPrice, currency),
    },
    ...(hasDiscount
      ? [
          {
            header: 'Discount',
            width: 74,
            align: 'right' as const,
            cell: (line: InvoiceDocumentLine) =>
              isNonZero(line.discountAmount) ? formatDeduction(line.discountAmount, currency) : '',
          },
        ]
      : []),
    { header: 'Tax', width: 44, align: 'right', cell: (line) => formatTaxRate(line.taxRate) },
    { header: 'Amount', width: 88, align: 'right', cell: (line) => formatAmount(line.amount, currency) },
  ];
  const figuresWidth = figures.reduce((total, column) => total + column.width, 0);
  return [
    {
      header: 'Description',
      width: CONTENT_WIDTH - figuresWidth,
      align: 'left',
      cell: (line) => line.description,
    },
    ...figures,
  ];
}

function columnLefts(columns: readonly Column[]): number[] {
  let x = MARGIN;
  return columns.map((column) => {
    const left = x;
    x += column.width;
    return left;
  });
}

function tableHeaderRow(
  columns: readonly Column[],
  styles: Styles,
  set: SetText,
  accent: string,
  tint: string,
): PageHeader {
  const lefts = columnLefts(columns);
  const cells = columns.map((column) =>
    set(column.header, styles.tableHeader, column.width - 2 * CELL_PADDING_X),
  );
  const height = Math.max(...cells.map((cell) => cell.height)) + 2 * CELL_PADDING_Y + 1;
  return {
    height,
    draw(ops, y) {
      ops.push({ kind: 'rect', x: MARGIN, y, width: CONTENT_WIDTH, height, color: tint });
      ops.push({
        kind: 'rule',
        x1: MARGIN,
        y1: y + height,
        x2: MARGIN + CONTENT_WIDTH,
        y2: y + height,
        width: 1,
        color: accent,
      });
      columns.forEach((column, index) => {
        const cell = cells[index];
        if (cell === undefined) return;
        const innerWidth = column.width - 2 * CELL_PADDING_X;
        const items = lineItems(cell, { width: innerWidth, align: column.align });
        let top = y + CELL_PADDING_Y;
        for (const item of items) {
          item.draw(ops, (lefts[index] ?? MARGIN) + CELL_PADDING_X, top);
          top += item.height;
        }
      });
    },
  };
}

function tableRow(
  line: InvoiceDocumentLine,
  price: LinePriceCells,
  columns: readonly Column[],
  styles: Styles,
  set: SetText,
): Band {
  const lefts = columnLefts(columns);
  return {
    paddingTop: CELL_PADDING_Y,
    paddingBottom: CELL_PADDING_Y,
    columns: columns.map((column, index) => {
      const width = column.width - 2 * CELL_PADDING_X;
      const items = lineItems(set(column.cell(line, price), styles.body, width), {
        width,
        align: column.align,
      });
      if (index === 0) {
        // Beneath the description: the days it covers, then its price in words.
        const notes = [line.periodLabel ?? '', ...price.basis].filter((note) => note.trim() !== '');
        for (const note of notes) items.push(...lineItems(set(note, styles.small, width), { width }));
      }
      return { x: (lefts[index] ?? MARGIN) + CELL_PADDING_X, items };
    }),
    decorate: (ops, top, height) =>
      ops.push({
        kind: 'rule',
        x1: MARGIN,
        y1: top + height,
        x2: MARGIN + CONTENT_WIDTH,
        y2: top + height,
        width: 0.5,
        color: RULE,
      }),
  };
}
