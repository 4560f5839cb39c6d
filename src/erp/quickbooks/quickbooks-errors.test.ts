import { describe, expect, it } from 'vitest';

import { translateQuickBooksError, type FailedOperation } from './quickbooks-errors.ts';

// The shapes node-quickbooks hands its callbacks (FACTS §2.5), built by hand.

const write: FailedOperation = { kind: 'write', subject: 'invoice INV-1001', invoiceNumber: 'INV-1001' };
const read: FailedOperation = { kind: 'read', subject: 'invoice INV-1001' };
const now = new Date('2026-11-21T09:00:00Z');

function httpError(status: number, data: unknown, headers: Record<string, string> = {}): unknown {
  return {
    message: `Request failed with status code ${status}`,
    code: 'ERR_BAD_RESPONSE',
    response: { status, data, headers },
  };
}

function validation(code: string, message: string, detail = message): unknown {
  return {
    Fault: { Error: [{ Message: message, Detail: detail, code, element: '' }], type: 'ValidationFault' },
  };
}

describe('translateQuickBooksError', () => {
  it('reads 6140 as duplicate_number, naming our invoice', () => {
    const error = translateQuickBooksError(
      { timedOut: false, error: httpError(400, validation('6140', 'Duplicate Document Number Error')) },
      write,
      now,
    );

    expect(error).toEqual({
      retryable: false,
      code: 'duplicate_number',
      message: 'QuickBooks already has invoice INV-1001, so billops did not create it again.',
    });
  });

  it('reads a Fault inside an HTTP 200 body the same way', () => {
    const error = translateQuickBooksError(
      { timedOut: false, error: validation('2500', 'Invalid Reference Id', 'Invalid Reference Id : Item 9') },
      write,
      now,
    );

    expect(error).toMatchObject({ code: 'invalid_reference', retryable: false });
    expect(error.message).toContain('Item 9');
  });

  it.each([
    ['seconds', { 'retry-after': '7' }, 7],
    ['an HTTP date', { 'retry-after': 'Sat, 21 Nov 2026 09:00:30 GMT' }, 30],
    ['nothing', {}, 60],
  ])('reads a 429 as rate_limited, with Retry-After given as %s', (_, headers, seconds) => {
    const body = {
      Fault: {
        Error: [{ Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', code: '3001' }],
      },
    };

    const error = translateQuickBooksError(
      { timedOut: false, error: httpError(429, body, headers) },
      read,
      now,
    );

    expect(error).toMatchObject({ retryable: true, code: 'rate_limited', retryAfterSeconds: seconds });
  });

  it('reads a throttling Fault without a 429 status as rate_limited too', () => {
    const body = { Fault: { Error: [{ Message: 'ThrottleExceeded', code: '003001' }] } };

    expect(translateQuickBooksError({ timedOut: false, error: body }, read, now)).toMatchObject({
      code: 'rate_limited',
      retryAfterSeconds: 60,
    });
  });

  it('reads the lowercase 401 body as unauthorized', () => {
    const body = {
      fault: {
        error: [{ message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401', code: '3200' }],
      },
    };

    expect(
      translateQuickBooksError({ timedOut: false, error: httpError(401, body) }, read, now),
    ).toMatchObject({
      retryable: false,
      code: 'unauthorized',
    });
  });

  it('treats a 5xx as retryable, and uncertain only for writes', () => {
    const failure = { timedOut: false, error: httpError(502, 'Bad Gateway') };

    expect(translateQuickBooksError(failure, write, now)).toMatchObject({
      code: 'server_error',
      retryable: true,
      uncertain: true,
    });
    expect(translateQuickBooksError(failure, read, now)).toMatchObject({
      code: 'server_error',
      uncertain: false,
    });
  });

  it('tells a request that never left from one cut off on the way', () => {
    const refused = translateQuickBooksError(
      { timedOut: false, error: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } },
      write,
      now,
    );
    const reset = translateQuickBooksError(
      { timedOut: false, error: { code: 'ECONNRESET', message: 'socket hang up' } },
      write,
      now,
    );

    expect(refused).toMatchObject({ code: 'unreachable', retryable: true });
    expect(refused.uncertain).toBeUndefined();
    expect(reset).toMatchObject({ code: 'connection_reset', retryable: true, uncertain: true });
  });

  it('says how long it waited when the call timed out', () => {
    const error = translateQuickBooksError(
      { timedOut: true, error: undefined, timeoutMs: 60_000 },
      write,
      now,
    );

    expect(error).toMatchObject({ code: 'timeout', retryable: true, uncertain: true });
    expect(error.message).toContain('within 60 s about invoice INV-1001');
  });

  it('passes QuickBooks’ own words through for other validation faults', () => {
    const body = validation(
      '6000',
      'A business validation error has occurred',
      'Business Validation Error: Transaction date is closed',
    );

    expect(translateQuickBooksError({ timedOut: false, error: httpError(400, body) }, write, now)).toEqual({
      retryable: false,
      code: 'validation',
      message: 'QuickBooks refused invoice INV-1001: Business Validation Error: Transaction date is closed',
    });
  });
});
