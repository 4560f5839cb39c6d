import type { ErpEndpoints } from '../config.ts';
import type { Deps } from '../ports/deps.ts';
import type { LocalXero } from './xero/index.ts';
import type { ErpGateway } from '../ports/erp-gateway.ts';
import { erpAuthorizeLink } from '../erp/connect/connect-erp.ts';
import { forgetErpContacts } from '../erp/connect/erp-connections.ts';
import { finishErpConnection } from '../erp/connect/finish-erp-connection.ts';

const SANDBOX_ACTOR = 'billops (local sandbox)';

/**
 * Local mode connects the built-in Xero sandbox at start through the very flow a person goes through
 * with /invoice connect (consent link, redirect with a code, code exchange, connections list), with
 * the sandbox's automatic consent standing in for the person. It is not announced in Slack: it
 * happens at every start.
 */
export async function connectLocalSandbox(
  deps: Pick<Deps, 'db' | 'clock' | 'slack' | 'billing'>,
  gateway: ErpGateway,
): Promise<void> {
  const consent = await fetch(erpAuthorizeLink(gateway.oauth, SANDBOX_ACTOR, deps.clock.now()), {
    redirect: 'manual',
  });
  const location = consent.headers.get('location');
  if (location === null) throw new Error(`The local Xero sandbox refused consent (${consent.status})`);
  const outcome = await finishErpConnection(deps, gateway, new URL(location).searchParams, {
    announce: false,
  });
  if (!outcome.ok) throw new Error(`The local Xero sandbox did not connect: ${outcome.message}`);
  // NOTE: the sandbox keeps its books in memory, so each start meets an empty organisation: contacts
  // made in an earlier one are found or made again (invoices already posted stay posted here).
  await forgetErpContacts(deps.db, 'xero');
}

/** The local Xero's OAuth client and addresses, as a real Xero's come from the environment. */
export function sandboxEndpoints(sandbox: LocalXero): ErpEndpoints {
  return {
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    apiUrl: sandbox.apiUrl,
    authorizeUrl: sandbox.authorizeUrl,
    tokenUrl: sandbox.tokenUrl,
    connectionsUrl: sandbox.connectionsUrl,
  };
}
