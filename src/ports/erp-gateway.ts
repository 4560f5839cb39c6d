import type { ErpEndpoints } from '../config.ts';
import type { ErpClient, ErpProvider } from './erp-client.ts';

// The ERP gateway port: the current connection, opened with fresh tokens and its call budget.

export interface ErpConnection {
  id: string;
  provider: ErpProvider;
  tenantId: string;
  tenantName: string | null;
  status: 'active' | 'needs_reconnect';
  pausedUntil: Date | null;
}

/** Everything the OAuth dance needs for one provider. */
export interface ErpOAuthSettings {
  provider: ErpProvider;
  endpoints: ErpEndpoints;
  /** `${PUBLIC_URL}/erp/callback`, registered with the ERP app. */
  redirectUri: string;
  encryptionKey: Buffer;
}

export type OpenedErp =
  | {
      ok: true;
      client: ErpClient;
      connection: ErpConnection;
      /** True for the one caller that ended a daily-limit pause: it says so in Slack. */
      resumed: boolean;
    }
  | { ok: false; code: 'not_connected'; message: string }
  | { ok: false; code: 'needs_reconnect'; message: string; connection: ErpConnection; changed: boolean }
  | { ok: false; code: 'paused'; message: string; connection: ErpConnection; until: Date }
  | { ok: false; code: 'unavailable'; message: string };

/** The ERP billops posts to: the current connection, its tokens, and its per-tenant call budget. */
export interface ErpGateway {
  readonly provider: ErpProvider;
  readonly oauth: ErpOAuthSettings;
  open(): Promise<OpenedErp>;
}
