import { handleErpEvents, pullErpPayments, type PullSummary } from '../payments/pull-erp-payments.ts';
import type { Deps } from '../ports/deps.ts';
import type { ErpClient } from '../ports/erp-client.ts';
import type { ErpConnection, ErpGateway } from '../ports/erp-gateway.ts';
import { postErpConnectionNews } from './post-erp-news.ts';

/**
 * ERP webhook events: pulls the payments of the invoices they name now. Throws when the ERP said
 * "later", so the job is retried with backoff.
 */
export async function handleErpEventsNow(deps: Deps): Promise<void> {
  const opened = await openErpForPayments(deps);
  if (opened === undefined) return;
  failIfRetryable(await handleErpEvents(deps, opened.client, opened.connection.tenantId));
}

/** Hourly: webhook events left unhandled, then synced invoices still owed money, least recently asked first. */
export async function pullPaymentsFromErp(deps: Deps): Promise<void> {
  const opened = await openErpForPayments(deps);
  if (opened === undefined) return;
  await handleErpEvents(deps, opened.client, opened.connection.tenantId);
  const summary = await pullErpPayments(deps, opened.client);
  if (summary.asked > 0) {
    deps.logger.info(
      { asked: summary.asked, recorded: summary.recorded, failed: summary.failures.length },
      `Payments pulled from ${opened.gateway.provider}`,
    );
  }
}

/** The ERP connection to ask, or undefined when there is none to ask now. */
async function openErpForPayments(
  deps: Deps,
): Promise<{ client: ErpClient; connection: ErpConnection; gateway: ErpGateway } | undefined> {
  const gateway = deps.erp;
  if (gateway === undefined) return undefined;
  const opened = await gateway.open();
  if (!opened.ok) {
    // NOTE: not connected, revoked or paused: posting invoices says so in the alerts channel; events
    // stay unhandled and the hourly pull tries again.
    if (opened.code === 'unavailable') throw new Error(opened.message);
    return undefined;
  }
  if (opened.resumed) await postErpConnectionNews(deps, { kind: 'resumed', provider: gateway.provider });
  return { client: opened.client, connection: opened.connection, gateway };
}

/** Fails the job (graphile-worker retries it with backoff) when the ERP said "later". */
function failIfRetryable(summary: PullSummary): void {
  const retryable = summary.failures.find((failure) => failure.error.retryable);
  if (retryable !== undefined) {
    throw new Error(`Payments not read from the ERP yet: ${retryable.error.message}`);
  }
}
