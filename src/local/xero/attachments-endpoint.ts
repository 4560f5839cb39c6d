import { randomUUID } from 'node:crypto';

import { badRequest, notFound, ok, wireAttachment, type XeroAnswer } from './wire-format.ts';
import { flagParameter, type XeroRequest } from './xero-request.ts';

// NOTE: Xero's per-file limit for attachments is about 10 MB, with up to 10 files per document [unverified].
const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_ATTACHMENTS_PER_INVOICE = 10;

/** PUT/POST Invoices/{id}/Attachments/{fileName}: the raw file is the body; its type is Content-Type. */
export function putInvoiceAttachment(request: XeroRequest): XeroAnswer {
  const { books, now } = request;
  const [, invoiceId = '', , fileName = ''] = request.segments;
  const invoice = books.invoices.get(invoiceId.toLowerCase());
  if (invoice === undefined) return notFound();
  if (request.body.length === 0) return badRequest('ValidationException', 'The attachment is empty.');
  if (request.body.length > MAX_ATTACHMENT_BYTES) {
    return {
      status: 413,
      body: { Title: 'Request Entity Too Large', Status: 413, Detail: 'The file is too large.' },
    };
  }
  const existing = books.attachments.findIndex(
    (attachment) => attachment.invoiceId === invoice.invoiceId && attachment.fileName === fileName,
  );
  if (existing < 0 && books.attachmentsOf(invoice.invoiceId).length >= MAX_ATTACHMENTS_PER_INVOICE) {
    return badRequest('ValidationException', 'An invoice can have at most 10 attachments.');
  }
  const attachment = {
    attachmentId: randomUUID(),
    invoiceId: invoice.invoiceId,
    fileName,
    mimeType: request.contentType?.split(';')[0]?.trim() ?? 'application/octet-stream',
    includeOnline: flagParameter(request.query, 'IncludeOnline', false),
    bytes: Buffer.from(request.body),
    createdAt: now,
  };
  // A file with the same name replaces the earlier one [unverified against Xero].
  if (existing >= 0) books.attachments.splice(existing, 1, attachment);
  else books.attachments.push(attachment);
  return ok(now, { Attachments: [wireAttachment(attachment, request.baseUrl)] });
}

/** GET Invoices/{id}/Attachments lists them; GET …/Attachments/{fileName} returns the file itself. */
export function getInvoiceAttachments(request: XeroRequest): XeroAnswer {
  const { books, now } = request;
  const [, invoiceId = '', , fileName] = request.segments;
  const invoice = books.invoices.get(invoiceId.toLowerCase());
  if (invoice === undefined) return notFound();
  const attachments = books.attachmentsOf(invoice.invoiceId);
  if (fileName === undefined) {
    return ok(now, {
      Attachments: attachments.map((attachment) => wireAttachment(attachment, request.baseUrl)),
    });
  }
  const attachment = attachments.find((candidate) => candidate.fileName === fileName);
  if (attachment === undefined) return notFound();
  return { status: 200, body: attachment.bytes, headers: { 'content-type': attachment.mimeType } };
}
