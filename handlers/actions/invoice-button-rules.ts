import type { Deps } from '../../src/ports/deps.ts';
import { invoiceButtonIsOn } from '../../src/slack/button-bindings.ts';
import { parseInvoiceButton } from './action-values.ts';
import type { ButtonRules } from './bound-button.ts';

/** Approve, Reject and Details carry {invoiceId, version} and are bound to the invoice's card. */
export function invoiceButtonRules(
  deps: Pick<Deps, 'db'>,
): ButtonRules<{ invoiceId: string; version: number }> {
  return {
    parse: parseInvoiceButton,
    isOn: (value, surface) => invoiceButtonIsOn(deps.db, value.invoiceId, surface),
  };
}
