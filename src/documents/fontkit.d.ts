// NOTE: fontkit 2 ships no types. This declares only the parts billops uses; pdfkit depends on the same
// version (2.0.4), so the Font objects parsed here can be handed to pdfkit.
declare module 'fontkit' {
  export interface GlyphRun {
    /** Sum of the glyph advances after shaping, in font units. */
    readonly advanceWidth: number;
  }

  export interface Font {
    readonly postscriptName: string;
    readonly unitsPerEm: number;
    /** hhea ascent and descent in font units (descent is negative). */
    readonly ascent: number;
    readonly descent: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    layout(text: string): GlyphRun;
  }

  export interface FontCollection {
    readonly fonts: Font[];
  }

  export function create(buffer: Uint8Array, postscriptName?: string): Font | FontCollection;
}
