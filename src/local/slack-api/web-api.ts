import { chatMethods, conversationForPosting } from './chat-methods.ts';
import type { ChannelPostingLimit } from './posting-limit.ts';
import { directoryMethods } from './directory-methods.ts';
import { fileMethods } from './file-methods.ts';
import { refuse, type MethodHandler, type MethodOutcome } from './method-outcome.ts';
import { viewMethods } from './view-methods.ts';
import type { WorkspaceState } from './workspace-state.ts';

const methods: Record<string, MethodHandler> = {
  ...chatMethods,
  ...viewMethods,
  ...fileMethods,
  ...directoryMethods,
};

export const supportedMethods: readonly string[] = Object.keys(methods).sort();

/** A failure a test arranges for a method's next call: a Slack error, or an HTTP 429 with Retry-After. */
export type InjectedFailure = { error: string } | { status: 429; retryAfter: number };

export interface WebApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: MethodOutcome;
}

/** Queues of arranged failures, per method, used up one call at a time. */
export class FailurePlan {
  private readonly queues = new Map<string, InjectedFailure[]>();

  add(method: string, failure: InjectedFailure, times: number): void {
    const queue = this.queues.get(method) ?? [];
    for (let i = 0; i < times; i += 1) queue.push(failure);
    this.queues.set(method, queue);
  }

  take(method: string): InjectedFailure | undefined {
    return this.queues.get(method)?.shift();
  }

  clear(): void {
    this.queues.clear();
  }
}

export interface WebApiRequest {
  method: string;
  authorization: string | undefined;
  args: Record<string, unknown>;
}

function presentedToken(request: WebApiRequest): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.authorization ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  return typeof request.args.token === 'string' && request.args.token !== '' ? request.args.token : undefined;
}

/** chat.postMessage's per-channel pace: the channel it names, as Slack resolves it. */
function postingChannel(state: WorkspaceState, request: WebApiRequest): string | undefined {
  if (request.method !== 'chat.postMessage' || typeof request.args.channel !== 'string') return undefined;
  return conversationForPosting(state, request.args.channel)?.id;
}

function answerOnce(
  state: WorkspaceState,
  failures: FailurePlan,
  botToken: string,
  request: WebApiRequest,
  postingLimit: ChannelPostingLimit | undefined,
): WebApiAnswer {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const handler = methods[request.method];
  if (handler === undefined) {
    return { status: 200, headers: json, body: { ...refuse('unknown_method'), req_method: request.method } };
  }
  const token = presentedToken(request);
  if (token === undefined) return { status: 200, headers: json, body: refuse('not_authed') };
  if (token !== botToken) return { status: 200, headers: json, body: refuse('invalid_auth') };
  const failure = failures.take(request.method);
  if (failure !== undefined) {
    if ('status' in failure) {
      return {
        status: 429,
        headers: { ...json, 'retry-after': String(failure.retryAfter) },
        body: refuse('ratelimited'),
      };
    }
    return { status: 200, headers: json, body: refuse(failure.error) };
  }
  const channel = postingChannel(state, request);
  const admission = channel === undefined ? undefined : postingLimit?.admit(channel, state.nowMs());
  if (admission?.admitted === false) {
    return {
      status: 429,
      headers: { ...json, 'retry-after': String(admission.retryAfterSeconds) },
      body: refuse('ratelimited'),
    };
  }
  return { status: 200, headers: json, body: handler(request.args, state) };
}

/** Answers one Web API call the way slack.com/api does, and records it in the call log. */
export function answerWebApiCall(
  state: WorkspaceState,
  failures: FailurePlan,
  botToken: string,
  request: WebApiRequest,
  postingLimit?: ChannelPostingLimit,
): WebApiAnswer {
  const answer = answerOnce(state, failures, botToken, request, postingLimit);
  const { token: _token, ...args } = request.args;
  const error = typeof answer.body.error === 'string' ? answer.body.error : undefined;
  state.recordCall({
    method: request.method,
    args,
    at: new Date(state.nowMs()),
    status: answer.status,
    ok: answer.body.ok,
    ...(error === undefined ? {} : { error }),
  });
  return answer;
}
