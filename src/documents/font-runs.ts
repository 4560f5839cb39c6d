// pdfkit draws a string with one font and never falls back, so text is cut into runs, each drawn with
// the first face (in fallback order) that has its characters: Latin, then Thai, then CJK.

export interface GlyphSource {
  readonly font: { hasGlyphForCodePoint(codePoint: number): boolean };
}

export interface FontRun<F> {
  readonly text: string;
  readonly face: F;
}

// Spaces, combining marks and format characters (ZWJ, variation selectors) stay in the run they follow,
// so "東京 株式会社" is one run and "é" written as e + U+0301 keeps its accent in the same font.
const FOLLOWS_PREVIOUS = /^[\p{White_Space}\p{M}\p{Cf}]$/u;
const NEVER_DRAWN = /^[\p{White_Space}\p{Cc}\p{Cf}]$/u;

/** Cuts text into runs of one face each; a character no face has goes to the first face (a box). */
export function splitIntoFontRuns<F extends GlyphSource>(text: string, faces: readonly F[]): FontRun<F>[] {
  const primary = faces[0];
  if (primary === undefined) throw new Error('splitIntoFontRuns needs at least one face');
  const runs: { text: string; face: F }[] = [];
  let current: { text: string; face: F } | undefined;
  for (const char of text) {
    const face =
      current !== undefined && FOLLOWS_PREVIOUS.test(char) ? current.face : (faceFor(char, faces) ?? primary);
    if (current?.face === face) {
      current.text += char;
    } else {
      current = { text: char, face };
      runs.push(current);
    }
  }
  return runs;
}

/** The characters of text that no face has, each once: they would print as boxes. */
export function findUncoveredCharacters(text: string, faces: readonly GlyphSource[]): string[] {
  const uncovered = new Set<string>();
  for (const char of text) {
    if (!NEVER_DRAWN.test(char) && faceFor(char, faces) === undefined) uncovered.add(char);
  }
  return [...uncovered];
}

function faceFor<F extends GlyphSource>(char: string, faces: readonly F[]): F | undefined {
  const codePoint = char.codePointAt(0) ?? 0;
  return faces.find((face) => face.font.hasGlyphForCodePoint(codePoint));
}
