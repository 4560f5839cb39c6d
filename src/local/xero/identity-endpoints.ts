import type { ServerResponse } from 'node:http';

import type { LocalAuthorizationServer } from '../oauth/local-authorization-server.ts';
import { answerOAuthRequest, bearerToken, type OAuthHttpRequest } from '../oauth/oauth-http.ts';
import { problem } from './wire-format.ts';

// login.xero.com/identity/connect/authorize, identity.xero.com/connect/token and
// api.xero.com/connections, all on the local origin (an app reaches them via FACTS §1.2's interceptor).

export const XERO_OAUTH_ROUTES = {
  authorizePath: '/identity/connect/authorize',
  tokenPath: '/connect/token',
};

export interface IdentityState {
  oauth: LocalAuthorizationServer;
  /** Whether the API takes this bearer token: the fixed one or one the authorization server issued. */
  acceptsToken: (token: string | undefined) => boolean;
  tenants: () => { tenantId: string; tenantName: string }[];
  now: () => Date;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

/** Answers the authorize, token and connections endpoints; false when the request is none of them. */
export function answerIdentity(
  state: IdentityState,
  request: OAuthHttpRequest,
  response: ServerResponse,
): boolean {
  if (answerOAuthRequest(state.oauth, XERO_OAUTH_ROUTES, request, response)) return true;
  if (request.method !== 'GET' || request.url.pathname !== '/connections') return false;
  if (!state.acceptsToken(bearerToken(request.headers.authorization))) {
    const unauthorized = problem(401, 'Unauthorized', 'AuthenticationUnsuccessful');
    sendJson(response, 401, unauthorized.body, { 'www-authenticate': 'Bearer error="invalid_token"' });
    return true;
  }
  const at = state.now().toISOString();
  sendJson(
    response,
    200,
    state.tenants().map(({ tenantId, tenantName }) => ({
      id: tenantId,
      authEventId: tenantId,
      tenantId,
      tenantType: 'ORGANISATION',
      tenantName,
      createdDateUtc: at,
      updatedDateUtc: at,
    })),
  );
  return true;
}
