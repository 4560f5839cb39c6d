import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { create, type Font } from 'fontkit';

export type FontWeight = 'regular' | 'bold';

export interface FontFace {
  /** The name the face is registered under in each PDF. */
  readonly name: string;
  readonly font: Font;
  /** Drawn with a thin outline stroke to look bold: the font has no bold weight of its own. */
  readonly emboldened: boolean;
}

/** Faces in fallback order for each weight: a character is drawn with the first face that has it. */
export type InvoiceFonts = Readonly<Record<FontWeight, readonly FontFace[]>>;

/** assets/fonts/ of the repository: README.md there says where each font comes from and its licence. */
export const FONT_DIRECTORY = fileURLToPath(new URL('../../assets/fonts/', import.meta.url));

let loading: Promise<InvoiceFonts> | undefined;

/** The invoice fonts, read and parsed once per process (parsing costs far more than rendering a page). */
export function loadInvoiceFonts(): Promise<InvoiceFonts> {
  loading ??= readInvoiceFonts().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function readInvoiceFonts(): Promise<InvoiceFonts> {
  const [latin, latinBold, thai, thaiBold, cjk] = await Promise.all(
    [
      'NotoSans-Regular.ttf',
      'NotoSans-Bold.ttf',
      'NotoSansThai-Regular.ttf',
      'NotoSansThai-Bold.ttf',
      'DroidSansFallback.ttf',
    ].map(readFont),
  );
  if (!latin || !latinBold || !thai || !thaiBold || !cjk) throw new Error('an invoice font was not read');
  const face = (font: Font, emboldened = false): FontFace => ({
    name: font.postscriptName,
    font,
    emboldened,
  });
  return {
    regular: [face(latin), face(thai), face(cjk)],
    bold: [face(latinBold), face(thaiBold), face(cjk, true)],
  };
}

async function readFont(file: string): Promise<Font> {
  const fontPath = path.join(FONT_DIRECTORY, file);
  let data: Buffer;
  try {
    data = await readFile(fontPath);
  } catch (error) {
    throw new Error(`Invoice font missing: ${fontPath} (the fonts ship with billops in assets/fonts/)`, {
      cause: error,
    });
  }
  const font = create(data);
  if ('fonts' in font) throw new Error(`Invoice font ${fontPath} is a collection; expected a single font`);
  return font;
}
