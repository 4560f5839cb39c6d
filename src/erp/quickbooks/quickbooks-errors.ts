import type { ErpError } from '../../ports/erp-client.ts';

// Turns what node-quickbooks hands a callback into an ErpError a finance person can act on.
// The SDK passes three shapes (FACTS §2.5): an AxiosError for HTTP errors (the Fault JSON at
// error.response.data) and for network failures (error.code), or the body itself when QBO answered
// 200 with a Fault. Validation faults are PascalCase (Fault.Error[].Message/Detail/code); 401 bodies
// are lowercase (fault.error[].message/detail/code). Both are read.

export interface QuickBooksFaultEntry {
  code: string;
  message: string;
  detail: string;
  element: string;
}

/** What the failed call was about, to say so in the message and to know if it may have been applied. */
export interface FailedOperation {
  /** 'write' when the call could have created something (then 5xx, resets and timeouts are uncertain). */
  kind: 'read' | 'write';
  /** In words: "invoice INV-1001", "customer Acme Ltd", "the PDF for invoice 130". */
  subject: string;
  /** Our invoice number, for duplicate_number. */
  invoiceNumber?: string;
}

// NOTE: QBO suggests waiting 60 s after a 429 when no Retry-After comes with it (FACTS §2.7).
const defaultRetryAfterSeconds = 60;

function property(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (name in record) return record[name];
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : record[key];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** The Fault entries in a QBO body, PascalCase or lowercase; [] when it is not a Fault. */
export function faultEntries(body: unknown): QuickBooksFaultEntry[] {
  const errors = property(property(body, 'Fault'), 'Error');
  if (!Array.isArray(errors)) return [];
  return errors.map((entry: unknown) => ({
    code: text(property(entry, 'code')).replace(/^0+(?=\d)/, ''),
    message: text(property(entry, 'Message')),
    detail: text(property(entry, 'Detail')),
    element: text(property(entry, 'element')),
  }));
}

export function faultType(body: unknown): string {
  return text(property(property(body, 'Fault'), 'type'));
}

function retryAfterSeconds(headers: unknown, now: Date): number {
  const raw = text(property(headers, 'retry-after')).trim();
  if (/^\d+$/.test(raw)) return Math.max(1, Number(raw));
  const date = Date.parse(raw);
  if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - now.getTime()) / 1000));
  return defaultRetryAfterSeconds;
}

const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
const cutOffCodes = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ERR_NETWORK',
  'UND_ERR_SOCKET',
]);

function afterwards(operation: FailedOperation): string {
  return operation.kind === 'write'
    ? `It may have been saved anyway: billops will look for ${operation.subject} before trying again.`
    : 'billops will try again.';
}

/** One Fault from QBO in billing terms. */
export function translateFault(
  fault: QuickBooksFaultEntry,
  operation: FailedOperation,
  type = 'ValidationFault',
): ErpError {
  const said = fault.detail || fault.message || `error ${fault.code}`;
  switch (fault.code) {
    case '6140':
      return {
        retryable: false,
        code: 'duplicate_number',
        message: `QuickBooks already has ${operation.invoiceNumber === undefined ? 'an invoice with this number' : `invoice ${operation.invoiceNumber}`}, so billops did not create it again.`,
      };
    case '6240':
      return {
        retryable: false,
        code: 'duplicate_name',
        message: `QuickBooks already has a customer, vendor or employee with the name used for ${operation.subject}.`,
      };
    case '2500':
      return {
        retryable: false,
        code: 'invalid_reference',
        message: `QuickBooks does not recognise an item, class, location, tax code or customer that ${operation.subject} uses${fault.element === '' ? '' : ` (${fault.element})`}: ${said}`,
      };
    case '610':
      return {
        retryable: false,
        code: 'not_found',
        message: `QuickBooks could not find ${operation.subject}: ${said}`,
      };
    case '5010':
      return {
        retryable: true,
        code: 'conflict',
        message: `Someone changed ${operation.subject} in QuickBooks at the same time. billops will try again.`,
      };
    case '3001':
      return {
        retryable: true,
        code: 'rate_limited',
        message:
          'QuickBooks is limiting how fast billops may send for this company. billops will try again shortly.',
        retryAfterSeconds: defaultRetryAfterSeconds,
      };
    case '3200':
    case '3100':
      return unauthorized();
    case '10000':
      return {
        retryable: true,
        code: 'server_error',
        message: `QuickBooks had an internal problem with ${operation.subject}. ${afterwards(operation)}`,
        uncertain: operation.kind === 'write',
      };
    default:
      if (type === 'SystemFault') {
        return {
          retryable: true,
          code: 'server_error',
          message: `QuickBooks had an internal problem with ${operation.subject}: ${said}. ${afterwards(operation)}`,
          uncertain: operation.kind === 'write',
        };
      }
      return {
        retryable: false,
        code: 'validation',
        message: `QuickBooks refused ${operation.subject}: ${said}`,
      };
  }
}

function unauthorized(): ErpError {
  return {
    retryable: false,
    code: 'unauthorized',
    message:
      'QuickBooks did not accept billops’ connection: it has expired or was revoked. Reconnect QuickBooks in billops, then retry.',
  };
}

/** Anything a node-quickbooks call failed with, as an ErpError. */
export function translateQuickBooksError(
  failure: { timedOut: boolean; error: unknown; timeoutMs?: number },
  operation: FailedOperation,
  now: Date = new Date(),
): ErpError {
  if (failure.timedOut) {
    const seconds =
      failure.timeoutMs === undefined ? '' : ` within ${Math.round(failure.timeoutMs / 1000)} s`;
    return {
      retryable: true,
      code: 'timeout',
      message: `QuickBooks did not answer${seconds} about ${operation.subject}. ${afterwards(operation)}`,
      uncertain: operation.kind === 'write',
    };
  }
  const { error } = failure;
  const response = property(error, 'response');
  const status = Number(property(response, 'status')) || 0;
  const body = response === undefined ? error : property(response, 'data');
  const entries = faultEntries(body);
  const first = entries[0];

  if (status === 401) return unauthorized();
  if (status === 403) {
    return {
      retryable: false,
      code: 'forbidden',
      message:
        'QuickBooks says billops may not do this for this company: check the QuickBooks user’s permissions and subscription.',
    };
  }
  if (status === 429 || first?.code === '3001') {
    const seconds = retryAfterSeconds(property(response, 'headers'), now);
    return {
      retryable: true,
      code: 'rate_limited',
      message: `QuickBooks is limiting how fast billops may send for this company. billops will try again in ${seconds} s.`,
      retryAfterSeconds: seconds,
    };
  }
  if (status >= 500) {
    return {
      retryable: true,
      code: 'server_error',
      message: `QuickBooks had a problem of its own (HTTP ${status}) with ${operation.subject}. ${afterwards(operation)}`,
      uncertain: operation.kind === 'write',
    };
  }
  if (first !== undefined) {
    const type = response === undefined ? faultType(error) : faultType(body);
    return translateFault(first, operation, type);
  }
  const networkCode = text(property(error, 'code'));
  if (response === undefined && notSentCodes.has(networkCode)) {
    return {
      retryable: true,
      code: 'unreachable',
      message: `billops could not reach QuickBooks (${networkCode}); nothing was sent. billops will try again.`,
    };
  }
  if (
    response === undefined &&
    (cutOffCodes.has(networkCode) || /socket hang up/i.test(text(property(error, 'message'))))
  ) {
    return {
      retryable: true,
      code: 'connection_reset',
      message: `The connection to QuickBooks broke before it answered about ${operation.subject}. ${afterwards(operation)}`,
      uncertain: operation.kind === 'write',
    };
  }
  if (status >= 400) {
    return {
      retryable: false,
      code: 'validation',
      message: `QuickBooks refused ${operation.subject} (HTTP ${status}).`,
    };
  }
  const message = text(property(error, 'message'));
  return {
    retryable: false,
    code: 'unexpected',
    message: `Something unexpected happened while sending ${operation.subject} to QuickBooks${message === '' ? '' : `: ${message}`}.`,
    uncertain: operation.kind === 'write',
  };
}
