import type { Company, UploadedFile } from './company.ts';
import { parseMultipart } from '../../../src/local/multipart-body.ts';
import {
  faultBody,
  isJsonObject,
  qboTime,
  QuickBooksFault,
  textOf,
  validationFault,
  type Answer,
  type Json,
  type JsonObject,
} from './wire.ts';

// What one admitted request to /v3/company/{realmId}/… does to a company: the QBO resources billops
// uses (query, customer, invoice, batch, upload, attachable, preferences), answered in QBO's envelope.

export interface ApiRequest {
  verb: string;
  /** Path segments after /v3/company/{realmId}/, e.g. ['invoice'] or ['invoice', '130']. */
  resource: string[];
  params: URLSearchParams;
  contentType: string;
  body: Buffer;
  now: Date;
}

export const batchMaxItems = 30;
const creatable = ['Customer', 'Invoice', 'CreditMemo'] as const;

function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validationFault(
      '2010',
      'Request has invalid or unsupported property',
      'Request body is not valid JSON',
    );
  }
}

function entityAnswer(name: string, entity: JsonObject, now: Date): Answer {
  return { status: 200, body: { [name]: entity, time: qboTime(now) } };
}

function create(
  company: Company,
  kind: (typeof creatable)[number],
  entity: unknown,
  request: ApiRequest,
): JsonObject {
  if (kind === 'Customer') return company.createCustomer(entity, request.now);
  const options = {
    allowDuplicateDocNumber: request.params.get('include')?.toLowerCase() === 'allowduplicatedocnum',
  };
  if (kind === 'CreditMemo') return company.createCreditMemo(entity, request.now, options);
  return company.createInvoice(entity, request.now, options);
}

function uploadedFiles(request: ApiRequest): UploadedFile[] {
  const parts = parseMultipart(request.contentType, request.body);
  const metadata = new Map<string, unknown>();
  for (const part of parts) {
    const suffix = /^file_metadata_(\w+)$/.exec(part.name)?.[1];
    if (suffix !== undefined) metadata.set(suffix, parseJson(part.data));
  }
  return parts.flatMap((part) => {
    const suffix = /^file_content_(\w+)$/.exec(part.name)?.[1];
    if (suffix === undefined) return [];
    return [
      {
        fileName: part.filename ?? `file_${suffix}`,
        contentType: part.contentType ?? 'application/octet-stream',
        bytes: part.data,
        metadata: metadata.get(suffix),
      },
    ];
  });
}

function batchItem(company: Company, item: unknown, request: ApiRequest): JsonObject {
  const bId = isJsonObject(item) && typeof item.bId === 'string' ? item.bId : '';
  try {
    if (!isJsonObject(item) || bId === '') {
      throw validationFault(
        '2020',
        'Required param missing, need to supply the required value for the API',
        'Required parameter bId is missing in the request',
        'bId',
      );
    }
    const operation = typeof item.operation === 'string' ? item.operation.toLowerCase() : '';
    if (operation === 'query' && typeof item.Query === 'string') {
      return { bId, QueryResponse: company.query(item.Query) };
    }
    const kind = creatable.find((name) => name in item);
    if (operation === 'create' && kind !== undefined) {
      return { bId, [kind]: create(company, kind, item[kind], request) };
    }
    throw validationFault(
      '2010',
      'Request has invalid or unsupported property',
      `Batch operation ${operation || '(none)'} is not supported by the local QuickBooks server`,
    );
  } catch (error) {
    if (!(error instanceof QuickBooksFault)) throw error;
    const fault = error.body(qboTime(request.now)).Fault as Json;
    return { bId, Fault: fault };
  }
}

function batch(company: Company, request: ApiRequest): Answer {
  const body = parseJson(request.body);
  const items = isJsonObject(body) ? body.BatchItemRequest : undefined;
  if (!Array.isArray(items) || items.length === 0) {
    throw validationFault(
      '2020',
      'Required param missing, need to supply the required value for the API',
      'Required parameter BatchItemRequest is missing in the request',
    );
  }
  if (items.length > batchMaxItems) {
    throw validationFault(
      '2010',
      'Request has invalid or unsupported property',
      `Batch size ${items.length} is over the limit of ${batchMaxItems} BatchItemRequest items`,
    );
  }
  const ids = new Set<string>();
  const responses = items.map((item) => {
    const answer = batchItem(company, item, request);
    const bId = textOf(answer.bId);
    if (ids.has(bId)) {
      return {
        bId,
        Fault: faultBody(
          'ValidationFault',
          { Message: 'Duplicate bId', Detail: `bId ${bId} is used twice`, code: '2010' },
          '',
        ).Fault as Json,
      };
    }
    ids.add(bId);
    return answer;
  });
  return { status: 200, body: { BatchItemResponse: responses, time: qboTime(request.now) } };
}

/** Runs one request against the company; throws QuickBooksFault for QBO-style refusals. */
export function answerApiRequest(company: Company, request: ApiRequest): Answer {
  const [resource = '', id] = request.resource.map((segment) => segment.toLowerCase());
  const operation = request.params.get('operation')?.toLowerCase();
  const post = request.verb === 'POST';

  if (resource === 'query') {
    const text = request.params.get('query') ?? (post ? request.body.toString('utf8') : '');
    return { status: 200, body: { QueryResponse: company.query(text), time: qboTime(request.now) } };
  }
  if (resource === 'batch' && post) return batch(company, request);
  if (resource === 'preferences' && request.verb === 'GET') {
    return entityAnswer('Preferences', company.preferences(), request.now);
  }
  if (resource === 'upload' && post) {
    const attachables = company.upload(uploadedFiles(request), request.now);
    return {
      status: 200,
      body: {
        AttachableResponse: attachables.map((attachable) => ({ Attachable: attachable })),
        time: qboTime(request.now),
      },
    };
  }
  if (resource === 'attachable' && post) {
    const body = parseJson(request.body);
    const attachable =
      operation === 'update'
        ? company.updateAttachable(body, request.now)
        : company.createAttachable(body, request.now);
    return entityAnswer('Attachable', attachable, request.now);
  }
  if (resource === 'invoice' && post && operation === 'void') {
    return entityAnswer('Invoice', company.voidInvoice(parseJson(request.body), request.now), request.now);
  }
  const kind = creatable.find((name) => name.toLowerCase() === resource);
  if (kind !== undefined && post && operation === undefined) {
    return entityAnswer(kind, create(company, kind, parseJson(request.body), request), request.now);
  }
  const readable = [
    'Customer',
    'Invoice',
    'CreditMemo',
    'Payment',
    'Attachable',
    'Item',
    'Class',
    'Department',
    'TaxCode',
  ].find((name) => name.toLowerCase() === resource);
  if (readable !== undefined && request.verb === 'GET' && id !== undefined) {
    return entityAnswer(readable, company.read(readable, request.resource[1] ?? ''), request.now);
  }
  throw validationFault(
    '2010',
    'Request has invalid or unsupported property',
    `${request.verb} /${request.resource.join('/')}${operation === undefined ? '' : `?operation=${operation}`} is not supported by the local QuickBooks server`,
  );
}
