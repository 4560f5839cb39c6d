import type { BlockAction } from '@slack/bolt';
import { REVIEW_MODAL } from '../../blocks/ids.ts';
import type { ButtonSurface } from '../../src/slack/button-bindings.ts';
import { parseReviewMetadata } from './action-values.ts';

/**
 * Where Slack says the button was clicked: a message (its channel, ts and thread), the review modal
 * (its run, from the private_metadata billops wrote), App Home, or anywhere else.
 */
export function surfaceOf(body: BlockAction): ButtonSurface {
  const { container } = body;
  if (container.type === 'message') {
    // NOTE: ephemeral messages are stored nowhere, so nothing can be bound to one.
    if (container.is_ephemeral === true) return { kind: 'other' };
    const channel = typeof container.channel_id === 'string' ? container.channel_id : undefined;
    const ts = typeof container.message_ts === 'string' ? container.message_ts : undefined;
    if (channel === undefined || ts === undefined) return { kind: 'other' };
    const threadTs = typeof container.thread_ts === 'string' ? container.thread_ts : undefined;
    return { kind: 'message', channel, ts, threadTs };
  }
  const view = body.view;
  if (container.type !== 'view' || view === undefined) return { kind: 'other' };
  if (view.type === 'home') return { kind: 'home' };
  if (view.callback_id === REVIEW_MODAL) {
    const page = parseReviewMetadata(view.private_metadata);
    if (page !== undefined) return { kind: 'review_modal', runId: page.runId };
  }
  return { kind: 'other' };
}
