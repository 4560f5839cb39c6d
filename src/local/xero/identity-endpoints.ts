import type { ServerResponse } from 'node:http';

// Just enough of identity.xero.com and api.xero.com/connections for an app pointed here by an axios
// interceptor (FACTS §1.2): refresh and client-credentials grants return the accepted token.

export interface IdentityState {
  accessToken: () => string;
  tenants: () => { tenantId: string; tenantName: string }[];
  now: () => Date;
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

/** Answers POST /connect/token and GET /connections; false when the path is neither. */
export function answerIdentity(
  state: IdentityState,
  method: string,
  path: string,
  response: ServerResponse,
): boolean {
  if (method === 'POST' && path === '/connect/token') {
    sendJson(response, 200, {
      access_token: state.accessToken(),
      expires_in: 1800,
      token_type: 'Bearer',
      refresh_token: `local-refresh-${state.now().getTime()}`,
      scope: 'accounting.invoices accounting.contacts accounting.attachments offline_access',
    });
    return true;
  }
  if (method === 'GET' && path === '/connections') {
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
  return false;
}
