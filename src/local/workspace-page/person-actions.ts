import type { CustomRoute } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../logger.ts';
import type { LocalSlack } from '../slack-api/local-slack.ts';
import { jsonRoute, PageRequestError, readJsonBody } from './page-http.ts';
import type { WorkspaceReader } from './workspace-snapshot.ts';

// What a person does on the page, done through the local Slack's people: each one is a real signed
// request into /slack/events, exactly as Slack would send it. Nothing here calls the app directly.

const userId = z.string().min(1).max(40);
const slackId = z.string().min(1).max(80);

const commandInput = z.object({
  userId,
  channelId: slackId,
  /** What the person typed: "/invoice run 2026-10". */
  text: z.string().trim().min(1).max(4000),
  threadTs: slackId.optional(),
});

const clickInput = z.object({
  userId,
  channelId: slackId.optional(),
  messageTs: slackId.optional(),
  viewId: slackId.optional(),
  actionId: z.string().min(1).max(255),
  blockId: z.string().max(255).optional(),
  value: z.string().max(2000).optional(),
});

const submitInput = z.object({
  userId,
  viewId: slackId,
  values: z.record(z.string(), z.record(z.string(), z.union([z.string(), z.array(z.string())]))).default({}),
});

const closeInput = z.object({ userId, viewId: slackId });
const homeInput = z.object({ userId });
const membersInput = z.object({
  channelId: slackId,
  /** A person, or the bot. */
  memberId: userId,
  action: z.enum(['invite', 'remove']),
});

/** A person's failed action, in words for the page; the local Slack says what it could not find. */
async function asPerson<T>(act: () => Promise<T>): Promise<T> {
  try {
    return await act();
  } catch (error) {
    throw new PageRequestError(409, error instanceof Error ? error.message : String(error));
  }
}

export function personActionRoutes(
  slack: LocalSlack,
  reader: WorkspaceReader,
  logger: Logger,
): CustomRoute[] {
  return [
    jsonRoute(
      '/local/command',
      'POST',
      async (request) => {
        const input = await readJsonBody(request, commandInput);
        const person = reader.person(input.userId);
        if (!input.text.startsWith('/')) {
          const message = slack.postMessageAs({
            userId: person.id,
            channelId: input.channelId,
            text: input.text,
            ...(input.threadTs === undefined ? {} : { threadTs: input.threadTs }),
          });
          return { kind: 'message', ts: message.ts };
        }
        const [command = '', ...rest] = input.text.split(/\s+/);
        const reply = await asPerson(() =>
          slack.sendSlashCommand({
            userId: person.id,
            channelId: input.channelId,
            command,
            text: rest.join(' '),
          }),
        );
        if (reply.undeclared !== undefined)
          return { kind: 'command', status: 0, error: reply.undeclared.text };
        return { kind: 'command', status: reply.status, error: replyError(reply.status, reply.body) };
      },
      logger,
    ),
    jsonRoute(
      '/local/click',
      'POST',
      async (request) => {
        const input = await readJsonBody(request, clickInput);
        const person = reader.person(input.userId);
        if (input.viewId === undefined && input.channelId === undefined) {
          throw new PageRequestError(
            400,
            'A click needs the channelId of its message, or the viewId of its view.',
          );
        }
        const reply = await asPerson(() =>
          slack.clickButton({
            userId: person.id,
            actionId: input.actionId,
            ...(input.viewId === undefined ? {} : { viewId: input.viewId }),
            ...(input.channelId === undefined ? {} : { channelId: input.channelId }),
            ...(input.messageTs === undefined ? {} : { messageTs: input.messageTs }),
            ...(input.blockId === undefined ? {} : { blockId: input.blockId }),
            ...(input.value === undefined ? {} : { value: input.value }),
          }),
        );
        return { status: reply.status, error: replyError(reply.status, reply.body) };
      },
      logger,
    ),
    jsonRoute(
      '/local/submit',
      'POST',
      async (request) => {
        const input = await readJsonBody(request, submitInput);
        const person = reader.person(input.userId);
        const reply = await asPerson(() =>
          slack.submitView({ userId: person.id, viewId: input.viewId, values: input.values }),
        );
        return {
          status: reply.status,
          errors: reply.errors ?? null,
          rejectedView: reply.rejectedView ?? null,
          error: replyError(reply.status, reply.body),
        };
      },
      logger,
    ),
    jsonRoute(
      '/local/close',
      'POST',
      async (request) => {
        const input = await readJsonBody(request, closeInput);
        const person = reader.person(input.userId);
        const reply = await asPerson(() => slack.closeView({ userId: person.id, viewId: input.viewId }));
        return { notified: reply.notified };
      },
      logger,
    ),
    // NOTE: `/invite @billops` and removing someone, as a channel member would in Slack: a channel billops
    // is not in refuses its posts (not_in_channel), as the real one does.
    jsonRoute(
      '/local/members',
      'POST',
      async (request) => {
        const input = await readJsonBody(request, membersInput);
        const changed = await asPerson(() =>
          Promise.resolve(
            input.action === 'invite'
              ? slack.invite(input.channelId, input.memberId)
              : slack.removeFromChannel(input.channelId, input.memberId),
          ),
        );
        return { changed };
      },
      logger,
    ),
    jsonRoute(
      '/local/home',
      'POST',
      async (request) => {
        const input = await readJsonBody(request, homeInput);
        const person = reader.person(input.userId);
        const reply = await asPerson(() => slack.openAppHome(person.id));
        return { status: reply.status, error: replyError(reply.status, reply.body) };
      },
      logger,
    ),
  ];
}

/** What Slack would show for an app that did not answer 200: "billops did not respond" and why. */
function replyError(status: number, body: unknown): string | null {
  if (status === 200) return null;
  const detail = typeof body === 'string' ? body : JSON.stringify(body);
  return `The app answered ${status}${detail === '' ? '' : `: ${detail.slice(0, 300)}`}`;
}
