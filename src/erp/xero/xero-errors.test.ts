import { describe, expect, it } from 'vitest';

import { translateXeroFailure } from './xero-errors.ts';

/** What xero-node rejects with: JSON.stringify(new ApiError(axiosError).generateError()). */
function sdkRejection(statusCode: number, body: unknown, headers: Record<string, string> = {}): string {
  return JSON.stringify({ response: { statusCode, body, headers, request: {} }, body });
}

const write = { what: 'creating invoice INV-7', subject: 'invoice INV-7', write: true };
const read = { what: 'looking up invoice INV-7', subject: 'invoice INV-7', write: false };

describe('translateXeroFailure', () => {
  it('joins the messages of a ValidationException', () => {
    const body = {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: [
        {
          ValidationErrors: [
            { Message: "Account code '999' is not a valid code for this document." },
            { Message: 'Due Date is required.' },
          ],
        },
      ],
    };
    expect(translateXeroFailure(sdkRejection(400, body), write)).toEqual({
      retryable: false,
      code: 'validation',
      message:
        "Xero rejected invoice INV-7: Account code '999' is not a valid code for this document.; Due Date is required.",
    });
  });

  it('calls a taken invoice number duplicate_number', () => {
    const body = {
      Type: 'ValidationException',
      Elements: [{ ValidationErrors: [{ Message: 'Invoice # must be unique.' }] }],
    };
    expect(translateXeroFailure(sdkRejection(400, body), write).code).toBe('duplicate_number');
  });

  it.each([
    ['minute', 'rate_limited'],
    ['concurrent', 'rate_limited'],
    ['day', 'daily_limit'],
    ['Daily', 'daily_limit'],
  ])('reads X-Rate-Limit-Problem %s as %s with Retry-After', (problem, code) => {
    const error = translateXeroFailure(
      sdkRejection(429, '', { 'retry-after': '42', 'x-rate-limit-problem': problem }),
      write,
    );
    expect(error).toMatchObject({ retryable: true, code, retryAfterSeconds: 42 });
    expect(error.uncertain).toBeUndefined();
  });

  it.each([
    ['minute', 'minute'],
    ['appminute', 'app_minute'],
    ['concurrent', 'concurrent'],
    [undefined, 'concurrent'],
  ])('names the limit of a 429 with X-Rate-Limit-Problem %s and no Retry-After as %s', (problem, limit) => {
    const headers: Record<string, string> = problem === undefined ? {} : { 'x-rate-limit-problem': problem };
    const error = translateXeroFailure(sdkRejection(429, '', headers), write);
    expect(error).toMatchObject({ code: 'rate_limited', rateLimit: limit });
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it('calls 401 unauthorized and asks for Xero to be reconnected', () => {
    const error = translateXeroFailure(sdkRejection(401, { Title: 'Unauthorized' }), read);
    expect(error).toMatchObject({ retryable: false, code: 'unauthorized' });
    expect(error.message).toContain('Reconnect Xero');
  });

  it.each([
    [sdkRejection(500, { Title: 'An error occurred' }), 'server_error'],
    [sdkRejection(503, {}), 'unavailable'],
    [sdkRejection(0, 'timeout of 30000ms exceeded'), 'timeout'],
    [sdkRejection(0, 'socket hang up'), 'connection_failed'],
    [sdkRejection(0, 'read ECONNRESET'), 'connection_failed'],
  ])('calls a lost or failed write retryable and uncertain (%#)', (rejection, code) => {
    expect(translateXeroFailure(rejection, write)).toMatchObject({ retryable: true, code, uncertain: true });
  });

  it('does not call a failed read uncertain', () => {
    expect(translateXeroFailure(sdkRejection(0, 'socket hang up'), read).uncertain).toBeUndefined();
  });

  it('rethrows what is not a xero-node rejection', () => {
    const bug = new TypeError('boom');
    expect(() => translateXeroFailure(bug, read)).toThrow(bug);
  });
});
