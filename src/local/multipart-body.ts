// multipart/form-data bodies (RFC 7578) as the Slack SDK and node-quickbooks (form-data) send them; local servers only.
export interface MultipartPart {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

const headerEnd = Buffer.from('\r\n\r\n');

function boundaryOf(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function parsePart(raw: Buffer): MultipartPart | undefined {
  const split = raw.indexOf(headerEnd);
  if (split < 0) return undefined;
  const headers = raw.subarray(0, split).toString('utf8').split('\r\n');
  const part: MultipartPart = { name: '', data: raw.subarray(split + headerEnd.length) };
  for (const header of headers) {
    const [key = '', ...rest] = header.split(':');
    const value = rest.join(':').trim();
    if (key.trim().toLowerCase() === 'content-disposition') {
      part.name = /\bname="([^"]*)"/.exec(value)?.[1] ?? '';
      const filename = /\bfilename="([^"]*)"/.exec(value)?.[1];
      if (filename !== undefined) part.filename = filename;
    } else if (key.trim().toLowerCase() === 'content-type') {
      part.contentType = value;
    }
  }
  return part;
}

/** Splits a multipart/form-data body (RFC 7578) into its parts; enough for what Slack clients send. */
export function parseMultipart(contentType: string, body: Buffer): MultipartPart[] {
  const boundary = boundaryOf(contentType);
  if (boundary === undefined) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const afterDelimiter = start + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, afterDelimiter);
    if (next < 0) break;
    // Each part sits between "--boundary\r\n" and "\r\n--boundary".
    const part = parsePart(body.subarray(afterDelimiter + 2, next - 2));
    if (part !== undefined) parts.push(part);
    start = next;
  }
  return parts;
}
