import { describe, expect, it } from 'vitest';
import type { IntakeColumns } from './intake-columns.ts';
import { IntakeFileError } from './intake-rows.ts';
import { readCsvRows } from './read-csv-rows.ts';
import { decodeUtf8, firstInvalidUtf8Byte } from './utf8-text.ts';

const columns: IntakeColumns = { all: ['external_id', 'name'], required: ['external_id'] };

function csvError(bytes: Buffer): string {
  try {
    readCsvRows(bytes, { file: 'customers.csv', columns });
  } catch (error) {
    if (error instanceof IntakeFileError) return error.message;
    throw error;
  }
  throw new Error('expected an IntakeFileError');
}

describe('reading files as UTF-8', () => {
  it('refuses a Windows-1252 CSV, naming the line and byte offset of the first bad byte', () => {
    // "Zoë Müller" as Windows-1252: ë is 0xEB, ü is 0xFC.
    const bytes = Buffer.concat([
      Buffer.from('external_id,name\r\nacme,Acme\r\nzoe,Zo'),
      Buffer.from([0xeb]),
      Buffer.from(' M'),
      Buffer.from([0xfc]),
      Buffer.from('ller\r\n'),
    ]);
    expect(csvError(bytes)).toBe(
      'customers.csv: line 3 is not valid UTF-8 (byte 0xEB at byte offset 35, counting from 0); save it as UTF-8 (in Excel: "CSV UTF-8") and try again',
    );
  });

  it('reads a UTF-8 file with a BOM, without the BOM in the first column name', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('external_id,name\nzoe,Zoë Müller\n'),
    ]);
    expect(readCsvRows(bytes, { file: 'customers.csv', columns })).toEqual([
      { row: 2, data: { external_id: 'zoe', name: 'Zoë Müller' } },
    ]);
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['an overlong encoding of "/"', [0xc0, 0xaf], 0],
    ['an encoded surrogate', [0x61, 0x62, 0xed, 0xa0, 0x80], 2],
    ['a code point past U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a sequence cut short by the end', [0x61, 0xe2, 0x82], 1],
    ['a sequence broken by ASCII', [0xe2, 0x82, 0x41], 0],
  ])('finds %s', (_name, bytes, offset) => {
    expect(firstInvalidUtf8Byte(Uint8Array.from(bytes))).toBe(offset);
    expect(decodeUtf8(Uint8Array.from(bytes))).toMatchObject({ offset });
  });

  it('agrees with the decoder on valid text (every plane, CR and CRLF lines)', () => {
    const text = 'a\r\nZoë\r€\n𝄞 end';
    expect(firstInvalidUtf8Byte(Buffer.from(text))).toBeUndefined();
    expect(decodeUtf8(Buffer.from(text))).toBe(text);
    expect(decodeUtf8(Buffer.from([0x61, 0x0d, 0x62, 0x0d, 0x0a, 0xff]))).toEqual({
      offset: 5,
      line: 3,
      byte: 0xff,
    });
  });
});
