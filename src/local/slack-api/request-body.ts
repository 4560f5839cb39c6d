import type { IncomingMessage } from 'node:http';

import { isRecord } from './block-kit.ts';
import { parseMultipart } from '../multipart-body.ts';

// NOTE: Slack accepts file uploads far larger than this; a local server only needs invoices and CSVs.
const bodyLimitBytes = 50 * 1024 * 1024;

/** Arguments Slack accepts as JSON strings inside a form body. */
const jsonFormFields = new Set(['blocks', 'attachments', 'view', 'metadata', 'files']);

export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > bodyLimitBytes) throw new Error(`Request body over ${bodyLimitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseJsonField(name: string, value: string): unknown {
  if (!jsonFormFields.has(name)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * Web API arguments from a form, JSON or multipart body. Form values stay strings (as Slack sees them)
 * except the JSON-string fields, which are parsed; uploaded parts become Buffers.
 */
export function parseApiArguments(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  const type = mediaType(contentType);
  if (type === 'application/json') {
    const parsed: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    return isRecord(parsed) ? parsed : {};
  }
  if (type === 'multipart/form-data' && contentType !== undefined) {
    const args: Record<string, unknown> = {};
    for (const part of parseMultipart(contentType, body)) {
      args[part.name] =
        part.filename === undefined ? parseJsonField(part.name, part.data.toString('utf8')) : part.data;
    }
    return args;
  }
  const args: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
    args[name] = parseJsonField(name, value);
  }
  return args;
}

/** The bytes of a file upload: the first file part of a multipart body, or the raw body. */
export function uploadedBytes(contentType: string | undefined, body: Buffer): Buffer {
  if (mediaType(contentType) !== 'multipart/form-data' || contentType === undefined) return body;
  return parseMultipart(contentType, body).find((part) => part.filename !== undefined)?.data ?? body;
}
