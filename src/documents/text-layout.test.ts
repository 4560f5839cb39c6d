import { describe, expect, it } from 'vitest';
import { loadInvoiceFonts } from './invoice-fonts.ts';
import { breakIntoLines, normalizeText, Typesetter, type TextStyle } from './text-layout.ts';

// One unit per character: widths are character counts.
const byLength = (text: string) => Array.from(text).length;

describe('breakIntoLines', () => {
  it('breaks at spaces and drops the spaces at line ends', () => {
    expect(breakIntoLines('the quick brown fox jumps', 10, byLength)).toEqual([
      'the quick',
      'brown fox',
      'jumps',
    ]);
  });

  it('cuts a word wider than the line between characters, and no line is wider than asked', () => {
    const lines = breakIntoLines(`see ${'x'.repeat(25)} end`, 10, byLength);
    expect(lines).toEqual(['see', 'xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx end']);
    for (const line of lines) expect(byLength(line)).toBeLessThanOrEqual(10);
  });

  it('breaks after a hyphen or slash inside a word, but not in a negative number', () => {
    expect(breakIntoLines('pro-rata adjustment', 6, byLength)).toEqual(['pro-', 'rata', 'adjust', 'ment']);
    expect(breakIntoLines('₹/₩/€ fees', 4, byLength)).toEqual(['₹/₩/', '€', 'fees']);
    expect(breakIntoLines('ab -5000', 6, byLength)).toEqual(['ab', '-5000']);
  });

  it('breaks between CJK characters but never puts closing punctuation at the start of a line', () => {
    expect(breakIntoLines('東京株式会社', 4, byLength)).toEqual(['東京株式', '会社']);
    expect(breakIntoLines('東京都。大阪', 3, byLength)).toEqual(['東京', '都。大', '阪']);
  });

  it('keeps Korean words whole and breaks at their spaces', () => {
    expect(breakIntoLines('주식회사 서울특별시', 6, byLength)).toEqual(['주식회사', '서울특별시']);
  });

  it('breaks Thai between words', () => {
    const lines = breakIntoLines('บริษัทกรุงเทพมหานคร', 8, byLength);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe('บริษัทกรุงเทพมหานคร');
    expect(lines[0]).toBe('บริษัท');
  });

  it('never separates a letter from its combining accent', () => {
    const lines = breakIntoLines('e\u0301'.repeat(5), 2, byLength);
    for (const line of lines) expect(line.startsWith('\u0301')).toBe(false);
  });

  it('keeps the paragraphs of multi-line text and gives no lines for no text', () => {
    expect(breakIntoLines('first line\r\nsecond\n\nlast', 20, byLength)).toEqual([
      'first line',
      'second',
      '',
      'last',
    ]);
    expect(breakIntoLines('', 20, byLength)).toEqual([]);
  });
});

describe('normalizeText', () => {
  it('turns tabs into spaces and drops control characters', () => {
    expect(normalizeText('a\tb\u0007c\u2028d')).toBe('a bc\nd');
  });
});

describe('Typesetter', () => {
  const body: TextStyle = { size: 10, weight: 'regular', color: '#000000', leading: 1.4 };

  it('sets mixed-script text in lines no wider than asked, each run in a face that has it', async () => {
    const typesetter = new Typesetter(await loadInvoiceFonts());
    const text = 'Zoë Łódź 東京株式会社 ₹/₩/€ '.repeat(6) + 'W'.repeat(120);
    const block = typesetter.setText(text, body, 150);
    expect(block.lines.length).toBeGreaterThan(5);
    for (const line of block.lines) {
      expect(line.width).toBeLessThanOrEqual(150);
      const sum = line.runs.reduce((total, run) => total + run.width, 0);
      expect(line.width).toBeCloseTo(sum, 6);
    }
    // Nothing is lost: only the spaces where lines break are dropped.
    const setText = block.lines.flatMap((line) => line.runs.map((run) => run.text)).join('');
    expect(setText.replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    expect(block.height).toBeCloseTo(block.lines.length * 14, 6);
  });

  it('measures bold wider than regular and twice the size twice as wide', async () => {
    const typesetter = new Typesetter(await loadInvoiceFonts());
    const regular = typesetter.measure('Invoice total', body);
    expect(typesetter.measure('Invoice total', { ...body, weight: 'bold' })).toBeGreaterThan(regular);
    expect(typesetter.measure('Invoice total', { ...body, size: 20 })).toBeCloseTo(2 * regular, 6);
  });
});
