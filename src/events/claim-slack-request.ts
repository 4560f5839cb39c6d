import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { claimEvent } from './claim-event.ts';

/**
 * One Slack request, as Slack identifies it: a slash command or a view submission by its `trigger_id`,
 * a button click by its own identity (see handlers/actions/bound-button.ts). A redelivery (Slack's
 * retry after a slow ack, a proxy sending twice) carries the same id; a new click or command never does.
 */
export interface SlackRequest {
  kind: 'command' | 'action' | 'view';
  id: string;
}

/**
 * Claims a Slack request in the caller's transaction, which also writes what the request does: false
 * when it was claimed before, so a redelivered request changes nothing. NOTE: `slack_command` is also
 * the source /invoice run has always claimed its trigger_id under.
 */
export function claimSlackRequest(trx: Transaction<Database>, request: SlackRequest): Promise<boolean> {
  return claimEvent(trx, `slack_${request.kind}`, request.id);
}

/**
 * How long a person's money command (`/invoice paid`, `/invoice credit`) counts as possibly typed twice:
 * the same command from the same person within it asks "again?" instead of acting.
 * NOTE: a double Enter, a resend after a slow answer or a command copied back from history comes within
 * seconds to minutes (Slack's own retries come within about 5 minutes, but carry the same trigger_id);
 * two genuinely equal payments or credits on one invoice by one person inside 10 minutes are rare, and
 * cost one `--again`. A longer window would start asking about the next day's real work.
 */
export const REPEAT_WINDOW_MINUTES = 10;
