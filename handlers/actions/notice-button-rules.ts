import type { Deps } from '../../src/ports/deps.ts';
import { invoiceNoticeButtonIsOn } from '../../src/slack/button-bindings.ts';
import { parseUuid } from './action-values.ts';
import type { ButtonRules } from './bound-button.ts';

/**
 * Buttons on an email's or an ERP posting's failure notice: they carry its id, are bound to the
 * invoice's thread or the alerts channel, and only approvers may use them.
 */
export function noticeButtonRules(
  deps: Pick<Deps, 'db' | 'billing'>,
  table: 'deliveries' | 'erp_syncs',
  approversOnly: string,
): ButtonRules<string> {
  return {
    parse: parseUuid,
    isOn: (id, surface) =>
      invoiceNoticeButtonIsOn(deps.db, deps.billing.slack.alertsChannel, { table, id }, surface),
    approversOnly,
  };
}
