import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import {
  APPROVE_ALL_WITHIN_POLICY,
  APPROVE_INVOICE,
  EXPORT_RUN_CSV,
  INVOICE_DETAILS,
  MARK_DELIVERY_SENT,
  OPEN_ERP_CONSENT,
  RECONNECT_ERP,
  REJECT_INVOICE,
  RETRY_DELIVERY,
  RETRY_ERP_SYNC,
  RETRY_JOB,
  REVIEW_PAGE,
  REVIEW_RUN,
} from '../../blocks/ids.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { approveAllWithinPolicyClicked } from './approve-all-within-policy-clicked.ts';
import { approveInvoiceClicked } from './approve-invoice-clicked.ts';
import { exportRunCsvClicked } from './export-run-csv-clicked.ts';
import { invoiceDetailsClicked } from './invoice-details-clicked.ts';
import { markDeliverySentClicked } from './mark-delivery-sent-clicked.ts';
import { openErpConsentClicked } from './open-erp-consent-clicked.ts';
import { reconnectErpClicked } from './reconnect-erp-clicked.ts';
import { rejectInvoiceClicked } from './reject-invoice-clicked.ts';
import { retryDeliveryClicked } from './retry-delivery-clicked.ts';
import { retryErpSyncClicked } from './retry-erp-sync-clicked.ts';
import { retryJobClicked } from './retry-job-clicked.ts';
import { reviewPageClicked } from './review-page-clicked.ts';
import { reviewRunClicked } from './review-run-clicked.ts';

/** Binds every button's action_id to its listener, one listener per file. */
export function registerActions(app: App, deps: Deps): void {
  // Approval card (also on review pages and App Home)
  app.action<BlockAction<ButtonAction>>(APPROVE_INVOICE, approveInvoiceClicked(deps));
  app.action<BlockAction<ButtonAction>>(REJECT_INVOICE, rejectInvoiceClicked(deps));
  app.action<BlockAction<ButtonAction>>(INVOICE_DETAILS, invoiceDetailsClicked(deps));

  // Run summary and its review modal
  app.action<BlockAction<ButtonAction>>(REVIEW_RUN, reviewRunClicked(deps));
  app.action<BlockAction<ButtonAction>>(REVIEW_PAGE, reviewPageClicked(deps));
  app.action<BlockAction<ButtonAction>>(APPROVE_ALL_WITHIN_POLICY, approveAllWithinPolicyClicked(deps));
  app.action<BlockAction<ButtonAction>>(EXPORT_RUN_CSV, exportRunCsvClicked(deps));

  // Delivery and ERP sync failure notices
  app.action<BlockAction<ButtonAction>>(RETRY_DELIVERY, retryDeliveryClicked(deps));
  app.action<BlockAction<ButtonAction>>(RETRY_ERP_SYNC, retryErpSyncClicked(deps));
  app.action<BlockAction<ButtonAction>>(MARK_DELIVERY_SENT, markDeliverySentClicked(deps));

  // ERP connection
  app.action<BlockAction<ButtonAction>>(RECONNECT_ERP, reconnectErpClicked(deps));
  app.action(OPEN_ERP_CONSENT, openErpConsentClicked());

  // A background job that gave up
  app.action<BlockAction<ButtonAction>>(RETRY_JOB, retryJobClicked(deps));
}
