// QBO v3 wire shapes the local server reads and writes: PascalCase JSON entities and `Fault` bodies.
// Error codes and texts follow Intuit's published error list and the bodies quoted in FACTS §2.5.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface FaultError {
  Message: string;
  Detail: string;
  code: string;
  element?: string;
}

export type FaultType = 'ValidationFault' | 'SystemFault' | 'AuthenticationFault' | 'ThrottleFault';

/** A finished HTTP answer: status, JSON body and extra headers. */
export interface Answer {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

/** Thrown inside request handlers to answer with a QBO Fault instead of an entity. */
export class QuickBooksFault extends Error {
  readonly status: number;
  readonly faultType: FaultType;
  readonly error: FaultError;

  constructor(status: number, faultType: FaultType, error: FaultError) {
    super(`${error.code} ${error.Message}`);
    this.status = status;
    this.faultType = faultType;
    this.error = error;
  }

  body(time: string): JsonObject {
    return faultBody(this.faultType, this.error, time);
  }
}

export function faultBody(faultType: FaultType, error: FaultError, time: string): JsonObject {
  const entry: JsonObject = { Message: error.Message, Detail: error.Detail, code: error.code };
  if (error.element !== undefined) entry.element = error.element;
  return { Fault: { Error: [entry], type: faultType }, time };
}

export function validationFault(
  code: string,
  message: string,
  detail: string,
  element = '',
): QuickBooksFault {
  return new QuickBooksFault(400, 'ValidationFault', { Message: message, Detail: detail, code, element });
}

export function invalidReference(entity: string, id: string, element: string): QuickBooksFault {
  return validationFault(
    '2500',
    'Invalid Reference Id',
    `Invalid Reference Id : ${entity} assigned to this transaction has been deleted or does not exist. Id=${id}`,
    element,
  );
}

export function requiredParameter(name: string): QuickBooksFault {
  return validationFault(
    '2020',
    'Required param missing, need to supply the required value for the API',
    `Required parameter ${name} is missing in the request`,
    name,
  );
}

export function invalidQuery(detail: string): QuickBooksFault {
  return validationFault('4001', 'Invalid query', detail);
}

/** QBO's timestamp style: local time with an offset (we use UTC). */
export function qboTime(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A scalar JSON value as text ('' for objects, arrays, null and missing values). */
export function textOf(value: Json | undefined): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}
