import { z } from 'zod';

import type { WorkspaceState } from './workspace-state.ts';

/** What a Web API method answers: Slack's JSON body, always with `ok`. */
export type MethodOutcome = { ok: boolean } & Record<string, unknown>;

export type MethodHandler = (args: Record<string, unknown>, state: WorkspaceState) => MethodOutcome;

export function succeed(fields: Record<string, unknown> = {}): MethodOutcome {
  return { ok: true, ...fields };
}

/** A Slack error answer; `messages` become `response_metadata.messages` as Slack sends for bad blocks/views. */
export function refuse(error: string, messages: string[] = []): MethodOutcome {
  return messages.length > 0 ? { ok: false, error, response_metadata: { messages } } : { ok: false, error };
}

/** Form bodies carry every value as a string: accept `true`/`"true"`/`"1"`. */
export const flag = z
  .union([z.boolean(), z.string()])
  .transform((value) => value === true || value === 'true' || value === '1');

/** A JSON value that a form body sends as a JSON string. */
export function jsonArgument<T extends z.ZodType>(schema: T) {
  return z.preprocess((value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }, schema);
}

export const metadataArgument = jsonArgument(
  z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) }),
);

export type ParsedArguments<T> = { ok: true; args: T } | { ok: false; outcome: MethodOutcome };

/** Parses a method's arguments; a failure reads like Slack's `invalid_arguments` answer. */
export function parseArguments<T extends z.ZodType>(
  schema: T,
  args: Record<string, unknown>,
): ParsedArguments<z.output<T>> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data };
  const messages = parsed.error.issues.map((issue) => {
    const pointer = `/${issue.path.map(String).join('/')}`;
    const missing = issue.code === 'invalid_type' && issue.input === undefined;
    const text = missing ? `missing required field: ${issue.path.map(String).join('.')}` : issue.message;
    return `[ERROR] ${text} [json-pointer:${pointer}]`;
  });
  return { ok: false, outcome: refuse('invalid_arguments', messages) };
}
