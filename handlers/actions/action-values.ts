import { z } from 'zod';

// Button values and private_metadata are outside input: parsed, never trusted (STYLE rule 10).

const invoiceButton = z.object({ invoiceId: z.uuid(), version: z.number().int().positive() });
const reviewPage = z.object({ runId: z.uuid(), page: z.number().int().min(0) });

function parseJson<T>(schema: z.ZodType<T>, text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const parseInvoiceButton = (text: string | undefined) => parseJson(invoiceButton, text);
export const parseReviewPage = (text: string | undefined) => parseJson(reviewPage, text);
export const parseUuid = (text: string | undefined) => {
  const parsed = z.uuid().safeParse(text);
  return parsed.success ? parsed.data : undefined;
};
export const parseRunId = parseUuid;
