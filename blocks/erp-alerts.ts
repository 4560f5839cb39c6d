import { actions, button, context, section, type SlackMessage } from './block-elements.ts';
import { OPEN_ERP_CONSENT, RECONNECT_ERP } from './ids.ts';
import { escapeOutsideTextCut, slackDateTime, mentionActor, plural } from './slack-text.ts';

// What the alerts channel and the person connecting are told about the ERP connection itself.

export interface ErpConnectionProblemView {
  provider: 'xero' | 'quickbooks';
  providerName: string;
  /** What is wrong, from the gateway: already written for a finance person. */
  message: string;
  /** Invoices that wait for the connection. */
  waiting: number;
  /** Offer Reconnect: the grant is dead, or there never was one. */
  reconnect: boolean;
}

/** No connection, or a dead one: nothing is lost, the invoices wait, and an approver can fix it. */
export function buildErpConnectionAlert(view: ErpConnectionProblemView): SlackMessage {
  const waiting = `${plural(view.waiting, 'invoice')} ${view.waiting === 1 ? 'waits' : 'wait'} and will be posted once it is connected.`;
  return {
    text: `${view.providerName} needs connecting: ${view.message}`,
    blocks: [
      section(`🔌 *${view.providerName} needs connecting.* ${escapeOutsideTextCut(view.message, 1000)}`),
      context(`${waiting} Only an approver can connect it.`),
      ...(view.reconnect
        ? [
            actions([
              button({
                actionId: RECONNECT_ERP,
                text: `Connect ${view.providerName}`,
                value: view.provider,
                style: 'primary',
              }),
            ]),
          ]
        : []),
    ],
  };
}

/** The consent link, for the approver who asked only (it is bound to them and lasts 15 minutes). */
export function buildErpConsentReply(providerName: string, link: string): SlackMessage {
  return {
    text: `Connect ${providerName}: ${link}`,
    blocks: [
      section(
        `Sign in to ${providerName} and choose the organisation billops should post invoices to. The link is yours alone and works for 15 minutes.`,
      ),
      actions([
        button({
          actionId: OPEN_ERP_CONSENT,
          text: `Connect ${providerName}`,
          value: 'consent',
          url: link,
          style: 'primary',
        }),
      ]),
    ],
  };
}

export function buildErpConnectedNotice(view: {
  providerName: string;
  tenantName: string | null;
  userId: string;
  waiting: number;
}): SlackMessage {
  const organisation = view.tenantName === null ? '' : ` (${escapeOutsideTextCut(view.tenantName, 200)})`;
  const waiting = view.waiting === 0 ? '' : ` ${plural(view.waiting, 'waiting invoice')} will be posted now.`;
  const text = `✅ ${mentionActor(view.userId)} connected ${view.providerName}${organisation}.${waiting}`;
  return { text, blocks: [section(text)] };
}

export function buildErpPausedAlert(view: {
  providerName: string;
  until: Date;
  waiting: number;
}): SlackMessage {
  const text = `⏸️ ${view.providerName}'s daily limit of API calls is used up. Posting pauses until ${slackDateTime(view.until)}; ${plural(view.waiting, 'invoice')} will be posted then, nothing is lost.`;
  return { text, blocks: [section(text)] };
}

export function buildErpResumedNotice(providerName: string): SlackMessage {
  const text = `▶️ Posting to ${providerName} has resumed after its daily limit.`;
  return { text, blocks: [section(text)] };
}
