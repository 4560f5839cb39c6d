import { buildCommandError } from '../../../blocks/command-replies.ts';
import type { SlackMessage } from '../../../blocks/block-elements.ts';
import { buildErpConsentReply } from '../../../blocks/erp-alerts.ts';
import { isApprover } from '../../approval/approver-check.ts';
import type { Deps } from '../../ports/deps.ts';
import { erpAuthorizeLink, PROVIDER_NAMES } from './connect-erp.ts';
import type { ErpProvider } from '../../ports/erp-client.ts';

/**
 * `/invoice connect` and the Reconnect button: the consent link, for approvers only (whoever connects
 * chooses where every invoice is posted), and only for the ERP this app is set up for.
 */
export async function erpConsentReply(
  deps: Pick<Deps, 'erp' | 'billing' | 'slack' | 'clock'>,
  userId: string,
  provider: ErpProvider,
): Promise<SlackMessage> {
  const usage = 'connect xero|quickbooks';
  const gateway = deps.erp;
  if (gateway === undefined) {
    return buildCommandError(
      'billops posts to no ERP here: set ERP_PROVIDER (see .env.example) and restart.',
      usage,
    );
  }
  if (gateway.provider !== provider) {
    return buildCommandError(
      `billops is set up for ${PROVIDER_NAMES[gateway.provider]}, not ${PROVIDER_NAMES[provider]}: change ERP_PROVIDER to switch.`,
      usage,
    );
  }
  if (!(await isApprover(deps, userId))) {
    return buildCommandError(
      'Only approvers can connect the ERP: it decides where every invoice is posted.',
      usage,
    );
  }
  return buildErpConsentReply(
    PROVIDER_NAMES[provider],
    erpAuthorizeLink(gateway.oauth, userId, deps.clock.now()),
  );
}
