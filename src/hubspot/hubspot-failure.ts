import { errorBody } from './crm-v3-shapes.ts';

// Turns what HubSpot answers (or fails to) into a failure a finance person can act on and the retry
// logic can trust: 429, 5xx, timeouts and lost connections are worth trying again; the rest is not.

export type HubSpotFailureCode =
  | 'unauthorized'
  | 'not_found'
  | 'rate_limited'
  | 'daily_limit'
  | 'server_error'
  | 'timeout'
  | 'connection_failed'
  | 'bad_request'
  | 'unexpected_response'
  | 'incomplete_deal';

export interface HubSpotFailure {
  ok: false;
  retryable: boolean;
  code: HubSpotFailureCode;
  message: string;
  /** From Retry-After, when HubSpot said how long to wait. */
  retryAfterSeconds?: number;
}

export function failure(code: HubSpotFailureCode, message: string, retryable = false): HubSpotFailure {
  return { ok: false, retryable, code, message };
}

function requiredScopes(body: unknown): string[] {
  const parsed = errorBody.safeParse(body);
  if (!parsed.success) return [];
  const scopes = (parsed.data.errors ?? []).flatMap((entry) =>
    Object.entries(entry.context ?? {}).flatMap(([key, value]) =>
      /scopes$/i.test(key) && Array.isArray(value)
        ? value.filter((scope): scope is string => typeof scope === 'string')
        : [],
    ),
  );
  return [...new Set(scopes)];
}

// NOTE: HubSpot documents its 429 body (policyName DAILY / TEN_SECONDLY_ROLLING), not a Retry-After
// header; one is honoured when present.
function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** What HubSpot said went wrong, for a non-2xx answer; `subject` names what was asked for ("deal 42"). */
export function translateHttpFailure(
  status: number,
  headers: Headers,
  body: unknown,
  subject: string,
): HubSpotFailure {
  const parsed = errorBody.safeParse(body);
  const said = parsed.success ? parsed.data.message : undefined;
  const category = parsed.success ? parsed.data.category : undefined;
  if (status === 401) {
    return failure(
      'unauthorized',
      `HubSpot refused the access token while reading ${subject} (${category ?? '401'}): check the private app ` +
        'token in HUBSPOT_ACCESS_TOKEN (pat-…) and that the app is still installed.',
    );
  }
  if (status === 403) {
    const scopes = requiredScopes(body);
    return failure(
      'unauthorized',
      scopes.length > 0
        ? `The HubSpot private app may not read ${subject}: give it the scope${scopes.length === 1 ? '' : 's'} ` +
            `${scopes.join(', ')} in HubSpot (Settings › Integrations › Private apps) and update HUBSPOT_ACCESS_TOKEN.`
        : `HubSpot refused access to ${subject} (${category ?? '403'}): check the private app's scopes ` +
            '(crm.objects.deals.read, crm.objects.line_items.read, crm.objects.contacts.read).',
    );
  }
  if (status === 404) {
    return failure('not_found', `HubSpot has no ${subject}: it may have been deleted or merged.`);
  }
  if (status === 429) {
    const daily = parsed.success && parsed.data.policyName === 'DAILY';
    const wait = retryAfterSeconds(headers);
    return {
      ...failure(
        daily ? 'daily_limit' : 'rate_limited',
        daily
          ? `HubSpot's daily API limit is used up (reading ${subject}); it resets at midnight in the portal's time zone.`
          : `HubSpot is rate limiting billops (reading ${subject}); it will be tried again shortly.`,
        true,
      ),
      ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
    };
  }
  if (status >= 500) {
    return failure(
      'server_error',
      `HubSpot failed while reading ${subject} (${status}${said === undefined ? '' : `: ${said}`}); it will be tried again.`,
      true,
    );
  }
  return failure(
    'bad_request',
    `HubSpot refused the request for ${subject} (${status}${said === undefined ? '' : `: ${said}`}).`,
  );
}

/** A request that got no answer: timed out, refused, reset. */
export function translateNetworkFailure(error: unknown, subject: string, timeoutMs: number): HubSpotFailure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return failure(
      'timeout',
      `HubSpot did not answer within ${timeoutMs} ms while reading ${subject}.`,
      true,
    );
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
  return failure(
    'connection_failed',
    `HubSpot could not be reached while reading ${subject} (${cause}).`,
    true,
  );
}
