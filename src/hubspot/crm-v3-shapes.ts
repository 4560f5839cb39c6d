import { z } from 'zod';

// What HubSpot's CRM v3 object endpoints answer, as far as billops reads them.
// NOTE: every property value is a string or null on the wire, numbers and dates included; unknown
// keys are dropped, so HubSpot adding fields changes nothing here.

const propertyValues = z.record(z.string(), z.string().nullable());

const associatedIds = z.object({
  results: z.array(z.object({ id: z.string().min(1), type: z.string() })),
  /** Present when HubSpot listed only the first page of associated records. */
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

/** GET /crm/v3/objects/deals/{id}?associations=…: keys are 'line items', 'companies', 'contacts'. */
export const dealWithAssociations = z.object({
  id: z.string().min(1),
  properties: propertyValues,
  associations: z.record(z.string(), associatedIds).optional(),
});

export const crmObject = z.object({ id: z.string().min(1), properties: propertyValues });

/** POST /crm/v3/objects/{type}/batch/read: 200 when every id was found, 207 with `errors` when not. */
export const batchReadAnswer = z.object({
  status: z.string(),
  results: z.array(crmObject),
  numErrors: z.number().optional(),
  errors: z.array(z.object({ message: z.string(), category: z.string().optional() })).optional(),
});

/** HubSpot's error body: { status: 'error', message, correlationId, category, … }. */
export const errorBody = z.object({
  message: z.string(),
  correlationId: z.string().optional(),
  category: z.string().optional(),
  /** On 429s: 'TEN_SECONDLY_ROLLING', 'SECONDLY' or 'DAILY'. */
  policyName: z.string().optional(),
  /** On MISSING_SCOPES: [{ message, context: { requiredScopes | requiredGranularScopes: [...] } }]. */
  errors: z.array(z.object({ context: z.record(z.string(), z.unknown()).optional() })).optional(),
});
