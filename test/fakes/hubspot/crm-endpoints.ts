import { z } from 'zod';

import {
  CRM_OBJECT_TYPES,
  type CrmObjectType,
  type CrmRecord,
  type CrmRecords,
  type DealLinks,
} from './crm-records.ts';
import { errorAnswer, notFound, type HubSpotAnswer } from './wire.ts';

// The CRM v3 object endpoints billops reads: GET /crm/v3/objects/{type}/{id} and
// POST /crm/v3/objects/{type}/batch/read, in HubSpot's shapes.

// NOTE: HubSpot's batch endpoints take at most 100 inputs.
const BATCH_LIMIT = 100;

/** How v3 names association keys: by the associated object's label, so line items get a space. */
const ASSOCIATION_KEYS: Record<string, { key: string; type: CrmObjectType }> = {
  line_items: { key: 'line items', type: 'line_items' },
  line_item: { key: 'line items', type: 'line_items' },
  companies: { key: 'companies', type: 'companies' },
  company: { key: 'companies', type: 'companies' },
  contacts: { key: 'contacts', type: 'contacts' },
  contact: { key: 'contacts', type: 'contacts' },
};

/** The upper-case name HubSpot uses in batch error messages. */
const OBJECT_NAMES: Record<CrmObjectType, string> = {
  deals: 'DEAL',
  line_items: 'LINE_ITEM',
  companies: 'COMPANY',
  contacts: 'CONTACT',
};

const batchReadInput = z.object({
  inputs: z.array(z.object({ id: z.string() })),
  properties: z.array(z.string()).optional(),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});

export interface CrmRequest {
  method: string;
  /** Path segments after /crm/v3/objects. */
  segments: readonly string[];
  query: URLSearchParams;
  body: Buffer;
  now: Date;
}

export function isCrmObjectType(value: string | undefined): value is CrmObjectType {
  return CRM_OBJECT_TYPES.some((type) => type === value);
}

/** `properties=a,b&properties=c` → [a, b, c]; undefined when not asked. */
function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

function wireObject(records: CrmRecords, type: CrmObjectType, record: CrmRecord, requested?: string[]) {
  return {
    id: record.id,
    properties: records.propertiesOf(type, record, requested),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    archived: false,
  };
}

/**
 * The primary company is listed twice: as 'deal_to_company' and again unlabelled. HubSpot promises
 * no order, so the other companies come first here: a client taking the first entry is caught.
 */
function companyAssociations(links: DealLinks): { id: string; type: string }[] {
  const others = links.companyIds.filter((id) => id !== links.primaryCompanyId);
  const primary = links.primaryCompanyId;
  return [
    ...others.map((id) => ({ id, type: 'deal_to_company_unlabeled' })),
    ...(primary === undefined
      ? []
      : [
          { id: primary, type: 'deal_to_company' },
          { id: primary, type: 'deal_to_company_unlabeled' },
        ]),
  ];
}

function dealAssociations(records: CrmRecords, dealId: string, asked: readonly string[]) {
  const links = records.dealLinks.get(dealId);
  const associations: Record<string, { results: { id: string; type: string }[] }> = {};
  if (links === undefined) return associations;
  for (const name of asked) {
    const known = ASSOCIATION_KEYS[name.toLowerCase()];
    if (known === undefined) continue;
    const results =
      known.type === 'line_items'
        ? links.lineItemIds.map((id) => ({ id, type: 'deal_to_line_item' }))
        : known.type === 'contacts'
          ? links.contactIds.map((id) => ({ id, type: 'deal_to_contact' }))
          : companyAssociations(links);
    // NOTE: HubSpot leaves out association keys with nothing associated.
    if (results.length > 0) associations[known.key] = { results };
  }
  return associations;
}

function getObject(
  records: CrmRecords,
  type: CrmObjectType,
  id: string,
  query: URLSearchParams,
): HubSpotAnswer {
  const record = records.objects[type].get(id);
  if (record === undefined) return notFound();
  const object = wireObject(records, type, record, listParam(query, 'properties'));
  const asked = listParam(query, 'associations');
  if (type !== 'deals' || asked === undefined) return { status: 200, body: object };
  const associations = dealAssociations(records, id, asked);
  return {
    status: 200,
    body: Object.keys(associations).length === 0 ? object : { ...object, associations },
  };
}

function batchRead(records: CrmRecords, type: CrmObjectType, body: Buffer, now: Date): HubSpotAnswer {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return errorAnswer(400, 'VALIDATION_ERROR', 'Invalid input JSON: the request body is not JSON.');
  }
  const parsed = batchReadInput.safeParse(json);
  if (!parsed.success) {
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `Invalid input JSON: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  const { inputs, properties, idProperty } = parsed.data;
  if (idProperty !== undefined) {
    return errorAnswer(400, 'VALIDATION_ERROR', 'The local HubSpot reads by record id only (no idProperty).');
  }
  if (inputs.length > BATCH_LIMIT) {
    return errorAnswer(
      400,
      'VALIDATION_ERROR',
      `Batch input limit of ${BATCH_LIMIT} exceeded: ${inputs.length}.`,
    );
  }
  const startedAt = now.toISOString();
  const ids = [...new Set(inputs.map((input) => input.id))];
  const results = ids.flatMap((id) => {
    const record = records.objects[type].get(id);
    return record === undefined ? [] : [wireObject(records, type, record, properties)];
  });
  const missing = ids.filter((id) => !records.objects[type].has(id));
  const answer = { status: 'COMPLETE', results, startedAt, completedAt: now.toISOString() };
  if (missing.length === 0) return { status: 200, body: answer };
  return {
    status: 207,
    body: {
      ...answer,
      numErrors: 1,
      errors: [
        {
          status: 'error',
          category: 'OBJECT_NOT_FOUND',
          message: `Could not get some ${OBJECT_NAMES[type]} objects, they may be deleted or not exist. Check that ids are valid.`,
          context: { ids: missing },
        },
      ],
    },
  };
}

/** The answer for a request under /crm/v3/objects; undefined when no endpoint serves it. */
export function answerCrmRequest(records: CrmRecords, request: CrmRequest): HubSpotAnswer | undefined {
  const [type, idOrBatch, operation] = request.segments;
  if (!isCrmObjectType(type) || idOrBatch === undefined) return undefined;
  if (request.method === 'GET' && request.segments.length === 2) {
    return getObject(records, type, idOrBatch, request.query);
  }
  if (
    request.method === 'POST' &&
    idOrBatch === 'batch' &&
    operation === 'read' &&
    request.segments.length === 3
  ) {
    return batchRead(records, type, request.body, request.now);
  }
  return undefined;
}
