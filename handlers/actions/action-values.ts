import { z } from 'zod';

// Button values and private_metadata are outside input: parsed, never trusted (STYLE rule 10). Strict:
// a value longer than Slack allows or with keys billops never writes is refused, not trimmed to fit.

/** Slack caps a button's `value` at 2,000 characters (Block Kit, button element). */
export const ACTION_VALUE_MAX = 2000;
/** Slack caps a view's `private_metadata` at 3,000 characters (Block Kit, view objects). */
export const PRIVATE_METADATA_MAX = 3000;

const invoiceButton = z.strictObject({ invoiceId: z.uuid(), version: z.number().int().positive() });
const reviewPage = z.strictObject({ runId: z.uuid(), page: z.number().int().min(0).max(100_000) });

function parseJson<T>(schema: z.ZodType<T>, text: string | undefined, max: number): T | undefined {
  if (text === undefined || text.length > max) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const parseInvoiceButton = (text: string | undefined) =>
  parseJson(invoiceButton, text, ACTION_VALUE_MAX);
export const parseReviewPage = (text: string | undefined) => parseJson(reviewPage, text, ACTION_VALUE_MAX);
/** The same shapes, carried in a modal's private_metadata. */
export const parseInvoiceMetadata = (text: string | undefined) =>
  parseJson(invoiceButton, text, PRIVATE_METADATA_MAX);
export const parseReviewMetadata = (text: string | undefined) =>
  parseJson(reviewPage, text, PRIVATE_METADATA_MAX);
export const parseUuid = (text: string | undefined) => {
  const parsed = z.uuid().safeParse(text);
  return parsed.success ? parsed.data : undefined;
};
export const parseRunId = parseUuid;
/** graphile-worker job ids are bigints. */
export const parseJobId = (text: string | undefined) =>
  text !== undefined && /^[1-9]\d{0,18}$/.test(text) ? text : undefined;
export const parseErpProvider = (text: string | undefined) =>
  text === 'xero' || text === 'quickbooks' ? text : undefined;
