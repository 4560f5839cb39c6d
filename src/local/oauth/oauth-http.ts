import type { IncomingHttpHeaders, ServerResponse } from 'node:http';

import type { LocalAuthorizationServer } from './local-authorization-server.ts';

// The HTTP face of a LocalAuthorizationServer, mounted on a local ERP server at the vendor's paths.

export interface OAuthRoutes {
  authorizePath: string;
  tokenPath: string;
  /** Added to every authorize redirect, e.g. QBO's `realmId`. */
  redirectParams?: Record<string, string>;
}

export interface OAuthHttpRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The token of an `Authorization: Bearer …` header, if that is what it holds. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  // NOTE: RFC 6749 §5.1: token answers must not be cached.
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    ...headers,
  });
  response.end(JSON.stringify(body));
}

/** Answers GET authorize (302) and POST token; false when the request is neither. */
export function answerOAuthRequest(
  server: LocalAuthorizationServer,
  routes: OAuthRoutes,
  request: OAuthHttpRequest,
  response: ServerResponse,
): boolean {
  const { method, url } = request;
  if (method === 'GET' && url.pathname === routes.authorizePath) {
    const result = server.authorize(url.searchParams, routes.redirectParams);
    if ('redirect' in result) {
      response.writeHead(302, { location: result.redirect }).end();
    } else {
      response
        .writeHead(result.status, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`Authorization refused: ${result.error}`);
    }
    return true;
  }
  if (method === 'POST' && url.pathname === routes.tokenPath) {
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      sendJson(response, 400, {
        error: 'invalid_request',
        error_description: 'the body must be application/x-www-form-urlencoded',
      });
      return true;
    }
    const answer = server.token(
      new URLSearchParams(request.body.toString('utf8')),
      request.headers.authorization,
    );
    const challenge = answer.status === 401 ? { 'www-authenticate': 'Basic realm="token"' } : {};
    sendJson(response, answer.status, answer.body, challenge);
    return true;
  }
  return false;
}
