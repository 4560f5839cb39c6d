import { describe, expect, it } from 'vitest';
import type { IntakeColumns } from './intake-columns.ts';
import { IntakeFileError } from './intake-rows.ts';
import { readCsvRows } from './read-csv-rows.ts';

const columns: IntakeColumns = { all: ['id', 'note', 'amount'], required: ['id'] };

function read(text: string) {
  return readCsvRows(Buffer.from(text), { file: 'rows.csv', columns });
}

function readError(text: string): string {
  try {
    read(text);
  } catch (error) {
    if (error instanceof IntakeFileError) return error.message;
    throw error;
  }
  throw new Error('expected an IntakeFileError');
}

describe('readCsvRows', () => {
  it('numbers each row by the line it starts on, across quoted line breaks and blank lines', () => {
    const rows = read('id,note\n1,"two\nlines"\n\n   \n2,plain\n3,"a\r\nb"\n4,x');
    expect(rows.map(({ row, data }) => [row, data])).toEqual([
      [2, { id: '1', note: 'two\nlines' }],
      [6, { id: '2', note: 'plain' }],
      [7, { id: '3', note: 'a\r\nb' }],
      [9, { id: '4', note: 'x' }],
    ]);
  });

  it('keeps line numbers right in a CRLF file with CRLF inside quoted fields', () => {
    const rows = read('id,note\r\n1,"a\r\nb\r\nc"\r\n2,x\r\n');
    expect(rows.map(({ row }) => row)).toEqual([2, 5]);
  });

  it('drops a byte order mark, trims cells, reads headers in any case, and skips rows of empty cells', () => {
    const rows = read('\uFEFF ID , Note \n 7 , hello \n,\n8,\n');
    expect(rows).toEqual([
      { row: 2, data: { id: '7', note: 'hello' } },
      { row: 4, data: { id: '8', note: '' } },
    ]);
  });

  it('reports an unclosed quote once, naming the file and the line the row starts on', () => {
    expect(readError('id,note\n1,ok\n2,"never closed\n3,x\n')).toBe(
      'rows.csv: the row starting on line 3 opens a quoted field that is never closed; add the missing "',
    );
  });

  it('reports a stray quote and a row with too many fields by line', () => {
    expect(readError('id,note\n1,ok\n2,say "hi"\n')).toMatch(/^rows\.csv: line 3: a " inside a field/);
    expect(readError('id,note\n1,ok\n2,a,b\n')).toBe(
      'rows.csv: the row starting on line 3 has 3 fields but the header has 2; quote fields that contain commas',
    );
  });

  it('refuses unknown, repeated and missing columns in the header', () => {
    expect(readError('id,nots\n1,x\n')).toBe(
      'rows.csv: header line: unknown column "nots". Expected columns: id, note, amount',
    );
    expect(readError('note,note\nx,y\n')).toBe(
      'rows.csv: header line: column "note" appears twice; missing column id. Expected columns: id, note, amount',
    );
  });

  it('refuses an empty file with what the header should hold', () => {
    expect(readError('')).toBe(
      'rows.csv: the file is empty; expected a header line naming the columns (id, …)',
    );
  });
});
