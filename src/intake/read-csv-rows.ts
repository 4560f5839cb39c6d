import { CsvError, parse } from 'csv-parse/sync';
import type { IntakeColumns } from './intake-columns.ts';
import { IntakeFileError, truncateInput, type SourceRow } from './intake-rows.ts';
import { decodeUtf8File } from './utf8-text.ts';

interface CsvRecord {
  fields: string[];
  /** Byte offset just past the record (and its line break). */
  end: number;
}

/**
 * Rows of a CSV file with a header line. Each row is numbered by the line it starts on (header = line 1),
 * so a quoted field spanning lines does not shift the numbers after it. Empty cells stay '' (absent).
 */
export function readCsvRows(content: Buffer, options: { file: string; columns: IntakeColumns }): SourceRow[] {
  // NOTE: parsed from the bytes (line numbers come from byte offsets), once they are known to be UTF-8.
  decodeUtf8File(content, options.file);
  const records: CsvRecord[] = [];
  try {
    parse(content, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // NOTE: csv-parse's own `lines` counts a CRLF inside a quoted field as two lines, so line numbers
      // come from the byte offsets it reports instead.
      on_record: (fields: string[], context) => {
        records.push({ fields, end: context.bytes });
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const lines = new LineCounter(content);
    const line = lines.startOfRecordAfter(records.at(-1)?.end ?? 0);
    const headerLength = records[0]?.fields.length;
    throw new IntakeFileError(`${options.file}: ${describeCsvError(error, line, headerLength)}`);
  }

  const lines = new LineCounter(content);
  const [header, ...body] = records;
  if (header === undefined) {
    throw new IntakeFileError(
      `${options.file}: the file is empty; expected a header line naming the columns (${options.columns.required.join(', ')}, …)`,
    );
  }
  const names = readHeader(header.fields, options);
  let previousEnd = header.end;
  const rows: SourceRow[] = [];
  for (const record of body) {
    const row = lines.startOfRecordAfter(previousEnd);
    previousEnd = record.end;
    // NOTE: spreadsheets export rows of empty cells below the data; they are not rows.
    if (record.fields.every((field) => field === '')) continue;
    const data: Record<string, string> = {};
    names.forEach((name, index) => {
      data[name] = record.fields[index] ?? '';
    });
    rows.push({ row, data });
  }
  return rows;
}

function readHeader(fields: readonly string[], options: { file: string; columns: IntakeColumns }): string[] {
  const names = fields.map((field) => field.trim().toLowerCase());
  const known = new Set(options.columns.all);
  const problems: string[] = [];
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    const quoted = unknown.map((name) => (name === '' ? '(empty)' : JSON.stringify(truncateInput(name))));
    problems.push(`unknown column ${quoted.join(', ')}`);
  }
  const repeated = names.filter((name, index) => names.indexOf(name) !== index);
  if (repeated.length > 0) problems.push(`column ${JSON.stringify(repeated[0])} appears twice`);
  const missing = options.columns.required.filter((name) => !names.includes(name));
  if (missing.length > 0) problems.push(`missing column ${missing.join(', ')}`);
  if (problems.length > 0) {
    throw new IntakeFileError(
      `${options.file}: header line: ${problems.join('; ')}. Expected columns: ${options.columns.all.join(', ')}`,
    );
  }
  return names;
}

function describeCsvError(error: CsvError, line: number, headerLength: number | undefined): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `the row starting on line ${line} opens a quoted field that is never closed; add the missing "`;
    case 'INVALID_OPENING_QUOTE':
      return `line ${line}: a " inside a field that does not start with one; put the whole field in double quotes and double each quote inside it ("say ""hi""")`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `the row starting on line ${line} has text right after a closing quote; double each quote inside a quoted field ("say ""hi""")`;
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const count = Array.isArray(error.record) ? String(error.record.length) : 'a different number of';
      const expected = headerLength === undefined ? '' : ` but the header has ${String(headerLength)}`;
      return `the row starting on line ${line} has ${count} fields${expected}; quote fields that contain commas`;
    }
    default:
      return `the row starting on line ${line} is not valid CSV: ${truncateInput(error.message)}`;
  }
}

/** Line numbers of byte offsets, counted once from the start: CRLF, LF and CR each end a line. */
class LineCounter {
  private readonly content: Buffer;
  private position = 0;
  private line = 1;

  constructor(content: Buffer) {
    this.content = content;
  }

  /** The line where the next record starts: past `offset`, skipping blank and whitespace-only lines. */
  startOfRecordAfter(offset: number): number {
    this.advanceTo(offset);
    while (this.position < this.content.length) {
      const byte = this.content[this.position];
      if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) break;
      this.step();
    }
    return this.line;
  }

  private advanceTo(offset: number): void {
    while (this.position < offset && this.position < this.content.length) this.step();
  }

  private step(): void {
    const byte = this.content[this.position];
    if (byte === 0x0a) this.line += 1;
    else if (byte === 0x0d && this.content[this.position + 1] !== 0x0a) this.line += 1;
    this.position += 1;
  }
}
