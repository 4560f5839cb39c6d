// Line breaking and measuring for invoice text. pdfkit's own wrapping works with one font at a time, so
// billops breaks lines itself and draws each line as positioned font runs (font-runs.ts).
import { splitIntoFontRuns } from './font-runs.ts';
import type { FontFace, FontWeight, InvoiceFonts } from './invoice-fonts.ts';

export interface TextStyle {
  readonly size: number;
  readonly weight: FontWeight;
  readonly color: string;
  /** Line height as a multiple of the size. */
  readonly leading: number;
}

export interface PlacedRun {
  readonly text: string;
  readonly face: FontFace;
  /** From the start of the line. */
  readonly x: number;
  readonly width: number;
}

export interface TextLine {
  readonly runs: readonly PlacedRun[];
  readonly width: number;
}

export interface TextBlock {
  readonly lines: readonly TextLine[];
  readonly style: TextStyle;
  readonly lineHeight: number;
  /** From the top of a line to its baseline. */
  readonly baseline: number;
  readonly height: number;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });
const thaiWords = new Intl.Segmenter('th', { granularity: 'word' });

const SPACE = /^\s+$/u;
const HYPHEN_OR_SLASH = new Set(['-', '/', '\u2010', '\u2013', '\u2014']);
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]/u;
// Chinese and Japanese break between any two characters; Korean and Latin break at spaces.
const IDEOGRAPHIC = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u3000-\u303f\uff01-\uff60]/u;
// Closing punctuation, small kana and the like never start a line; opening brackets never end one.
const NO_BREAK_BEFORE =
  /^[\s、。，．・：；？！）］｝」』】〕〉》〗〙ー々ゝゞぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ,.:;!?)\]}%]/u;
const NO_BREAK_AFTER = /[（［｛「『【〔〈《〖〘([{]$/u;
const THAI = /\p{Script=Thai}/u;

/**
 * Breaks text into lines no wider than maxWidth: at spaces, after hyphens and slashes, between CJK
 * characters, between Thai words, and inside a word only when the word alone is too wide.
 */
export function breakIntoLines(text: string, maxWidth: number, measure: (text: string) => number): string[] {
  const normalized = normalizeText(text);
  if (normalized === '') return [];
  const fits = (candidate: string) => measure(candidate.trimEnd()) <= maxWidth + 1e-6;
  const lines: string[] = [];
  for (const paragraph of normalized.split('\n')) {
    let line = '';
    const flush = () => {
      lines.push(line.trimEnd());
      line = '';
    };
    for (const piece of breakablePieces(paragraph)) {
      if (fits(line + piece)) {
        line += piece;
        continue;
      }
      if (line.trim() !== '') flush();
      if (fits(line + piece)) {
        line += piece;
        continue;
      }
      for (const segment of graphemesOf(piece)) {
        if (line.trim() === '' || fits(line + segment)) {
          line += segment;
        } else {
          flush();
          line = segment;
        }
      }
    }
    flush();
  }
  return lines;
}

// Latin, Greek and Cyrillic letters without combining marks, punctuation and currency signs: here every
// UTF-16 unit is a whole character, and the (slow) grapheme segmenter can be skipped.
const ONE_UNIT_GRAPHEMES =
  /^[\u0020-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0]*$/;

function graphemesOf(text: string): Iterable<string> {
  if (ONE_UNIT_GRAPHEMES.test(text)) return text;
  return Array.from(graphemes.segment(text), ({ segment }) => segment);
}

/** Newlines unified, tabs as spaces, other control characters dropped (fonts have no glyph for them). */
export function normalizeText(text: string): string {
  return (
    text
      .replace(/\r\n?|[\u2028\u2029]/g, '\n')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
  );
}

function breakablePieces(paragraph: string): string[] {
  const pieces: string[] = [];
  let piece = '';
  let previous = '';
  let beforePrevious = '';
  for (const segment of graphemesOf(paragraph)) {
    if (piece !== '' && canBreakBetween(beforePrevious, previous, segment)) {
      pieces.push(piece);
      piece = '';
    }
    piece += segment;
    beforePrevious = previous;
    previous = segment;
  }
  if (piece !== '') pieces.push(piece);
  return pieces.flatMap((part) => (THAI.test(part) ? thaiPieces(part) : [part]));
}

function canBreakBetween(beforePrevious: string, previous: string, next: string): boolean {
  if (NO_BREAK_BEFORE.test(next) || NO_BREAK_AFTER.test(previous)) return false;
  if (SPACE.test(previous)) return true;
  // "Pro-rata" and "a/b" break after the mark; "-5" does not.
  if (HYPHEN_OR_SLASH.has(previous)) return LETTER_OR_DIGIT.test(beforePrevious);
  return IDEOGRAPHIC.test(previous) || IDEOGRAPHIC.test(next);
}

/** Thai has no spaces between words: the runtime's dictionary finds the word boundaries. */
function thaiPieces(part: string): string[] {
  const pieces: string[] = [];
  for (const { segment, isWordLike } of thaiWords.segment(part)) {
    const previous = pieces.pop();
    if (previous === undefined) pieces.push(segment);
    else if (isWordLike !== true || NO_BREAK_BEFORE.test(segment)) pieces.push(previous + segment);
    else pieces.push(previous, segment);
  }
  return pieces;
}

// NOTE: a long-running app renders many unique descriptions; bounded caches keep its memory flat.
const CACHE_LIMIT = 20_000;

/** Measures and sets text in the invoice fonts, falling back per character (Latin, Thai, CJK). */
export class Typesetter {
  private readonly widths = new Map<FontFace['font'], Map<string, number>>();
  private readonly blocks = new Map<string, TextBlock>();

  private readonly fonts: InvoiceFonts;

  constructor(fonts: InvoiceFonts) {
    this.fonts = fonts;
  }

  /** Width in points of text on one line. */
  measure(text: string, style: Pick<TextStyle, 'size' | 'weight'>): number {
    let width = 0;
    for (const run of splitIntoFontRuns(text, this.fonts[style.weight]))
      width += this.widthOf(run.text, run.face);
    return width * style.size;
  }

  /** Text broken into lines no wider than maxWidth, each line cut into font runs. */
  setText(text: string, style: TextStyle, maxWidth: number): TextBlock {
    // Invoices repeat the same cells ("2", "20%", "£100.00") on every line: set each once.
    const key = `${style.size}|${style.weight}|${style.color}|${style.leading}|${maxWidth}|${text}`;
    let block = this.blocks.get(key);
    if (block === undefined) {
      if (this.blocks.size > CACHE_LIMIT) this.blocks.clear();
      block = this.typeset(text, style, maxWidth);
      this.blocks.set(key, block);
    }
    return block;
  }

  private typeset(text: string, style: TextStyle, maxWidth: number): TextBlock {
    const faces = this.fonts[style.weight];
    const lines = breakIntoLines(text, maxWidth, (candidate) => this.measure(candidate, style)).map(
      (line): TextLine => {
        let x = 0;
        const runs = splitIntoFontRuns(line, faces).map(({ text: runText, face }): PlacedRun => {
          const width = this.widthOf(runText, face) * style.size;
          const run = { text: runText, face, x, width };
          x += width;
          return run;
        });
        return { runs, width: x };
      },
    );
    const primary = faces[0]?.font;
    const lineHeight = style.size * style.leading;
    const ascent = primary === undefined ? 0.8 : primary.ascent / primary.unitsPerEm;
    const descent = primary === undefined ? -0.2 : primary.descent / primary.unitsPerEm;
    const baseline = (lineHeight - (ascent - descent) * style.size) / 2 + ascent * style.size;
    return { lines, style, lineHeight, baseline, height: lines.length * lineHeight };
  }

  /**
   * Width in ems, measured the way pdfkit lays text out when it draws it (word by word, each chunk
   * ending at a space), so right-aligned amounts end exactly at the column edge.
   */
  private widthOf(text: string, face: FontFace): number {
    let cache = this.widths.get(face.font);
    if (cache === undefined) {
      cache = new Map();
      this.widths.set(face.font, cache);
    }
    if (cache.size > CACHE_LIMIT) cache.clear();
    let width = 0;
    for (const chunk of text.split(/(?<=[ \t])/)) {
      let chunkWidth = cache.get(chunk);
      if (chunkWidth === undefined) {
        chunkWidth = face.font.layout(chunk).advanceWidth / face.font.unitsPerEm;
        cache.set(chunk, chunkWidth);
      }
      width += chunkWidth;
    }
    return width;
  }
}
