import { randomUUID } from 'node:crypto';

// HubSpot's answer envelope: JSON bodies, and errors as { status: 'error', message, correlationId, category }.

export interface HubSpotAnswer {
  status: number;
  /** undefined sends no body at all (HubSpot's 404 for a missing record). */
  body?: unknown;
  headers?: Record<string, string>;
}

export function errorAnswer(
  status: number,
  category: string,
  message: string,
  extra: Record<string, unknown> = {},
): HubSpotAnswer {
  return { status, body: { status: 'error', message, correlationId: randomUUID(), category, ...extra } };
}

export function invalidAuthentication(): HubSpotAnswer {
  return errorAnswer(
    401,
    'INVALID_AUTHENTICATION',
    'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more ' +
      'details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
  );
}

/** A 429 as HubSpot sends it: `errorType` and `policyName` instead of `category`. */
export function rateLimited(retryAfterSeconds: number | undefined): HubSpotAnswer {
  return {
    status: 429,
    body: {
      status: 'error',
      message: 'You have reached your ten_secondly_rolling limit.',
      errorType: 'RATE_LIMIT',
      correlationId: randomUUID(),
      policyName: 'TEN_SECONDLY_ROLLING',
    },
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  };
}

export function injectedFailure(status: number, retryAfterSeconds: number | undefined): HubSpotAnswer {
  if (status === 429) return rateLimited(retryAfterSeconds);
  if (status === 401) return invalidAuthentication();
  if (status === 404) return { status: 404 };
  if (status >= 500) return errorAnswer(status, 'INTERNAL_ERROR', 'internal error');
  return errorAnswer(status, 'VALIDATION_ERROR', `The local HubSpot was told to answer ${status}.`);
}

export function notFound(): HubSpotAnswer {
  return { status: 404 };
}
