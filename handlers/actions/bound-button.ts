import type { BlockAction, ButtonAction, Middleware, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../../blocks/block-elements.ts';
import { isApprover } from '../../src/approval/approver-check.ts';
import type { SlackRequest } from '../../src/events/claim-slack-request.ts';
import type { Deps } from '../../src/ports/deps.ts';
import type { ButtonSurface } from '../../src/slack/button-bindings.ts';
import { surfaceOf } from './button-surface.ts';
import { tellUser } from './tell-user.ts';

export const OUT_OF_DATE =
  'Nothing was done: this button is out of date, or does not belong to the message it was clicked on. ' +
  'Use the buttons on the current card or notice (reopen Review or App Home to refresh them).';

export interface ButtonRules<T> {
  /** The button's value, strictly: undefined when it is not one billops wrote. */
  parse(value: string | undefined): T | undefined;
  /** Whether this value belongs on the surface the button was clicked on (src/slack/button-bindings.ts). */
  isOn(value: T, surface: ButtonSurface): boolean | Promise<boolean>;
  /** Set for buttons only approvers may use: what anyone else is told. */
  approversOnly?: string;
}

export interface ClickedButton<T> {
  value: T;
  body: BlockAction<ButtonAction>;
  client: WebClient;
  /**
   * This click, as Slack identifies it: the same for a redelivery of it, never for another click. A use
   * case that changes state claims it in its transaction, so a redelivered click changes nothing.
   */
  request: SlackRequest;
  /** Answers only the person who clicked. */
  tell: (message: string | SlackMessage) => Promise<void>;
}

/**
 * A button listener that acts only on a value billops wrote, on the surface it wrote it on, for someone
 * allowed to click it; anything else is refused out loud (and logged), never half-done.
 */
export function boundButton<T>(
  deps: Deps,
  rules: ButtonRules<T>,
  handle: (click: ClickedButton<T>) => Promise<void>,
): Middleware<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const tell = (message: string | SlackMessage) => tellUser(deps, client, body, message);
    const value = rules.parse(action.value);
    const surface = surfaceOf(body);
    if (value === undefined || !(await rules.isOn(value, surface))) {
      deps.logger.warn(
        {
          actionId: action.action_id,
          userId: body.user.id,
          surface: surface.kind,
          parsed: value !== undefined,
        },
        'Refused a button that is not on its message',
      );
      await tell(OUT_OF_DATE);
      return;
    }
    if (rules.approversOnly !== undefined && !(await isApprover(deps, body.user.id))) {
      await tell(rules.approversOnly);
      return;
    }
    await handle({ value, body, client, tell, request: clickRequest(body, action) });
  };
}

/**
 * NOTE: Slack issues a new trigger_id for every interaction and keeps it on a redelivery; action_ts is
 * when the person clicked. Both go in the key, so it stays one click's even if either were reused.
 */
function clickRequest(body: BlockAction<ButtonAction>, action: ButtonAction): SlackRequest {
  return { kind: 'action', id: `${body.trigger_id}:${action.action_id}:${action.action_ts}` };
}
