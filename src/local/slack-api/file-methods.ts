import { z } from 'zod';

import { botCannotPost, conversationForPosting } from './chat-methods.ts';
import { jsonArgument, parseArguments, refuse, succeed, type MethodHandler } from './method-outcome.ts';
import { wireFile } from './wire-shapes.ts';
import type { WorkspaceState } from './workspace-state.ts';

const uploadUrlArguments = z.object({
  filename: z.string().min(1),
  length: z.coerce.number().int().positive(),
  alt_txt: z.string().optional(),
  alt_text: z.string().optional(),
});

const completeArguments = z.object({
  files: jsonArgument(z.array(z.object({ id: z.string(), title: z.string().optional() })).min(1)),
  channel_id: z.string().optional(),
  channels: z.string().optional(),
  initial_comment: z.string().optional(),
  thread_ts: z.string().optional(),
  blocks: z.unknown().optional(),
});

/** Where this server accepts a file's bytes (Slack hands out a files.slack.com URL). */
export function uploadUrl(state: WorkspaceState, fileId: string): string {
  return `${state.baseUrl}/upload/v1/${fileId}`;
}

const getUploadUrlExternal: MethodHandler = (raw, state) => {
  const parsed = parseArguments(uploadUrlArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const { args } = parsed;
  const altText = args.alt_txt ?? args.alt_text;
  const file = state.createFile({
    name: args.filename,
    declaredLength: args.length,
    ...(altText === undefined ? {} : { altText }),
  });
  return succeed({ upload_url: uploadUrl(state, file.id), file_id: file.id });
};

/** How long after an upload completes its share appears in the channel. */
const fileShareDelayMs = 200;

const completeUploadExternal: MethodHandler = (raw, state) => {
  const parsed = parseArguments(completeArguments, raw);
  if (!parsed.ok) return parsed.outcome;
  const { args } = parsed;
  for (const entry of args.files) {
    if (state.file(entry.id)?.bytes === undefined) return refuse('file_not_found');
  }
  const channelRef = args.channel_id ?? args.channels?.split(',')[0];
  const conversation = channelRef === undefined ? undefined : conversationForPosting(state, channelRef);
  if (channelRef !== undefined && conversation === undefined) return refuse('channel_not_found');
  const refused = conversation === undefined ? undefined : botCannotPost(state, conversation);
  if (refused !== undefined) return refused;
  const files = args.files.flatMap((entry) => {
    state.completeFile(entry.id, entry.title);
    const file = state.file(entry.id);
    return file === undefined ? [] : [wireFile(state, file)];
  });
  // NOTE: docs.slack.dev/messaging/working-with-files ("Uploading files"): completeUploadExternal finishes
  // the upload, and sharing it into the channel happens after, asynchronously: the answer's files have no
  // shares yet, and the message with the file appears a moment later. An app must not wait on either.
  if (conversation !== undefined) {
    const parent = args.thread_ts === undefined ? undefined : state.message(conversation.id, args.thread_ts);
    const threadTs = args.thread_ts === undefined ? undefined : (parent?.threadTs ?? args.thread_ts);
    setTimeout(() => {
      const message = state.postMessage({
        channel: conversation.id,
        user: state.bot.userId,
        botId: state.bot.botId,
        text: args.initial_comment ?? '',
        fileIds: args.files.map((entry) => entry.id),
        ...(threadTs === undefined ? {} : { threadTs }),
        via: 'web_api',
      });
      for (const entry of args.files)
        state.completeFile(entry.id, undefined, { channel: conversation.id, ts: message.ts });
    }, fileShareDelayMs);
  }
  return succeed({ files });
};

const info: MethodHandler = (raw, state) => {
  const fileId = typeof raw.file === 'string' ? raw.file : '';
  const file = state.file(fileId);
  if (file === undefined) return refuse('file_not_found');
  return succeed({ file: wireFile(state, file) });
};

export const fileMethods: Record<string, MethodHandler> = {
  'files.getUploadURLExternal': getUploadUrlExternal,
  'files.completeUploadExternal': completeUploadExternal,
  'files.info': info,
};
