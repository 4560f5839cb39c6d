import type { Db } from '../db/database.ts';
import {
  budgetedErpClient,
  QUICKBOOKS_CALLS_PER_OPERATION,
  QUICKBOOKS_CONTACT_BATCH_SIZE,
} from './budget/budgeted-erp-client.ts';
import {
  CallBudget,
  QUICKBOOKS_BUDGET,
  realBudgetClock,
  XERO_BUDGET,
  type BudgetClock,
  type BudgetLimits,
} from './budget/call-budget.ts';
import type { ErpOAuthSettings } from '../ports/erp-gateway.ts';
import { currentErpConnection, endErpPause } from './connect/erp-connections.ts';
import type { ErpClient, ErpProvider } from '../ports/erp-client.ts';
import { erpAccessToken, expireAccessToken } from './erp-access-token.ts';
import { createQuickBooksClient, quickBooksBatchSize } from './quickbooks/index.ts';
import { createXeroClient, XERO_BATCH_SIZE } from './xero/index.ts';
import type { ErpGateway } from '../ports/erp-gateway.ts';

export interface ErpGatewayOptions {
  db: Db;
  clock: { now(): Date };
  oauth: ErpOAuthSettings;
  /** The time the budget waits in; a bench scales it. */
  budgetClock?: BudgetClock;
  /** Client-side budget per tenant; defaults to the vendor's published limits. */
  limits?: BudgetLimits;
  timeoutMs?: number;
}

const DEFAULT_LIMITS: Record<ErpProvider, BudgetLimits> = {
  xero: XERO_BUDGET,
  quickbooks: QUICKBOOKS_BUDGET,
};

export function createErpGateway(options: ErpGatewayOptions): ErpGateway {
  const { db, clock, oauth } = options;
  const { provider, endpoints } = oauth;
  // NOTE: one budget per tenant for the life of the process: every job calling that tenant shares it.
  const clients = new Map<string, ErpClient>();
  const tokenDeps = {
    db,
    clock,
    encryptionKey: oauth.encryptionKey,
    oauth: {
      tokenUrl: endpoints.tokenUrl,
      clientId: endpoints.clientId,
      clientSecret: endpoints.clientSecret,
    },
  };

  function clientFor(tenantId: string): ErpClient {
    const existing = clients.get(tenantId);
    if (existing !== undefined) return existing;
    // NOTE: the token handed out last; a 401 expires it (if still the stored one) so the retry refreshes.
    // Calls share it, so a 401 that races a refresh may expire the new token too: one refresh more.
    let lastToken: string | undefined;
    const session = {
      tenantId,
      accessToken: async () => {
        const token = await erpAccessToken(tokenDeps, provider, tenantId);
        if (!token.ok) throw new Error(token.message);
        lastToken = token.accessToken;
        return token.accessToken;
      },
    };
    const reauthorize = async () => {
      if (lastToken !== undefined) await expireAccessToken(tokenDeps, provider, tenantId, lastToken);
    };
    const vendor =
      provider === 'xero'
        ? createXeroClient({ session, apiUrl: endpoints.apiUrl, timeoutMs: options.timeoutMs })
        : createQuickBooksClient({ session, apiUrl: endpoints.apiUrl, timeoutMs: options.timeoutMs });
    const budgetClock = options.budgetClock ?? realBudgetClock;
    const client = budgetedErpClient(vendor, {
      budget: new CallBudget(options.limits ?? DEFAULT_LIMITS[provider], budgetClock),
      clock: budgetClock,
      batchSize: provider === 'xero' ? XERO_BATCH_SIZE : quickBooksBatchSize,
      contactBatchSize: provider === 'xero' ? XERO_BATCH_SIZE : QUICKBOOKS_CONTACT_BATCH_SIZE,
      callsPerOperation: provider === 'quickbooks' ? QUICKBOOKS_CALLS_PER_OPERATION : {},
      reauthorize,
    });
    clients.set(tenantId, client);
    return client;
  }

  return {
    provider,
    oauth,
    async open() {
      const connection = await currentErpConnection(db, provider);
      const name = provider === 'xero' ? 'Xero' : 'QuickBooks Online';
      if (connection === undefined) {
        return {
          ok: false,
          code: 'not_connected',
          message: `No ${name} organisation is connected yet: an approver connects one with /invoice connect ${provider}.`,
        };
      }
      if (connection.status === 'needs_reconnect') {
        return {
          ok: false,
          code: 'needs_reconnect',
          message: reconnectMessage(name),
          connection,
          changed: false,
        };
      }
      const now = clock.now();
      if (connection.pausedUntil !== null && connection.pausedUntil > now) {
        return {
          ok: false,
          code: 'paused',
          message: `${name}'s daily limit of API calls is used up until ${connection.pausedUntil.toISOString()}.`,
          connection,
          until: connection.pausedUntil,
        };
      }
      const token = await erpAccessToken(tokenDeps, provider, connection.tenantId);
      if (!token.ok) {
        if (token.code === 'needs_reconnect') {
          return {
            ok: false,
            code: 'needs_reconnect',
            message: reconnectMessage(name),
            connection: { ...connection, status: 'needs_reconnect' },
            changed: token.changed === true,
          };
        }
        return { ok: false, code: 'unavailable', message: token.message };
      }
      const resumed = connection.pausedUntil !== null && (await endErpPause(db, connection.id, now));
      return { ok: true, client: clientFor(connection.tenantId), connection, resumed };
    },
  };
}

function reconnectMessage(name: string): string {
  return `The ${name} connection was revoked or has expired, so nothing can be posted until an approver reconnects it.`;
}
