import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { IntakeColumns } from './intake-columns.ts';
import { csvRowLabel, IntakeFileError, jsonItemLabel, type RowLabel, type SourceRow } from './intake-rows.ts';
import { readCsvRows } from './read-csv-rows.ts';
import { readJsonRows } from './read-json-rows.ts';
import { decodeUtf8File } from './utf8-text.ts';

export interface IntakeFile {
  rows: SourceRow[];
  rowLabel: RowLabel;
  format: 'csv' | 'json';
}

/** Reads a `.csv` or `.json` file of one kind of rows; a file that is not rows throws IntakeFileError. */
export async function readIntakeFile(
  filePath: string,
  options: { kind: string; columns: IntakeColumns },
): Promise<IntakeFile> {
  const file = path.basename(filePath);
  const extension = path.extname(filePath).toLowerCase();
  if (extension !== '.csv' && extension !== '.json') {
    throw new IntakeFileError(`${file}: expected a .csv or .json file, got "${extension || 'no extension'}"`);
  }
  const content = await readFile(filePath);
  if (extension === '.csv') {
    return {
      rows: readCsvRows(content, { file, columns: options.columns }),
      rowLabel: csvRowLabel,
      format: 'csv',
    };
  }
  return {
    rows: readJsonRows(decodeUtf8File(content, file), { file, kind: options.kind }),
    rowLabel: jsonItemLabel,
    format: 'json',
  };
}
