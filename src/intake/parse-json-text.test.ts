import { describe, expect, it } from 'vitest';
import { ImpreciseJsonNumber, parseJsonText, significantDigits } from './parse-json-text.ts';

function errorOf(text: string) {
  const result = parseJsonText(text);
  if (result.ok) throw new Error('expected invalid JSON');
  return result;
}

describe('parseJsonText', () => {
  it.each([
    ['{"a":}', 0, 'line 1, column 6 (position 5): expected a value'],
    ['[1,2,]', 0, 'line 1, column 6 (position 5): expected a value'],
    [
      '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}',
      0,
      'line 4, column 3 (position 23): expected "," or "}" after a property value, found "\\""',
    ],
    ['{"a": "x', 0, 'line 1, column 7 (position 6): a string is never closed'],
    ['{a: 1}', 0, 'line 1, column 2 (position 1): expected a property name in double quotes, found "a"'],
    [
      '{"a": 1}}',
      0,
      'line 1, column 9 (position 8): expected the end of the text after the JSON value, found "}"',
    ],
    ['', 0, 'line 1, column 1 (position 0): expected a value'],
  ])('says where %j stops being JSON', (text, _unused, where) => {
    expect(errorOf(text).message).toContain(`invalid JSON at ${where}`);
  });

  it('finds the position inside deeply nested input without overflowing the stack', () => {
    const text = `${'['.repeat(200_000)}x`;
    expect(errorOf(text).position).toBe(200_000);
  });

  it('keeps numbers with more than 15 significant digits as written, wherever they are', () => {
    const result = parseJsonText(
      '{"q": 12345678901234567890, "s": "12345678901234567890", "small": 0.000001, "n": [1.0000000000000001]}',
    );
    expect(result).toEqual({
      ok: true,
      value: {
        q: new ImpreciseJsonNumber('12345678901234567890'),
        s: '12345678901234567890',
        small: 0.000001,
        n: [new ImpreciseJsonNumber('1.0000000000000001')],
      },
    });
  });

  it.each([
    ['0', 0],
    ['-12.50', 3],
    ['0.00120', 2],
    ['1200', 2],
    ['1.5e-7', 2],
    ['123456789012345', 15],
    ['1234567890123456', 16],
  ])('counts the significant digits of %s as %i', (token, digits) => {
    expect(significantDigits(token)).toBe(digits);
  });
});
