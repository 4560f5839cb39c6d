import type { OrganisationBooks } from './org-books.ts';
import { badRequest, type XeroAnswer } from './wire-format.ts';
import { isRecord } from './wire-values.ts';

/** One authenticated, admitted API call as the endpoints see it. */
export interface XeroRequest {
  method: string;
  /** Path segments after /api.xro/2.0, decoded: ['Invoices', '<id>', 'Attachments', 'INV-1.pdf']. */
  segments: string[];
  query: URLSearchParams;
  body: Buffer;
  contentType: string | undefined;
  books: OrganisationBooks;
  now: Date;
  /** The server's origin, for attachment URLs. */
  baseUrl: string;
  /** An arranged validation failure for every element of this write. */
  injectedValidation: string | undefined;
}

/** A list parameter however it arrives: repeated, `Name[]`, or comma-separated. */
export function listParameter(query: URLSearchParams, name: string): string[] | undefined {
  const values = [...query.getAll(name), ...query.getAll(`${name}[]`)];
  if (values.length === 0) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

export function flagParameter(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const key = [...query.keys()].find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? null : query.get(key);
  return value === null ? fallback : value.toLowerCase() === 'true';
}

export function parameter(query: URLSearchParams, name: string): string | undefined {
  const key = [...query.keys()].find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (query.get(key) ?? undefined);
}

/** The elements of a write body: `{ "Invoices": [...] }`, or a single element as Xero also accepts. */
export function writeElements(
  request: XeroRequest,
  collection: string,
): { ok: true; elements: Record<string, unknown>[] } | { ok: false; answer: XeroAnswer } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body.toString('utf8'));
  } catch {
    return {
      ok: false,
      answer: badRequest('PostDataInvalidException', 'JSON for post data was invalid', 14),
    };
  }
  if (!isRecord(parsed)) {
    return {
      ok: false,
      answer: badRequest('PostDataInvalidException', 'JSON for post data was invalid', 14),
    };
  }
  const list = parsed[collection];
  if (list === undefined) return { ok: true, elements: [parsed] };
  if (!Array.isArray(list) || !list.every(isRecord)) {
    return {
      ok: false,
      answer: badRequest('PostDataInvalidException', `${collection} must be a list of objects`, 14),
    };
  }
  return { ok: true, elements: list };
}

/** Xero's pages hold 100 records unless pageSize says otherwise (at most 1,000); no page means all. */
export function pageOf<T>(items: T[], query: URLSearchParams): T[] {
  const page = Number(parameter(query, 'page') ?? '0');
  if (!Number.isInteger(page) || page < 1) return items;
  const size = Math.min(1000, Math.max(1, Number(parameter(query, 'pageSize') ?? '100') || 100));
  return items.slice((page - 1) * size, page * size);
}
