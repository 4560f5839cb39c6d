import type { Authentication } from 'xero-node';

import type { ErpSession } from '../../ports/erp-client.ts';

type RequestOptions = Parameters<Authentication['applyToRequest']>[0];

/**
 * Plugged in as the AccountingApi's default authentication, which xero-node applies to every request
 * after its own OAuth2 one: it sets the session's current access token (refreshed elsewhere) and a
 * timeout, which xero-node has no other way to set (it calls axios with no timeout).
 */
export class SessionAuthentication implements Authentication {
  private readonly session: ErpSession;
  private readonly timeoutMs: number;

  constructor(session: ErpSession, timeoutMs: number) {
    this.session = session;
    this.timeoutMs = timeoutMs;
  }

  async applyToRequest(requestOptions: RequestOptions): Promise<void> {
    const token = await this.session.accessToken();
    if (requestOptions.headers === undefined) requestOptions.headers = { Authorization: `Bearer ${token}` };
    else requestOptions.headers.Authorization = `Bearer ${token}`;
    requestOptions.timeout = this.timeoutMs;
  }
}
