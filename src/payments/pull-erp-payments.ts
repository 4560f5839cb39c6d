import type { Deps } from '../ports/deps.ts';
import type { ErpClient, ErpError, ErpProvider } from '../ports/erp-client.ts';
import { PAYABLE_STATUSES } from './invoice-balance.ts';
import { recordPayment } from './record-payment.ts';

// Payments made in the ERP (a customer paid, finance applied it in Xero or QuickBooks) come back into
// billops through recordPayment, with the ERP's payment id, so asking twice records nothing twice.

type PullDeps = Pick<Deps, 'db' | 'clock' | 'billing' | 'logger'>;

/** An invoice billops posted to the ERP and still expects money for. */
export interface PostedInvoice {
  syncId: string;
  invoiceId: string;
  /** Its id in the ERP (erp_syncs.external_id). */
  externalId: string;
}

export type InvoicePull = { ok: true; recorded: number } | { ok: false; error: ErpError };

export interface PullSummary {
  asked: number;
  recorded: number;
  /** Why the pull stopped early or skipped invoices (rate or daily limits, ERP failures). */
  failures: { invoiceId: string; error: ErpError }[];
}

// NOTE: one ERP call per invoice for Xero, two for QuickBooks. Xero allows 5,000 calls a day per
// organisation, shared with posting invoices, so an hourly pull asks about at most 50 invoices
// (1,200 calls a day); Xero's webhook tells billops about payments sooner. QuickBooks has no daily limit.
const PULL_PER_RUN: Record<ErpProvider, number> = { xero: 50, quickbooks: 250 };

const STOP_CODES = new Set(['rate_limited', 'daily_limit', 'unauthorized', 'forbidden']);

/** A failure that says nothing about the invoice (limits, lost access, outages): ask again later. */
function inconclusive(error: ErpError): boolean {
  return error.retryable || STOP_CODES.has(error.code);
}

/** Asks the ERP for one invoice's payments and records those billops does not have yet. */
export async function pullInvoicePayments(
  deps: PullDeps,
  client: ErpClient,
  invoice: PostedInvoice,
): Promise<InvoicePull> {
  const found = await client.getInvoicePayments(invoice.externalId);
  if (!found.ok && inconclusive(found.error)) return found;
  await deps.db
    .updateTable('erp_syncs')
    .set({ payments_checked_at: deps.clock.now() })
    .where('id', '=', invoice.syncId)
    .execute();
  if (!found.ok) return found;
  let recorded = 0;
  for (const payment of found.value) {
    const result = await recordPayment(deps, {
      invoice: { id: invoice.invoiceId },
      amount: payment.amount,
      paidOn: payment.date,
      source: client.provider,
      externalId: payment.id,
      recordedBy: `system:${client.provider}`,
    });
    if (result.code === 'recorded') recorded += 1;
    else if (result.code !== 'already_recorded' && result.code !== 'matched') {
      // NOTE: the ERP's total differs from ours (the sync said so in Slack), or the invoice was voided
      // here after being paid there: a person sorts that out; asking again changes nothing until then.
      deps.logger.warn(
        { invoiceId: invoice.invoiceId, erpPaymentId: payment.id, code: result.code },
        `A ${client.provider} payment was not recorded: ${result.message}`,
      );
    }
  }
  return { ok: true, recorded };
}

/**
 * The hourly pull: synced invoices still owed money, least recently asked about first, as many as the
 * ERP's limits allow in a run. Stops at the first rate limit, daily limit or lost access.
 */
export async function pullErpPayments(deps: PullDeps, client: ErpClient): Promise<PullSummary> {
  const invoices = await deps.db
    .selectFrom('erp_syncs')
    .innerJoin('invoices', 'invoices.id', 'erp_syncs.invoice_id')
    .select(['erp_syncs.id as syncId', 'erp_syncs.invoice_id as invoiceId', 'erp_syncs.external_id'])
    .where('erp_syncs.provider', '=', client.provider)
    .where('erp_syncs.state', '=', 'synced')
    .where('erp_syncs.external_id', 'is not', null)
    .where('invoices.status', 'in', PAYABLE_STATUSES)
    .orderBy(
      (eb) => eb.ref('erp_syncs.payments_checked_at'),
      (order) => order.asc().nullsFirst(),
    )
    .orderBy('erp_syncs.synced_at')
    .limit(PULL_PER_RUN[client.provider])
    .execute();
  const summary: PullSummary = { asked: 0, recorded: 0, failures: [] };
  for (const { syncId, invoiceId, external_id: externalId } of invoices) {
    if (externalId === null) continue;
    summary.asked += 1;
    const pulled = await pullInvoicePayments(deps, client, { syncId, invoiceId, externalId });
    if (pulled.ok) {
      summary.recorded += pulled.recorded;
      continue;
    }
    summary.failures.push({ invoiceId, error: pulled.error });
    if (STOP_CODES.has(pulled.error.code)) break;
  }
  return summary;
}

/**
 * Acts on the ERP's webhook events not yet handled (Xero: an invoice changed, e.g. a payment was
 * applied): pulls the payments of each of our invoices they name, then marks them handled. Events for
 * invoices that are not ours, already paid, or asked about since, are marked handled without a call.
 * Returns the failures that leave events unhandled for the next try.
 */
export async function handleErpEvents(
  deps: PullDeps,
  client: ErpClient,
  tenantId: string,
): Promise<PullSummary> {
  const events = await deps.db
    .selectFrom('erp_events')
    .select(['id', 'tenant_id', 'category', 'event_type', 'resource_id', 'occurred_at'])
    .where('provider', '=', client.provider)
    .where('handled_at', 'is', null)
    .orderBy('received_at')
    .limit(500)
    .execute();
  const summary: PullSummary = { asked: 0, recorded: 0, failures: [] };
  const byInvoice = new Map<string, { ids: string[]; latest: Date }>();
  const noAction: string[] = [];
  for (const event of events) {
    // NOTE: an invoice billops has just created has no payments yet; only changes can bring one.
    if (event.tenant_id !== tenantId || event.category !== 'INVOICE' || event.event_type === 'CREATE') {
      noAction.push(event.id);
      continue;
    }
    const key = event.resource_id.toLowerCase();
    const entry = byInvoice.get(key) ?? { ids: [], latest: event.occurred_at };
    entry.ids.push(event.id);
    if (event.occurred_at > entry.latest) entry.latest = event.occurred_at;
    byInvoice.set(key, entry);
  }
  await markHandled(deps, noAction);

  let stopped = false;
  for (const [resourceId, { ids, latest }] of byInvoice) {
    if (stopped) break;
    const sync = await deps.db
      .selectFrom('erp_syncs')
      .innerJoin('invoices', 'invoices.id', 'erp_syncs.invoice_id')
      .select([
        'erp_syncs.id as syncId',
        'erp_syncs.invoice_id as invoiceId',
        'erp_syncs.external_id',
        'erp_syncs.payments_checked_at',
        'invoices.status',
      ])
      .where('erp_syncs.provider', '=', client.provider)
      .where((eb) => eb(eb.fn('lower', ['erp_syncs.external_id']), '=', resourceId))
      .executeTakeFirst();
    const askedSince = sync?.payments_checked_at != null && sync.payments_checked_at >= latest;
    if (
      sync?.external_id == null ||
      askedSince ||
      !(PAYABLE_STATUSES as readonly string[]).includes(sync.status)
    ) {
      await markHandled(deps, ids);
      continue;
    }
    summary.asked += 1;
    const pulled = await pullInvoicePayments(deps, client, {
      syncId: sync.syncId,
      invoiceId: sync.invoiceId,
      externalId: sync.external_id,
    });
    if (pulled.ok) summary.recorded += pulled.recorded;
    else {
      summary.failures.push({ invoiceId: sync.invoiceId, error: pulled.error });
      stopped = STOP_CODES.has(pulled.error.code);
      if (inconclusive(pulled.error)) continue;
    }
    await markHandled(deps, ids);
  }
  return summary;
}

async function markHandled(deps: PullDeps, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await deps.db
    .updateTable('erp_events')
    .set({ handled_at: deps.clock.now() })
    .where('id', 'in', eventIds)
    .execute();
}
