import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import { retryErpSync } from '../../src/erp/retry-erp-sync.ts';
import type { Deps } from '../../src/ports/deps.ts';
import { boundButton } from './bound-button.ts';
import { noticeButtonRules } from './notice-button-rules.ts';

/** Retry on a failed ERP posting (invoice thread or alerts channel); approvers only. */
export function retryErpSyncClicked(
  deps: Deps,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  const rules = noticeButtonRules(
    deps,
    'erp_syncs',
    'Only billing approvers can post an invoice to the ERP again.',
  );
  return boundButton(deps, rules, async ({ value: syncId, body, tell, request }) => {
    const result = await retryErpSync(deps, syncId, body.user.id, request);
    if (result.code === 'duplicate_request') return;
    await tell(
      {
        queued: 'Posting it to the ERP again; the outcome will appear in the invoice thread.',
        not_failed: result.code === 'not_failed' ? `Nothing to retry: it is ${result.state}.` : '',
        not_found: 'That ERP posting no longer exists.',
      }[result.code],
    );
  });
}
