import { z } from 'zod';
import type { JsonObject, JsonValue } from '../db/schema.ts';
import { controlCharacterProblem } from '../billing-config/single-line-text.ts';
import { Decimal, parseDecimal } from '../money/decimal.ts';
import { findUnstorableText, storableTextProblem } from '../text/storable-text.ts';
import { isCountryCode } from './country-codes.ts';
import { describeInput, truncateInput } from './intake-rows.ts';
import {
  EXACT_DOUBLE_DIGITS,
  ImpreciseJsonNumber,
  parseJsonText,
  significantDigits,
} from './parse-json-text.ts';

// Field schemas shared by the row schemas. Each accepts a CSV cell (always a string; '' is absent) and a
// JSON value alike, and refuses with "expected …, got …" so a person can fix the row.

/** A refused value: the whole message, e.g. 'expected a date as YYYY-MM-DD such as 2026-11-01, got "1/11"'. */
class Refusal {
  readonly message: string;
  constructor(message: string) {
    this.message = message;
  }
}

function refuse(expected: string, value: unknown): Refusal {
  return new Refusal(`expected ${expected}, got ${describeInput(value)}`);
}

function field<T>(read: (value: unknown) => T | Refusal) {
  // NOTE: `.optional()` lets zod run the transform for a missing key too, so it can apply a default or say
  // what was expected; without it zod answers a missing key with its own "expected nonoptional".
  return z
    .unknown()
    .optional()
    .transform((value, ctx): T => {
      const result = read(value);
      if (!(result instanceof Refusal)) return result;
      ctx.addIssue({ code: 'custom', message: result.message });
      return z.NEVER;
    });
}

/** An empty CSV cell, a JSON null or a missing key. */
function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Every text field of an import is one line: names, ids, emails, tax ids, address lines. */
function readText(value: unknown, expected: string, maxLength: number): string | Refusal {
  if (typeof value !== 'string') return refuse(`${expected} as text`, value);
  const text = value.trim();
  if (text.length > maxLength) {
    return new Refusal(
      `expected ${expected} of at most ${maxLength} characters, got ${text.length} characters`,
    );
  }
  const problem = controlCharacterProblem(text) ?? storableTextProblem(text);
  if (problem !== undefined)
    return new Refusal(`expected ${expected}, got ${describeInput(value)}, which ${problem}`);
  return text;
}

export function requiredText(expected: string, maxLength = 200) {
  return field((value) => (isAbsent(value) ? refuse(expected, value) : readText(value, expected, maxLength)));
}

export function optionalText(expected: string, maxLength = 500) {
  return field((value) => (isAbsent(value) ? undefined : readText(value, expected, maxLength)));
}

/** Text that must match `pattern`, e.g. a metric name. */
export function requiredPattern(expected: string, pattern: RegExp) {
  return field((value) => {
    if (isAbsent(value) || typeof value !== 'string' || !pattern.test(value.trim())) {
      return refuse(expected, value);
    }
    return value.trim();
  });
}

function listCodes(codes: ReadonlySet<string>): string {
  if (codes.size === 0) return 'none are configured';
  const sorted = [...codes].sort();
  const shown = sorted.slice(0, 12).join(', ');
  return sorted.length > 12 ? `${shown}, … (${sorted.length} in all)` : shown;
}

interface CatalogCodeOptions {
  expected: string;
  codes: ReadonlySet<string>;
  /** For ISO codes typed in lower case ("eur"). */
  upperCase?: boolean;
}

function readCatalogCode(value: unknown, options: CatalogCodeOptions): string | Refusal {
  const expected = `${options.expected} (${listCodes(options.codes)})`;
  if (typeof value !== 'string' || isAbsent(value)) return refuse(expected, value);
  const code = options.upperCase === true ? value.trim().toUpperCase() : value.trim();
  return options.codes.has(code) ? code : refuse(expected, value);
}

/** A code that must be one of `codes` (from billing.yml). */
export function requiredCatalogCode(options: CatalogCodeOptions) {
  return field((value) => readCatalogCode(value, options));
}

export function optionalCatalogCode(options: CatalogCodeOptions) {
  return field((value) => (isAbsent(value) ? undefined : readCatalogCode(value, options)));
}

const BOOLEAN_WORDS = new Map<string, boolean>([
  ['true', true],
  ['yes', true],
  ['1', true],
  ['false', false],
  ['no', false],
  ['0', false],
]);

export function booleanField(defaultValue: boolean) {
  return field((value) => {
    if (isAbsent(value)) return defaultValue;
    if (typeof value === 'boolean') return value;
    const word =
      typeof value === 'string' || typeof value === 'number' ? String(value).trim().toLowerCase() : '';
    return BOOLEAN_WORDS.get(word) ?? refuse('true or false (also yes/no, 1/0)', value);
  });
}

/** Email addresses: a JSON list, or text separated by ";". An empty list is allowed. */
export function emailList() {
  const email = z.email();
  return field((value) => {
    if (isAbsent(value)) return [];
    const parts =
      typeof value === 'string' ? value.split(';') : Array.isArray(value) ? (value as unknown[]) : undefined;
    if (parts === undefined) return refuse('email addresses separated by ";" (or a JSON list)', value);
    const addresses: string[] = [];
    for (const part of parts) {
      if (typeof part !== 'string') return refuse('each email address as text', part);
      const address = part.trim();
      if (address === '') continue;
      if (!email.safeParse(address).success) {
        return refuse('email addresses such as billing@example.com, separated by ";"', address);
      }
      addresses.push(address);
    }
    return addresses;
  });
}

interface DecimalOptions {
  expected: string;
  example: string;
  min?: Decimal;
  max?: Decimal;
  /** A bound from money/bounds.ts (quantityProblem, amountProblem, rateProblem…). */
  bound?: (value: Decimal) => string | undefined;
}

function describeDecimal(options: DecimalOptions): string {
  const { min, max } = options;
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min.toString()} to ${max.toString()}`
      : min === undefined
        ? ''
        : ` of at least ${min.toString()}`;
  return `${options.expected}${range} such as ${options.example}`;
}

function readDecimal(value: unknown, options: DecimalOptions): Decimal | Refusal {
  const expected = describeDecimal(options);
  if (value instanceof ImpreciseJsonNumber) {
    const digits = truncateInput(value.source);
    return new Refusal(
      `expected ${expected}, got the JSON number ${digits}, which has more than ${EXACT_DOUBLE_DIGITS} ` +
        `significant digits and loses some as a JSON number; send it as a string: "${digits}"`,
    );
  }
  let decimal: Decimal | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) {
    const text = String(value);
    if (significantDigits(text) > EXACT_DOUBLE_DIGITS) {
      return new Refusal(
        `expected ${expected}, got the JSON number ${text}, which has more than ${EXACT_DOUBLE_DIGITS} ` +
          'significant digits and is not exact; send it as a string',
      );
    }
    decimal = new Decimal(text);
  } else if (typeof value === 'string') {
    decimal = parseDecimal(value);
  }
  if (decimal === undefined) return refuse(expected, value);
  if (options.min !== undefined && decimal.lessThan(options.min)) return refuse(expected, value);
  if (options.max !== undefined && decimal.greaterThan(options.max)) return refuse(expected, value);
  const problem = options.bound?.(decimal);
  if (problem !== undefined)
    return new Refusal(`expected ${expected}, got ${describeInput(value)}, which ${problem}`);
  return decimal;
}

/**
 * An exact decimal: text such as "12.5", or a JSON number only when a double holds it exactly (at most 15
 * significant digits). "12,5", "1e3" and 0.1 + 0.2 are refused.
 */
export function requiredDecimal(options: DecimalOptions) {
  return field((value) =>
    isAbsent(value) ? refuse(describeDecimal(options), value) : readDecimal(value, options),
  );
}

export function optionalDecimal(options: DecimalOptions) {
  return field((value) => (isAbsent(value) ? undefined : readDecimal(value, options)));
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_EXPECTED = 'a date as YYYY-MM-DD such as 2026-11-01';

/** For years from 1000 (Date.UTC maps 0-99 to the 1900s). */
function isRealDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function readDate(value: unknown): string | Refusal {
  if (typeof value !== 'string') return refuse(DATE_EXPECTED, value);
  const match = DATE_PATTERN.exec(value.trim());
  if (match === null) return refuse(DATE_EXPECTED, value);
  const [year, month, day] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  return year >= 1000 && isRealDate(year, month, day)
    ? value.trim()
    : refuse(`${DATE_EXPECTED} (a real date)`, value);
}

/** A calendar date as YYYY-MM-DD (no time, no zone). */
export function requiredDate() {
  return field((value) => (isAbsent(value) ? refuse(DATE_EXPECTED, value) : readDate(value)));
}

export function optionalDate() {
  return field((value) => (isAbsent(value) ? undefined : readDate(value)));
}

const TIMESTAMP_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;
const TIMESTAMP_EXPECTED =
  'an ISO 8601 time with a UTC offset, such as 2026-11-01T09:30:00Z or 2026-11-01T10:30:00+01:00';

/**
 * An instant: ISO 8601 with Z or an offset. Returned in one canonical form, UTC to the microsecond
 * (what Postgres keeps), e.g. "2026-11-01T09:30:00.000000Z", so equal instants compare equal as text.
 */
export function timestampField() {
  return field((value) => {
    if (isAbsent(value) || typeof value !== 'string') return refuse(TIMESTAMP_EXPECTED, value);
    const match = TIMESTAMP_PATTERN.exec(value.trim());
    if (match === null) return refuse(TIMESTAMP_EXPECTED, value);
    if (match[8] === undefined && match[9] === undefined) {
      return new Refusal(
        `expected ${TIMESTAMP_EXPECTED}, got ${describeInput(value)}, which has no offset and is ambiguous`,
      );
    }
    const part = (index: number) => Number(match[index] ?? 0);
    const [year, month, day, hour, minute, second] = [part(1), part(2), part(3), part(4), part(5), part(6)];
    const offsetMinutes = (match[9] === '-' ? -1 : 1) * (part(10) * 60 + part(11));
    const valid = year >= 1000 && isRealDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 59;
    const instant = new Date(Date.UTC(year, month - 1, day, hour, minute - offsetMinutes, second));
    if (!valid || part(10) > 23 || part(11) > 59 || instant.getUTCFullYear() > 9999) {
      return refuse(`${TIMESTAMP_EXPECTED} (a real date and time)`, value);
    }
    const micros = (match[7] ?? '').padEnd(6, '0').slice(0, 6);
    return `${instant.toISOString().slice(0, 19)}.${micros}Z`;
  });
}

/** An IANA time zone ("Europe/Berlin"), returned in its canonical spelling; UTC when absent. */
export function timeZoneField() {
  const expected = 'an IANA time zone such as Europe/Berlin or UTC';
  return field((value) => {
    if (isAbsent(value)) return 'UTC';
    if (typeof value !== 'string' || /^[+-]/.test(value.trim())) return refuse(expected, value);
    try {
      return new Intl.DateTimeFormat('en-US', { timeZone: value.trim() }).resolvedOptions().timeZone;
    } catch {
      return refuse(expected, value);
    }
  });
}

export function countryField() {
  const expected = 'an ISO 3166 two-letter country code such as DE or US';
  return field((value) => {
    if (isAbsent(value)) return undefined;
    if (typeof value !== 'string') return refuse(expected, value);
    const code = value.trim().toUpperCase();
    return isCountryCode(code) ? code : refuse(expected, value);
  });
}

const MAX_JSON_DEPTH = 32;

/** A JSON object: a JSON value in a JSON file or request, JSON text in a CSV cell. `{}` when absent. */
export function jsonObjectField() {
  const expected = 'a JSON object such as {"region":"eu"}';
  return field((value): JsonObject | Refusal => {
    if (isAbsent(value)) return {};
    let object = value;
    if (typeof value === 'string') {
      const parsed = parseJsonText(value);
      if (!parsed.ok) return new Refusal(`expected ${expected}, got text that is ${parsed.message}`);
      object = parsed.value;
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object))
      return refuse(expected, value);
    const json = toJsonValue(object, 0);
    if (json instanceof Refusal) return json;
    const unstorable = findUnstorableText(json);
    if (unstorable !== undefined)
      return new Refusal(`expected ${expected}, got one whose ${unstorable.field} ${unstorable.problem}`);
    return json as JsonObject;
  });
}

function toJsonValue(value: unknown, depth: number): JsonValue | Refusal {
  if (depth > MAX_JSON_DEPTH)
    return new Refusal(`expected a JSON object nested at most ${MAX_JSON_DEPTH} levels deep`);
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number')
    return Number.isFinite(value) ? value : new Refusal('expected finite numbers');
  // NOTE: free-form properties keep a long number the way any JSON reader would: as the nearest double.
  if (value instanceof ImpreciseJsonNumber) return Number(value.source);
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    for (const item of value as unknown[]) {
      const json = toJsonValue(item, depth + 1);
      if (json instanceof Refusal) return json;
      items.push(json);
    }
    return items;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries: [string, JsonValue][] = [];
    for (const [key, item] of Object.entries(value)) {
      const json = toJsonValue(item, depth + 1);
      if (json instanceof Refusal) return json;
      entries.push([key, json]);
    }
    // NOTE: fromEntries defines "__proto__" as a plain key; assigning it would set the prototype.
    return Object.fromEntries<JsonValue>(entries);
  }
  return new Refusal(`expected JSON values only, got ${describeInput(value)}`);
}
