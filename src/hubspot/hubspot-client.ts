import type { z } from 'zod';

import { parseDecimal } from '../money/decimal.ts';
import { batchReadAnswer, crmObject, dealWithAssociations } from './crm-v3-shapes.ts';
import { findUnstorableText } from '../text/storable-text.ts';
import {
  failure,
  translateHttpFailure,
  translateNetworkFailure,
  type HubSpotFailure,
} from './hubspot-failure.ts';

// The HubSpot CRM v3 client billops needs to draft an invoice from a closed-won deal: the deal, its
// line items, its company and the email of its contact. Amounts stay the strings HubSpot sent.

export interface HubSpotDealLine {
  id: string;
  name: string;
  /** Decimal strings exactly as HubSpot holds them ("3", "1.5"). */
  quantity: string;
  /** Unit price in the deal currency. */
  price: string;
  /** HubSpot's `discount`: an amount off, in the deal currency. */
  discount?: string;
  sku?: string;
}

export interface HubSpotDeal {
  id: string;
  name: string;
  /** The `dealstage` id: 'closedwon' in the default pipeline, a number in custom ones. */
  stage: string;
  /** `closedate`, ISO 8601 as HubSpot sends it. */
  closedAt: string;
  /** `deal_currency_code`, ISO 4217. */
  currency: string;
  /** The primary company when HubSpot marks one, else the first associated. */
  companyId?: string;
  contactEmail?: string;
  /** In the order the deal lists them. */
  lines: HubSpotDealLine[];
}

export type FetchClosedDealResult = { ok: true; deal: HubSpotDeal } | HubSpotFailure;

export interface HubSpotClient {
  /**
   * Reads a deal with its line items, company and contact email. It does not judge the stage: the
   * caller compares `stage` with the closed-won stage of the deal's pipeline.
   */
  fetchClosedDeal(dealId: string): Promise<FetchClosedDealResult>;
}

export interface HubSpotClientOptions {
  /** Default https://api.hubapi.com; the local HubSpot's `url` in tests and local mode. */
  apiUrl?: string;
  /** A private app access token (pat-…). */
  accessToken: string;
  /** Per request; default 15 seconds. */
  timeoutMs?: number;
}

const DEAL_PROPERTIES = ['dealname', 'dealstage', 'closedate', 'deal_currency_code'];
const LINE_ITEM_PROPERTIES = ['name', 'quantity', 'price', 'hs_sku', 'discount'];
// NOTE: HubSpot's batch endpoints take at most 100 inputs per call.
const BATCH_READ_LIMIT = 100;

type Answer<T> = { ok: true; status: number; value: T } | HubSpotFailure;

function present(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/** A line item as billops uses it, or what is missing from it. */
function toDealLine(item: z.infer<typeof crmObject>): HubSpotDealLine | string {
  const { properties } = item;
  const name = present(properties.name);
  const quantity = present(properties.quantity);
  const price = present(properties.price);
  const discount = present(properties.discount);
  const problems: string[] = [];
  if (name === undefined) problems.push('no name');
  if (quantity === undefined) problems.push('no quantity');
  else if (parseDecimal(quantity) === undefined) problems.push(`quantity "${quantity}" is not a number`);
  if (price === undefined) problems.push('no unit price');
  else if (parseDecimal(price) === undefined) problems.push(`unit price "${price}" is not a number`);
  if (discount !== undefined && parseDecimal(discount) === undefined) {
    problems.push(`discount "${discount}" is not a number`);
  }
  if (problems.length > 0 || name === undefined || quantity === undefined || price === undefined) {
    return `line item ${item.id} has ${problems.join(', ')}`;
  }
  const sku = present(properties.hs_sku);
  return {
    id: item.id,
    name,
    quantity,
    price,
    ...(discount === undefined ? {} : { discount }),
    ...(sku === undefined ? {} : { sku }),
  };
}

export function createHubSpotClient(options: HubSpotClientOptions): HubSpotClient {
  const apiUrl = (options.apiUrl ?? 'https://api.hubapi.com').replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function request<T>(
    path: string,
    init: { method: 'GET' } | { method: 'POST'; body: unknown },
    schema: z.ZodType<T>,
    subject: string,
  ): Promise<Answer<T>> {
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const response = await fetch(`${apiUrl}${path}`, {
        method: init.method,
        headers: {
          authorization: `Bearer ${options.accessToken}`,
          accept: 'application/json',
          ...(init.method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        body: init.method === 'POST' ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      headers = response.headers;
      text = await response.text();
    } catch (error) {
      return translateNetworkFailure(error, subject, timeoutMs);
    }
    let body: unknown;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      body = text;
    }
    if (status < 200 || status >= 300) return translateHttpFailure(status, headers, body, subject);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      return failure(
        'unexpected_response',
        `HubSpot answered ${status} for ${subject} in a shape billops does not know (${describeIssues(parsed.error)}).`,
      );
    }
    const unstorable = findUnstorableText(parsed.data);
    if (unstorable !== undefined) {
      return failure(
        'unexpected_response',
        `HubSpot answered ${subject} with text billops cannot store: ${unstorable.field} ${unstorable.problem}. Fix it in HubSpot.`,
      );
    }
    return { ok: true, status, value: parsed.data };
  }

  async function readLineItems(dealId: string, ids: readonly string[]): Promise<Answer<HubSpotDealLine[]>> {
    const found = new Map<string, z.infer<typeof crmObject>>();
    for (const batch of chunks(ids, BATCH_READ_LIMIT)) {
      const answer = await request(
        '/crm/v3/objects/line_items/batch/read',
        {
          method: 'POST',
          body: {
            properties: LINE_ITEM_PROPERTIES,
            propertiesWithHistory: [],
            inputs: batch.map((id) => ({ id })),
          },
        },
        batchReadAnswer,
        `the line items of deal ${dealId}`,
      );
      if (!answer.ok) return answer;
      for (const item of answer.value.results) found.set(item.id, item);
    }
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      // NOTE: HubSpot answers 207 with the ids it could not find; the invoice would lack those lines.
      return failure(
        'incomplete_deal',
        `HubSpot could not find line item${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of deal ${dealId}; ` +
          'check the deal in HubSpot and move it to closed-won again.',
      );
    }
    const lines: HubSpotDealLine[] = [];
    const problems: string[] = [];
    for (const id of ids) {
      const item = found.get(id);
      if (item === undefined) continue;
      const line = toDealLine(item);
      if (typeof line === 'string') problems.push(line);
      else lines.push(line);
    }
    if (problems.length > 0) {
      return failure(
        'incomplete_deal',
        `Deal ${dealId} cannot be invoiced: ${problems.join('; ')}. Fix the line items in HubSpot.`,
      );
    }
    return { ok: true, status: 200, value: lines };
  }

  async function readContactEmail(dealId: string, contactId: string): Promise<Answer<string | undefined>> {
    const answer = await request(
      `/crm/v3/objects/contacts/${encodeURIComponent(contactId)}?properties=email`,
      { method: 'GET' },
      crmObject,
      `contact ${contactId} of deal ${dealId}`,
    );
    // NOTE: the email is optional on the invoice; a contact deleted since the deal was read is not fatal.
    if (!answer.ok) return answer.code === 'not_found' ? { ok: true, status: 404, value: undefined } : answer;
    return { ok: true, status: answer.status, value: present(answer.value.properties.email) };
  }

  async function fetchClosedDeal(dealId: string): Promise<FetchClosedDealResult> {
    if (!/^\d+$/.test(dealId)) {
      return failure('not_found', `"${dealId}" is not a HubSpot deal id (HubSpot ids are digits).`);
    }
    const query = new URLSearchParams({
      properties: DEAL_PROPERTIES.join(','),
      associations: 'line_items,companies,contacts',
    });
    const answer = await request(
      `/crm/v3/objects/deals/${dealId}?${query.toString()}`,
      { method: 'GET' },
      dealWithAssociations,
      `deal ${dealId}`,
    );
    if (!answer.ok) return answer;
    const { properties, associations = {} } = answer.value;

    const name = present(properties.dealname);
    const stage = present(properties.dealstage);
    const closedAt = present(properties.closedate);
    const currency = present(properties.deal_currency_code);
    if (name === undefined || stage === undefined || closedAt === undefined || currency === undefined) {
      const missing = Object.entries({
        dealname: name,
        dealstage: stage,
        closedate: closedAt,
        deal_currency_code: currency,
      })
        .filter(([, value]) => value === undefined)
        .map(([property]) => property);
      return failure(
        'incomplete_deal',
        `Deal ${dealId} cannot be invoiced: HubSpot has no ${missing.join(', ')} for it. Set ${
          missing.length === 1 ? 'it' : 'them'
        } on the deal and move it to closed-won again.`,
      );
    }

    // NOTE: v3 names the association keys by object label: 'line items' (with a space), 'companies', 'contacts'.
    const lineItems = associations['line items'];
    if (lineItems?.paging?.next !== undefined) {
      return failure(
        'unexpected_response',
        `Deal ${dealId} has more line items than HubSpot lists in one read; split it into smaller deals.`,
      );
    }
    const lineIds = unique((lineItems?.results ?? []).map((entry) => entry.id));
    const companies = associations.companies?.results ?? [];
    // NOTE: the primary company comes as 'deal_to_company' and again as 'deal_to_company_unlabeled'.
    const companyId = (companies.find((entry) => entry.type === 'deal_to_company') ?? companies[0])?.id;
    const contactId = associations.contacts?.results[0]?.id;

    const lines =
      lineIds.length === 0 ? { ok: true as const, value: [] } : await readLineItems(dealId, lineIds);
    if (!lines.ok) return lines;
    const contactEmail = contactId === undefined ? undefined : await readContactEmail(dealId, contactId);
    if (contactEmail !== undefined && !contactEmail.ok) return contactEmail;

    return {
      ok: true,
      deal: {
        id: answer.value.id,
        name,
        stage,
        closedAt,
        currency,
        ...(companyId === undefined ? {} : { companyId }),
        ...(contactEmail?.value === undefined ? {} : { contactEmail: contactEmail.value }),
        lines: lines.value,
      },
    };
  }

  return { fetchClosedDeal };
}
