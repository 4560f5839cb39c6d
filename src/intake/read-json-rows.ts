import { IntakeFileError, type SourceRow } from './intake-rows.ts';
import { parseJsonText } from './parse-json-text.ts';

/** Rows of a JSON file: a top-level array of objects, or `{ "<kind>": [ … ] }`; items numbered from 1. */
export function readJsonRows(text: string, options: { file: string; kind: string }): SourceRow[] {
  const parsed = parseJsonText(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) throw new IntakeFileError(`${options.file}: ${parsed.message}`);
  const items = itemsOf(parsed.value, options.kind);
  if (items === undefined) {
    throw new IntakeFileError(
      `${options.file}: expected a JSON array of ${options.kind} rows, or an object { "${options.kind}": [ … ] }, ` +
        `got ${describeTopLevel(parsed.value)}`,
    );
  }
  return items.map((data, index) => ({ row: index + 1, data }));
}

function itemsOf(value: unknown, kind: string): unknown[] | undefined {
  if (Array.isArray(value)) return value as unknown[];
  if (typeof value !== 'object' || value === null || !Object.hasOwn(value, kind)) return undefined;
  const items: unknown = (value as Record<string, unknown>)[kind];
  return Array.isArray(items) ? (items as unknown[]) : undefined;
}

function describeTopLevel(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const keys = Object.keys(value).slice(0, 5);
  return keys.length === 0
    ? 'an empty object'
    : `an object with ${keys.map((key) => JSON.stringify(key)).join(', ')}`;
}
