import { describe, expect, it } from 'vitest';
import { findUncoveredCharacters, splitIntoFontRuns } from './font-runs.ts';
import { loadInvoiceFonts } from './invoice-fonts.ts';

/** A face that has exactly the characters of `characters`. */
function fakeFace(name: string, characters: RegExp) {
  return {
    name,
    font: { hasGlyphForCodePoint: (codePoint: number) => characters.test(String.fromCodePoint(codePoint)) },
  };
}

const latin = fakeFace('latin', /[\p{Script=Latin}\p{N} .,]|\u0301/u);
const cjk = fakeFace('cjk', /[\p{Script=Han} ]/u);

function runs(text: string) {
  return splitIntoFontRuns(text, [latin, cjk]).map((run) => [run.face.name, run.text]);
}

describe('splitIntoFontRuns', () => {
  it('draws each character with the first face that has it', () => {
    expect(runs('Zoe 東京 Ltd')).toEqual([
      ['latin', 'Zoe '],
      ['cjk', '東京 '],
      ['latin', 'Ltd'],
    ]);
  });

  it('keeps spaces and combining marks in the run they follow', () => {
    expect(runs('東京 株式会社')).toEqual([['cjk', '東京 株式会社']]);
    expect(runs('Zoe\u0301 東')).toEqual([
      ['latin', 'Zoe\u0301 '],
      ['cjk', '東'],
    ]);
  });

  it('gives a character no face has to the first face, where it shows as a box', () => {
    expect(runs('a☃b')).toEqual([['latin', 'a☃b']]);
    expect(findUncoveredCharacters('a☃b☃ 東 🙂', [latin, cjk])).toEqual(['☃', '🙂']);
  });

  it('needs a face', () => {
    expect(() => splitIntoFontRuns('a', [])).toThrow(/at least one face/);
  });
});

describe('the shipped invoice fonts', () => {
  const samples = [
    'Zoë Łódź Ærøskøbing Škoda Øresund Iğdır Đà Nẵng Ștefan ß œ',
    'Αθήνα Ελλάδα Москва Київ Беларусь',
    '東京 株式会社 北京市 有限公司 臺北 ひらがな カタカナ ー・「」（）',
    '한국어 주식회사 서울특별시',
    'กรุงเทพมหานคร บริษัท',
    '€ £ ¥ ₹ ₩ ₺ ₪ ฿ ₫ ₴ ₦ ₽ ₿ $ ¢ ₱ ₡ ₲ ₵ ₸ ₼ ₾',
  ];

  it.each(['regular', 'bold'] as const)(
    'have a glyph for every character customers are known to use (%s)',
    async (weight) => {
      const fonts = await loadInvoiceFonts();
      for (const sample of samples) expect(findUncoveredCharacters(sample, fonts[weight])).toEqual([]);
    },
  );

  it('draw Latin with Noto Sans, Thai with Noto Sans Thai and CJK with Droid Sans Fallback', async () => {
    const fonts = await loadInvoiceFonts();
    const names = splitIntoFontRuns('Zoë 東京 ไทย ₹', fonts.regular).map((run) => [run.face.name, run.text]);
    expect(names).toEqual([
      ['NotoSans-Regular', 'Zoë '],
      ['DroidSansFallback', '東京 '],
      ['NotoSansThai-Regular', 'ไทย '],
      ['NotoSans-Regular', '₹'],
    ]);
    expect(fonts.bold.map((face) => [face.name, face.emboldened])).toEqual([
      ['NotoSans-Bold', false],
      ['NotoSansThai-Bold', false],
      ['DroidSansFallback', true],
    ]);
  });

  it('are parsed once per process', async () => {
    expect(await loadInvoiceFonts()).toBe(await loadInvoiceFonts());
  });
});
