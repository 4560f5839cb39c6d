import type { Deps } from '../ports/deps.ts';
import type { ErpConnection } from '../ports/erp-gateway.ts';
import type { ErpClient } from '../ports/erp-client.ts';
import type { ErpGateway } from '../ports/erp-gateway.ts';
import type { PullSummary } from '../payments/pull-erp-payments.ts';
import { postErpConnectionNews } from '../erp/post-erp-news.ts';

// NOTE: payment pulls run one at a time (the hourly pull and webhook events alike), beside the ERP's
// posting queue: both share the tenant's call budget in this process.
export const ERP_PAYMENTS_QUEUE = 'erp-payments';

/** The ERP connection to ask, or undefined when there is none to ask now. */
export async function openErpForPayments(
  deps: Deps,
  gateway: ErpGateway,
): Promise<{ client: ErpClient; connection: ErpConnection } | undefined> {
  const opened = await gateway.open();
  if (!opened.ok) {
    // NOTE: not connected, revoked or paused: posting invoices says so in the alerts channel; events
    // stay unhandled and the hourly pull tries again.
    if (opened.code === 'unavailable') throw new Error(opened.message);
    return undefined;
  }
  if (opened.resumed) await postErpConnectionNews(deps, { kind: 'resumed', provider: gateway.provider });
  return opened;
}

/** Fails the job (graphile-worker retries it with backoff) when the ERP said "later". */
export function failIfRetryable(summary: PullSummary): void {
  const retryable = summary.failures.find((failure) => failure.error.retryable);
  if (retryable !== undefined) {
    throw new Error(`Payments not read from the ERP yet: ${retryable.error.message}`);
  }
}
