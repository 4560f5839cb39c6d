import type { ErpError } from '../../ports/erp-client.ts';

// Turns what xero-node rejects with into an ErpError a finance person can act on.
// NOTE: xero-node rejects HTTP failures with a JSON *string* ({ response: { statusCode, body, headers } });
// network failures have statusCode 0 and the axios message ("timeout of 30000ms exceeded",
// "socket hang up") as the body (FACTS §1.4).

export interface XeroOperation {
  /** What billops was doing, in billing terms: "creating invoice INV-0042". */
  what: string;
  /** What Xero would refuse: "invoice INV-0042", "contact for customer CUST-7". */
  subject: string;
  /** True for calls that change Xero: a lost answer then leaves the outcome unknown. */
  write: boolean;
}

interface SdkFailure {
  statusCode: number;
  body: unknown;
  headers: Record<string, unknown>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The HTTP status, body and headers of a xero-node rejection; undefined when it is not one. */
export function readSdkFailure(error: unknown): SdkFailure | undefined {
  let parsed: unknown = error;
  if (typeof error === 'string') {
    try {
      parsed = JSON.parse(error) as unknown;
    } catch {
      return undefined;
    }
  }
  if (!isRecord(parsed) || !isRecord(parsed.response)) return undefined;
  const { response } = parsed;
  const statusCode =
    typeof response.statusCode === 'number'
      ? response.statusCode
      : typeof response.status === 'number'
        ? response.status
        : undefined;
  if (statusCode === undefined) return undefined;
  const body = response.body ?? response.data ?? parsed.body;
  return { statusCode, body, headers: isRecord(response.headers) ? response.headers : {} };
}

function header(failure: SdkFailure, name: string): string | undefined {
  const value = failure.headers[name] ?? failure.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** Every ValidationErrors message in a ValidationException body, in order, each once. */
export function validationMessages(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const elements = Array.isArray(body.Elements) ? body.Elements : [];
  const messages = elements.flatMap((element) => {
    if (!isRecord(element) || !Array.isArray(element.ValidationErrors)) return [];
    return element.ValidationErrors.flatMap((entry) =>
      isRecord(entry) && typeof entry.Message === 'string' ? [entry.Message] : [],
    );
  });
  return [...new Set(messages)];
}

/** 'duplicate_number' when Xero says the invoice number is taken, else 'validation'. */
export function validationCode(messages: readonly string[]): string {
  return messages.some((message) => /invoice #? ?(number )?must be unique/i.test(message))
    ? 'duplicate_number'
    : 'validation';
}

function bodyMessage(body: unknown): string | undefined {
  if (typeof body === 'string' && body.trim() !== '') return body.trim();
  if (!isRecord(body)) return undefined;
  for (const key of ['Message', 'Detail', 'Title', 'message']) {
    const value = body[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function uncertainty(operation: XeroOperation): Pick<ErpError, 'uncertain'> {
  return operation.write ? { uncertain: true } : {};
}

/**
 * The limit a 429 names (X-Rate-Limit-Problem: minute, appminute, day). NOTE: Xero sends Retry-After
 * only for the minute and day limits; the concurrent limit's 429 (5 calls in flight) has none
 * (developer.xero.com/documentation/guides/oauth2/limits; issue 19), so a 429 naming no other limit
 * without Retry-After is the concurrent one: a call in flight ends within seconds.
 */
function minuteLimit(problem: string | undefined): ErpError['rateLimit'] {
  if (problem === 'minute') return 'minute';
  if (problem === 'appminute') return 'app_minute';
  return 'concurrent';
}

function rateLimited(failure: SdkFailure): ErpError {
  const retryAfter = Number(header(failure, 'retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
  const problem = header(failure, 'x-rate-limit-problem')?.toLowerCase();
  const wait = retryAfterSeconds === undefined ? 'shortly' : `in about ${formatWait(retryAfterSeconds)}`;
  const error: ErpError =
    problem === 'day' || problem === 'daily'
      ? {
          retryable: true,
          code: 'daily_limit',
          message: `Xero's daily limit of API calls for this organisation is used up; billops will carry on ${wait}.`,
        }
      : {
          retryable: true,
          code: 'rate_limited',
          message: `Xero asked billops to slow down (${problem ?? 'rate'} limit); billops will try again ${wait}.`,
          rateLimit: minuteLimit(problem),
        };
  return retryAfterSeconds === undefined ? error : { ...error, retryAfterSeconds };
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} seconds`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} minutes`;
  return `${Math.round(seconds / 3600)} hours`;
}

/** An ErpError for a xero-node rejection; other errors (bugs, token source failures) are rethrown. */
export function translateXeroFailure(error: unknown, operation: XeroOperation): ErpError {
  const failure = readSdkFailure(error);
  if (failure === undefined) throw error;
  const { statusCode, body } = failure;
  if (statusCode === 0) {
    const detail = bodyMessage(body) ?? 'no answer';
    const timedOut = /timeout|timed out|ETIMEDOUT/i.test(detail);
    const outcome = operation.write
      ? ' It may have gone through: billops checks Xero before trying again.'
      : '';
    return {
      retryable: true,
      code: timedOut ? 'timeout' : 'connection_failed',
      message: timedOut
        ? `Xero did not answer in time while ${operation.what}.${outcome}`
        : `The connection to Xero failed while ${operation.what} (${detail}).${outcome}`,
      ...uncertainty(operation),
    };
  }
  if (statusCode === 429) return rateLimited(failure);
  if (statusCode === 401) {
    return {
      retryable: false,
      code: 'unauthorized',
      message: `Xero did not accept billops' access while ${operation.what}: the connection has expired or was revoked. Reconnect Xero in billops.`,
    };
  }
  if (statusCode === 403) {
    return {
      retryable: false,
      code: 'forbidden',
      message: `Xero refused access while ${operation.what}: billops is not connected to this organisation or lacks the permission. Reconnect Xero with the needed access.`,
    };
  }
  if (statusCode === 404) {
    return {
      retryable: false,
      code: 'not_found',
      message: `Xero could not find what billops asked for while ${operation.what}.`,
    };
  }
  if (statusCode === 413) {
    return {
      retryable: false,
      code: 'too_large',
      message: `Xero rejected ${operation.subject}: the file is too large.`,
    };
  }
  if (statusCode === 400 && isRecord(body) && body.Type === 'ValidationException') {
    const messages = validationMessages(body);
    const reasons = messages.length > 0 ? messages.join('; ') : (bodyMessage(body) ?? 'validation failed');
    return {
      retryable: false,
      code: validationCode(messages),
      message: `Xero rejected ${operation.subject}: ${reasons}`,
    };
  }
  if (statusCode >= 500) {
    const outcome = operation.write
      ? ' It may have gone through: billops checks Xero before trying again.'
      : '';
    return {
      retryable: true,
      code: statusCode === 503 ? 'unavailable' : 'server_error',
      message: `Xero had a problem (HTTP ${statusCode}) while ${operation.what}.${outcome}`,
      ...uncertainty(operation),
    };
  }
  return {
    retryable: false,
    code: 'rejected',
    message: `Xero rejected ${operation.subject} (HTTP ${statusCode}): ${bodyMessage(body) ?? 'no reason given'}`,
  };
}
