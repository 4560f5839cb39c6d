// The look of an invoice page: A4 geometry, colours and type styles.
import type { TextBlock, TextStyle } from './text-layout.ts';

/** A4 in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGIN = 48;
export const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;

export const INK = '#1f2933';
export const MUTED = '#5b6573';
export const RULE = '#d5dbe1';
export const LINK = '#0b57b0';

export type SetText = (text: string, style: TextStyle, width: number) => TextBlock;

export interface Styles {
  title: TextStyle;
  sellerName: TextStyle;
  customerName: TextStyle;
  body: TextStyle;
  bodyBold: TextStyle;
  muted: TextStyle;
  small: TextStyle;
  label: TextStyle;
  tableHeader: TextStyle;
  total: TextStyle;
  link: TextStyle;
}

/** The type styles of an invoice; the title and section labels take the accent colour. */
export function stylesFor(accent: string): Styles {
  const style = (size: number, weight: TextStyle['weight'], color: string, leading = 1.4): TextStyle => ({
    size,
    weight,
    color,
    leading,
  });
  return {
    title: style(22, 'bold', accent, 1.2),
    sellerName: style(12, 'bold', INK, 1.3),
    customerName: style(11, 'bold', INK, 1.3),
    body: style(9, 'regular', INK),
    bodyBold: style(9, 'bold', INK),
    muted: style(8.5, 'regular', MUTED),
    small: style(7.5, 'regular', MUTED),
    label: style(7.5, 'bold', accent),
    tableHeader: style(8, 'bold', INK),
    total: style(11, 'bold', INK),
    link: style(9, 'regular', LINK),
  };
}

/** "#1d3557" or "#abc", as "#rrggbb"; the billing config has already checked it. */
export function parseHexColour(colour: string): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(colour);
  if (short !== null)
    return `#${short
      .slice(1)
      .map((digit) => digit.repeat(2))
      .join('')}`.toLowerCase();
  if (/^#[0-9a-f]{6}$/i.test(colour)) return colour.toLowerCase();
  throw new Error(`Invoice accent colour must look like #1d3557, got "${colour}"`);
}

/** `colour` moved towards `other` by `amount` (0 to 1). */
export function mix(colour: string, other: string, amount: number): string {
  const channel = (hex: string, index: number) => parseInt(hex.slice(1 + 2 * index, 3 + 2 * index), 16);
  const channels = [0, 1, 2].map((index) =>
    Math.round(channel(colour, index) * (1 - amount) + channel(other, index) * amount),
  );
  return `#${channels.map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}
