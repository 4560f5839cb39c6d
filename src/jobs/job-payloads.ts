import { z } from 'zod';

/** Every job's payload schema; a task parses its payload with it before acting. */
export const jobPayloadSchemas = {
  verify_audit_log: z.object({}).loose(),
} as const;

export type JobName = keyof typeof jobPayloadSchemas;
export type JobPayloads = { [Name in JobName]: z.infer<(typeof jobPayloadSchemas)[Name]> };

/** Parses a job payload; a bad one fails the job with a message naming the job and the field. */
export function parseJobPayload<Name extends JobName>(name: Name, payload: unknown): JobPayloads[Name] {
  const parsed = jobPayloadSchemas[name].safeParse(payload);
  if (!parsed.success) {
    throw new Error(`Job ${name} has a bad payload: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}
