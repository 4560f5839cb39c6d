// Lays content onto pages as drawing operations. Everything is measured before it is placed, so the
// page count is known before any footer is written and nothing is drawn below a page's bottom edge.
import type { FontFace } from './invoice-fonts.ts';
import type { LogoImage } from './logo-image.ts';
import type { TextBlock, TextLine } from './text-layout.ts';

/** Coordinates in points from the top-left corner of the page; text `y` is its baseline. */
export type DrawOp =
  | { kind: 'text'; x: number; y: number; text: string; face: FontFace; size: number; color: string }
  | { kind: 'rect'; x: number; y: number; width: number; height: number; color: string }
  | { kind: 'rule'; x1: number; y1: number; x2: number; y2: number; width: number; color: string }
  | { kind: 'image'; x: number; y: number; width: number; height: number; image: LogoImage }
  | { kind: 'link'; x: number; y: number; width: number; height: number; url: string };

/** Something that is never cut across pages: one line of text, a logo, a row of a small table. */
export interface FlowItem {
  readonly height: number;
  draw(ops: DrawOp[], x: number, y: number): void;
}

export interface BandColumn {
  readonly x: number;
  readonly items: readonly FlowItem[];
}

/**
 * Columns laid side by side (a table row, the seller beside the invoice details). A band that fits on
 * a page is never cut; a taller one is cut between items, each column continuing on the next page.
 */
export interface Band {
  readonly columns: readonly BandColumn[];
  readonly paddingTop?: number;
  readonly paddingBottom?: number;
  /** Space above the band, dropped at the top of a page. */
  readonly marginTop?: number;
  /** Backgrounds and rules for the part of the band on one page; drawn under its content. */
  readonly decorate?: (ops: DrawOp[], top: number, height: number) => void;
}

/** Drawn at the top of each new page: a running title, the table's header row. */
export interface PageHeader {
  readonly height: number;
  draw(ops: DrawOp[], y: number): void;
}

export interface PageFrame {
  readonly top: number;
  readonly bottom: number;
  /** Drawn first on every page (an accent bar). */
  readonly decoratePage: (ops: DrawOp[]) => void;
  /** Drawn at the top of every page after the first. */
  readonly continuationHeader: PageHeader | undefined;
}

export class PageFlow {
  readonly pages: DrawOp[][] = [];
  /** Repeated at the top of each new page while set (the lines table's header row). */
  sectionHeader: PageHeader | undefined;
  private y = 0;
  private pageStart = 0;

  private readonly frame: PageFrame;

  constructor(frame: PageFrame) {
    this.frame = frame;
    this.newPage();
  }

  get cursor(): number {
    return this.y;
  }

  get remaining(): number {
    return this.frame.bottom - this.y;
  }

  /** Room on a page that has just been started. */
  get freshCapacity(): number {
    const continuation = this.frame.continuationHeader?.height ?? 0;
    return this.frame.bottom - this.frame.top - continuation - (this.sectionHeader?.height ?? 0);
  }

  newPage(): void {
    const ops: DrawOp[] = [];
    this.pages.push(ops);
    this.frame.decoratePage(ops);
    this.y = this.frame.top;
    const headers = [this.pages.length > 1 ? this.frame.continuationHeader : undefined, this.sectionHeader];
    for (const header of headers) {
      if (header === undefined) continue;
      header.draw(ops, this.y);
      this.y += header.height;
    }
    this.pageStart = this.y;
  }

  /** Starts a new page unless this one still has `height` free (or nothing has been placed on it yet). */
  keepSpace(height: number): void {
    if (height > this.remaining && this.y > this.pageStart) this.newPage();
  }

  /** Vertical space, dropped at the top of a page and never reaching past the bottom. */
  addSpace(height: number): void {
    if (this.y > this.pageStart) this.y = Math.min(this.frame.bottom, this.y + height);
  }

  /** Places a header row or other small block at the cursor, with no page break. */
  placeHeader(header: PageHeader): void {
    header.draw(this.ops, this.y);
    this.y += header.height;
  }

  heightOf(band: Band, withMargin = true): number {
    const content = Math.max(0, ...band.columns.map((column) => sumHeights(column.items)));
    const margin = withMargin ? (band.marginTop ?? 0) : 0;
    return margin + (band.paddingTop ?? 0) + content + (band.paddingBottom ?? 0);
  }

  placeBand(band: Band): void {
    if (band.columns.every((column) => column.items.length === 0)) {
      this.addSpace(band.marginTop ?? 0);
      return;
    }
    const paddingTop = band.paddingTop ?? 0;
    const paddingBottom = band.paddingBottom ?? 0;
    if (this.y > this.pageStart) this.y += band.marginTop ?? 0;
    const whole = this.heightOf(band, false);
    if (whole > this.remaining && this.y > this.pageStart && whole <= this.freshCapacity) this.newPage();

    const next = band.columns.map(() => 0);
    for (;;) {
      const room = this.remaining - paddingTop - paddingBottom;
      let taken = band.columns.map((column, index) => countFitting(column.items, next[index] ?? 0, room));
      if (taken.every((count) => count === 0) && !isDone(band, next)) {
        if (this.y > this.pageStart) {
          this.newPage();
          continue;
        }
        // NOTE: a single item taller than an empty page cannot be cut; none of ours is (lines, a logo).
        taken = band.columns.map((column, index) => ((next[index] ?? 0) < column.items.length ? 1 : 0));
      }
      const slices = band.columns.map((column, index) => {
        const start = next[index] ?? 0;
        return column.items.slice(start, start + (taken[index] ?? 0));
      });
      const height = paddingTop + Math.max(0, ...slices.map(sumHeights)) + paddingBottom;
      band.decorate?.(this.ops, this.y, height);
      band.columns.forEach((column, index) => {
        let y = this.y + paddingTop;
        for (const item of slices[index] ?? []) {
          item.draw(this.ops, column.x, y);
          y += item.height;
        }
        next[index] = (next[index] ?? 0) + (taken[index] ?? 0);
      });
      this.y += height;
      if (isDone(band, next)) return;
      this.newPage();
    }
  }

  private get ops(): DrawOp[] {
    const ops = this.pages[this.pages.length - 1];
    if (ops === undefined) throw new Error('PageFlow has no page');
    return ops;
  }
}

/** One item per line of a text block, aligned within `width` from the column's x. */
export function lineItems(
  block: TextBlock,
  options: { width: number; align?: 'left' | 'right'; link?: string },
): FlowItem[] {
  return block.lines.map((line) => ({
    height: block.lineHeight,
    draw(ops, x, y) {
      const left = options.align === 'right' ? x + options.width - line.width : x;
      drawLine(ops, line, block, left, y);
      if (options.link !== undefined && line.width > 0) {
        ops.push({
          kind: 'link',
          x: left,
          y,
          width: line.width,
          height: block.lineHeight,
          url: options.link,
        });
      }
    },
  }));
}

/** A text line's font runs as text operations, top of the line at `top`. */
export function drawLine(ops: DrawOp[], line: TextLine, block: TextBlock, left: number, top: number): void {
  for (const run of line.runs) {
    ops.push({
      kind: 'text',
      x: left + run.x,
      y: top + block.baseline,
      text: run.text,
      face: run.face,
      size: block.style.size,
      color: block.style.color,
    });
  }
}

export interface RowCell {
  block: TextBlock;
  /** From the column's x. */
  dx: number;
  width: number;
  align: 'left' | 'right';
}

/** Cells side by side on shared baselines, one item per line so a tall row can still be cut. */
export function rowItems(cells: readonly RowCell[]): FlowItem[] {
  const count = Math.max(0, ...cells.map((cell) => cell.block.lines.length));
  const height = Math.max(0, ...cells.map((cell) => cell.block.lineHeight));
  const baseline = Math.max(0, ...cells.map((cell) => cell.block.baseline));
  return Array.from({ length: count }, (_, index): FlowItem => ({
    height,
    draw(ops, x, y) {
      for (const cell of cells) {
        const line = cell.block.lines[index];
        if (line === undefined) continue;
        const left = x + cell.dx + (cell.align === 'right' ? cell.width - line.width : 0);
        drawLine(ops, line, cell.block, left, y + baseline - cell.block.baseline);
      }
    },
  }));
}

/** A horizontal rule across `width`, with a little space above and below. */
export function ruleItem(width: number, color: string, lineWidth = 0.5): FlowItem {
  return {
    height: 7,
    draw: (ops, x, y) =>
      ops.push({ kind: 'rule', x1: x, y1: y + 3, x2: x + width, y2: y + 3, width: lineWidth, color }),
  };
}

/** Empty vertical space inside a column. */
export function spacer(height: number): FlowItem {
  return { height, draw: () => undefined };
}

function isDone(band: Band, next: readonly number[]): boolean {
  return band.columns.every((column, index) => (next[index] ?? 0) >= column.items.length);
}

function sumHeights(items: readonly FlowItem[]): number {
  return items.reduce((total, item) => total + item.height, 0);
}

function countFitting(items: readonly FlowItem[], start: number, room: number): number {
  let used = 0;
  let count = 0;
  for (const item of items.slice(start)) {
    if (used + item.height > room + 1e-6) break;
    used += item.height;
    count += 1;
  }
  return count;
}
