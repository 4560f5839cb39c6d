import type { JsonReply } from '../ports/json-reply.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Reading request bodies within a limit and answering JSON: shared by the usage API and the webhooks.

export function isJsonContentType(header: string | undefined): boolean {
  const mediaType = (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/**
 * The body; 'too_large' once it passes `limit` bytes (reading stops there, or before, by Content-Length);
 * 'aborted' when the client went away first.
 */
export function readBodyWithin(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | 'too_large' | 'aborted'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve('too_large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.off('data', onData);
        request.pause();
        resolve('too_large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => {
      resolve(Buffer.concat(chunks));
    });
    // NOTE: a promise settles once, so 'close' after 'end' or after the limit changes nothing.
    request.once('close', () => {
      resolve('aborted');
    });
    request.once('error', () => {
      resolve('aborted');
    });
  });
}

export function sendJson(request: IncomingMessage, response: ServerResponse, reply: JsonReply): void {
  if (response.headersSent) return;
  // NOTE: a body we stopped reading (over the limit) cannot be skipped on a kept-alive connection, so that
  // connection closes. Other early answers leave the rest of a body to Node, which discards it.
  const stoppedReading = reply.status === 413 && !request.complete;
  response.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...(stoppedReading ? { connection: 'close' } : {}),
    ...reply.headers,
  });
  response.end(JSON.stringify(reply.body));
  if (stoppedReading) {
    response.once('finish', () => {
      request.destroy();
    });
  }
}
