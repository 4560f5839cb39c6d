// Splits the multipart/form-data body node-quickbooks sends to /upload (form-data package, RFC 7578).

export interface MultipartPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
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
  const part: MultipartPart = {
    name: '',
    filename: undefined,
    contentType: undefined,
    data: raw.subarray(split + headerEnd.length),
  };
  for (const header of raw.subarray(0, split).toString('utf8').split('\r\n')) {
    const colon = header.indexOf(':');
    if (colon < 0) continue;
    const key = header.slice(0, colon).trim().toLowerCase();
    const value = header.slice(colon + 1).trim();
    if (key === 'content-disposition') {
      part.name = /\bname="([^"]*)"/.exec(value)?.[1] ?? '';
      part.filename = /\bfilename="([^"]*)"/.exec(value)?.[1];
    } else if (key === 'content-type') {
      part.contentType = value.split(';')[0]?.trim().toLowerCase();
    }
  }
  return part;
}

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
