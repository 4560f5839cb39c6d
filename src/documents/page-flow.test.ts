import { describe, expect, it } from 'vitest';
import { PageFlow, type Band, type DrawOp, type FlowItem } from './page-flow.ts';

// Each item draws a 1-wide rect of its height, so the test can see where it landed.
function items(count: number, height: number): FlowItem[] {
  return Array.from({ length: count }, () => ({
    height,
    draw: (ops: DrawOp[], x: number, y: number) =>
      ops.push({ kind: 'rect', x, y, width: 1, height, color: '#000000' }),
  }));
}

function newFlow() {
  return new PageFlow({
    top: 0,
    bottom: 100,
    decoratePage: () => undefined,
    continuationHeader: {
      height: 10,
      draw: (ops, y) => ops.push({ kind: 'rule', x1: 0, y1: y, x2: 1, y2: y, width: 1, color: '#000000' }),
    },
  });
}

function rects(ops: readonly DrawOp[]) {
  return ops.flatMap((op) => (op.kind === 'rect' ? [[op.x, op.y]] : []));
}

describe('PageFlow', () => {
  it('moves a band that does not fit to a new page whole, under the continuation header', () => {
    const flow = newFlow();
    flow.placeBand({ columns: [{ x: 0, items: items(6, 10) }] });
    flow.placeBand({ columns: [{ x: 0, items: items(5, 10) }], marginTop: 5 });
    expect(flow.pages).toHaveLength(2);
    expect(rects(flow.pages[1] ?? [])).toEqual([0, 10, 20, 30, 40].map((y) => [0, y + 10]));
  });

  it('cuts a band taller than a page between items, every column continuing on the next page', () => {
    const flow = newFlow();
    const band: Band = {
      columns: [
        { x: 0, items: items(25, 10) },
        { x: 50, items: items(2, 10) },
      ],
      paddingTop: 2,
      paddingBottom: 2,
    };
    flow.placeBand(band);
    expect(flow.pages).toHaveLength(3);
    for (const ops of flow.pages) {
      for (const op of ops) if (op.kind === 'rect') expect(op.y + op.height).toBeLessThanOrEqual(100);
    }
    expect(flow.pages.map((ops) => rects(ops).length)).toEqual([9 + 2, 8, 8]);
  });

  it('repeats the section header on each new page while it is set', () => {
    const flow = newFlow();
    flow.sectionHeader = {
      height: 20,
      draw: (ops, y) => ops.push({ kind: 'link', x: 0, y, width: 1, height: 20, url: 'header' }),
    };
    flow.placeBand({ columns: [{ x: 0, items: items(20, 10) }] });
    const headers = flow.pages.map((ops) => ops.filter((op) => op.kind === 'link').length);
    expect(headers).toEqual([0, 1, 1]);
    expect(flow.freshCapacity).toBe(70);
  });

  it('starts no page for space or an empty band, and never reaches past the bottom', () => {
    const flow = newFlow();
    flow.placeBand({ columns: [{ x: 0, items: items(9, 10) }] });
    flow.placeBand({ columns: [], marginTop: 20 });
    flow.addSpace(20);
    expect(flow.pages).toHaveLength(1);
    expect(flow.remaining).toBe(0);
  });
});
