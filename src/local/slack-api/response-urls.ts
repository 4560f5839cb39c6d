import { z } from 'zod';

import { checkMessageContent } from './chat-methods.ts';
import { flag, jsonArgument, metadataArgument } from './method-outcome.ts';
import {
  responseUrlLifetimeMs,
  responseUrlMaxPosts,
  type ResponsePost,
  type StoredMessage,
  type WorkspaceState,
} from './workspace-state.ts';

const responseMessage = z.object({
  text: z.string().optional(),
  blocks: z.unknown().optional(),
  attachments: jsonArgument(z.array(z.unknown())).optional(),
  metadata: metadataArgument.optional(),
  response_type: z.enum(['in_channel', 'ephemeral']).optional(),
  replace_original: flag.optional(),
  delete_original: flag.optional(),
  thread_ts: z.string().optional(),
});

export interface ResponseTarget {
  userId: string;
  channelId: string;
  /** The message an interaction came from; absent for slash commands. */
  source?: { ts: string; ephemeral: boolean };
}

export interface DeliveredResponse {
  outcome: ResponsePost['outcome'];
  error?: string;
  message?: StoredMessage;
}

function deleteOriginal(state: WorkspaceState, target: ResponseTarget): boolean {
  if (target.source === undefined) return false;
  return target.source.ephemeral
    ? state.deleteEphemeral(target.source.ts)
    : state.deleteMessage(target.channelId, target.source.ts);
}

/**
 * Applies a message sent back to Slack through a response_url or a command's ack: delete or replace the
 * source message, or post a new one, ephemeral unless `response_type: 'in_channel'`.
 */
export function deliverResponseMessage(
  state: WorkspaceState,
  target: ResponseTarget,
  body: unknown,
  via: StoredMessage['via'],
): DeliveredResponse {
  const parsed = responseMessage.safeParse(body);
  if (!parsed.success) return { outcome: 'no_text', error: 'invalid_payload' };
  const reply = parsed.data;
  if (reply.delete_original === true) {
    deleteOriginal(state, target);
    return { outcome: 'deleted_original' };
  }
  const checked = checkMessageContent(reply);
  if (!checked.ok) {
    const error = typeof checked.outcome.error === 'string' ? checked.outcome.error : 'invalid_payload';
    return { outcome: error === 'no_text' ? 'no_text' : 'invalid_blocks', error };
  }
  const { content } = checked;
  if (reply.replace_original === true && target.source !== undefined) {
    const patch = { ...content, ...(reply.metadata === undefined ? {} : { metadata: reply.metadata }) };
    const replaced = target.source.ephemeral
      ? state.replaceEphemeral(target.source.ts, patch)
      : state.updateMessage(target.channelId, target.source.ts, patch, state.bot.userId);
    if (replaced !== undefined) return { outcome: 'replaced_original', message: replaced };
  }
  const author = { channel: target.channelId, user: state.bot.userId, botId: state.bot.botId, via };
  const threadTs = reply.thread_ts === undefined ? {} : { threadTs: reply.thread_ts };
  if (reply.response_type === 'in_channel') {
    const metadata = reply.metadata === undefined ? {} : { metadata: reply.metadata };
    const message = state.postMessage({ ...author, ...content, ...threadTs, ...metadata });
    return { outcome: 'posted_in_channel', message };
  }
  const message = state.postEphemeral({ ...author, ...content, ...threadTs, to: target.userId });
  return { outcome: 'posted_ephemeral', message };
}

export interface ResponseUrlAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Answers a POST to a response_url issued by this server. */
export function answerResponseUrlPost(
  state: WorkspaceState,
  responseUrlId: string,
  body: unknown,
): ResponseUrlAnswer {
  const record = state.responseUrl(responseUrlId);
  if (record === undefined) return { status: 404, body: { ok: false, error: 'no_service' } };
  const at = new Date(state.nowMs());
  const refusal = (outcome: 'used_url' | 'expired_url'): ResponseUrlAnswer => {
    state.recordResponsePost({ responseUrlId, at, body, status: 404, outcome });
    return { status: 404, body: { ok: false, error: outcome } };
  };
  const accepted = record.posts.filter((post) => post.status === 200).length;
  if (accepted >= responseUrlMaxPosts) return refusal('used_url');
  if (state.nowMs() - record.issuedAtMs > responseUrlLifetimeMs) return refusal('expired_url');
  const target: ResponseTarget = { userId: record.userId, channelId: record.channelId };
  if (record.source !== undefined) target.source = record.source;
  const delivered = deliverResponseMessage(state, target, body, 'response_url');
  const status = delivered.error === undefined ? 200 : 400;
  state.recordResponsePost({ responseUrlId, at, body, status, outcome: delivered.outcome });
  return status === 200
    ? { status, body: { ok: true } }
    : { status, body: { ok: false, error: delivered.error ?? 'invalid_payload' } };
}
