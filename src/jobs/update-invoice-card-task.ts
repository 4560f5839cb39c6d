import type { Deps } from '../ports/deps.ts';
import { updateInvoiceCard } from '../slack/refresh-slack-messages.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Re-renders an approval card in place from the invoice as it is now. */
export function updateInvoiceCardTask(deps: Deps) {
  return async (payload: unknown): Promise<void> => {
    const { invoiceId } = parseJobPayload('update_invoice_card', payload);
    await updateInvoiceCard(deps, invoiceId);
  };
}
