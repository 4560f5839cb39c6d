import { invalidQuery, textOf, type Json, type JsonObject } from './wire.ts';

// The part of QBO's query language that billops sends through node-quickbooks:
//   select * | count(*) from <Entity> [where <field> <op> <value> [and …]] [orderby <field> [asc|desc]]
//   [startposition <n>] [maxresults <n>]
// Strings are single-quoted with \' escapes. Only "filterable" fields may appear in where: QBO answers
// 4001 "property 'X' is not queryable" otherwise (e.g. Customer.AcctNum), and so does this server.

export type Operator = '=' | '<' | '>' | '<=' | '>=' | 'LIKE' | 'IN';
export type Literal = string | number | boolean;

export interface Condition {
  field: string;
  operator: Operator;
  values: Literal[];
}

export interface ParsedQuery {
  entity: string;
  count: boolean;
  conditions: Condition[];
  orderBy: { field: string; descending: boolean } | undefined;
  startPosition: number;
  maxResults: number;
}

const filterable: Record<string, readonly string[]> = {
  Customer: [
    'Id',
    'DisplayName',
    'GivenName',
    'MiddleName',
    'FamilyName',
    'Suffix',
    'CompanyName',
    'FullyQualifiedName',
    'PrintOnCheckName',
    'Active',
    'Balance',
    'MetaData.CreateTime',
    'MetaData.LastUpdatedTime',
  ],
  Invoice: [
    'Id',
    'DocNumber',
    'TxnDate',
    'DueDate',
    'CustomerRef',
    'TotalAmt',
    'Balance',
    'MetaData.CreateTime',
    'MetaData.LastUpdatedTime',
  ],
  CreditMemo: [
    'Id',
    'DocNumber',
    'TxnDate',
    'CustomerRef',
    'TotalAmt',
    'Balance',
    'MetaData.CreateTime',
    'MetaData.LastUpdatedTime',
  ],
  Payment: ['Id', 'CustomerRef', 'TxnDate', 'MetaData.CreateTime', 'MetaData.LastUpdatedTime'],
  Attachable: [
    'Id',
    'FileName',
    'AttachableRef.EntityRef.Type',
    'AttachableRef.EntityRef.value',
    'MetaData.CreateTime',
    'MetaData.LastUpdatedTime',
  ],
  Item: ['Id', 'Name', 'Type', 'Active'],
  Class: ['Id', 'Name', 'Active'],
  Department: ['Id', 'Name', 'Active'],
  TaxCode: ['Id', 'Name', 'Active'],
};

export const queryableEntities = Object.keys(filterable);

type Token =
  { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: 'symbol'; text: string };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const char = query.charAt(index);
    if (/\s/.test(char)) {
      index += 1;
    } else if (char === "'") {
      let text = '';
      index += 1;
      for (;;) {
        if (index >= query.length) throw invalidQuery('QueryParserError: Encountered unterminated string');
        const next = query.charAt(index);
        if (next === '\\' && index + 1 < query.length) {
          text += query.charAt(index + 1);
          index += 2;
        } else if (next === "'") {
          index += 1;
          break;
        } else {
          text += next;
          index += 1;
        }
      }
      tokens.push({ kind: 'string', text });
    } else if ('<>'.includes(char) && query.charAt(index + 1) === '=') {
      tokens.push({ kind: 'symbol', text: `${char}=` });
      index += 2;
    } else if ('=<>(),*'.includes(char)) {
      tokens.push({ kind: 'symbol', text: char });
      index += 1;
    } else {
      const match = /^[A-Za-z0-9_.:+-]+/.exec(query.slice(index));
      if (match === null)
        throw invalidQuery(`QueryParserError: Encountered " ${char} " at column ${index + 1}`);
      tokens.push({ kind: 'word', text: match[0] });
      index += match[0].length;
    }
  }
  return tokens;
}

class TokenReader {
  private position = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  peek(): Token | undefined {
    return this.tokens[this.position];
  }

  next(): Token {
    const token = this.tokens[this.position];
    if (token === undefined) throw invalidQuery('QueryParserError: Encountered "<EOF>"');
    this.position += 1;
    return token;
  }

  atKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  keyword(keyword: string): void {
    const token = this.next();
    if (token.kind !== 'word' || token.text.toLowerCase() !== keyword) {
      throw invalidQuery(`QueryParserError: Encountered " ${token.text} " where "${keyword}" was expected`);
    }
  }

  symbol(text: string): void {
    const token = this.next();
    if (token.kind !== 'symbol' || token.text !== text) {
      throw invalidQuery(`QueryParserError: Encountered " ${token.text} " where "${text}" was expected`);
    }
  }

  done(): boolean {
    return this.position >= this.tokens.length;
  }
}

function literal(token: Token): Literal {
  if (token.kind === 'string') return token.text;
  if (token.kind === 'word') {
    if (token.text.toLowerCase() === 'true') return true;
    if (token.text.toLowerCase() === 'false') return false;
    if (/^-?\d+(\.\d+)?$/.test(token.text)) return Number(token.text);
  }
  throw invalidQuery(`QueryParserError: Encountered " ${token.text} " where a value was expected`);
}

function canonicalField(entity: string, field: string): string {
  const known = filterable[entity] ?? [];
  const match = known.find((name) => name.toLowerCase() === field.toLowerCase());
  if (match === undefined) throw invalidQuery(`QueryValidationError: property '${field}' is not queryable`);
  return match;
}

function positiveInteger(reader: TokenReader, name: string): number {
  const token = reader.next();
  const value = token.kind === 'word' ? Number(token.text) : Number.NaN;
  if (!Number.isInteger(value) || value < 1) {
    throw invalidQuery(`QueryParserError: ${name} must be a positive integer`);
  }
  return value;
}

/** Parses one query statement; throws a 4001 QuickBooksFault for anything it cannot read. */
export function parseQuery(query: string): ParsedQuery {
  const reader = new TokenReader(tokenize(query));
  reader.keyword('select');
  let count = false;
  if (reader.atKeyword('count')) {
    reader.next();
    reader.symbol('(');
    reader.symbol('*');
    reader.symbol(')');
    count = true;
  } else {
    reader.symbol('*');
  }
  reader.keyword('from');
  const entityToken = reader.next();
  const entity = queryableEntities.find((name) => name.toLowerCase() === entityToken.text.toLowerCase());
  if (entity === undefined) {
    throw invalidQuery(`QueryParserError: Unsupported entity ${entityToken.text} for this local server`);
  }

  const conditions: Condition[] = [];
  if (reader.atKeyword('where')) {
    reader.next();
    for (;;) {
      const fieldToken = reader.next();
      const field = canonicalField(entity, fieldToken.text);
      const operatorToken = reader.next();
      const operatorText = operatorToken.text.toUpperCase();
      if (operatorText === 'IN') {
        reader.symbol('(');
        const values: Literal[] = [literal(reader.next())];
        while (reader.peek()?.text === ',') {
          reader.next();
          values.push(literal(reader.next()));
        }
        reader.symbol(')');
        conditions.push({ field, operator: 'IN', values });
      } else if (['=', '<', '>', '<=', '>=', 'LIKE'].includes(operatorText)) {
        conditions.push({ field, operator: operatorText as Operator, values: [literal(reader.next())] });
      } else {
        throw invalidQuery(
          `QueryParserError: Encountered " ${operatorToken.text} " where an operator was expected`,
        );
      }
      if (!reader.atKeyword('and')) break;
      reader.next();
    }
  }

  let orderBy: ParsedQuery['orderBy'];
  if (reader.atKeyword('orderby')) {
    reader.next();
    const field = reader.next().text;
    let descending = false;
    if (reader.atKeyword('desc') || reader.atKeyword('asc'))
      descending = reader.next().text.toLowerCase() === 'desc';
    orderBy = { field, descending };
  }
  let startPosition = 1;
  let maxResults = 100;
  if (reader.atKeyword('startposition')) {
    reader.next();
    startPosition = positiveInteger(reader, 'startposition');
  }
  if (reader.atKeyword('maxresults')) {
    reader.next();
    maxResults = Math.min(positiveInteger(reader, 'maxresults'), 1000);
  }
  if (!reader.done()) {
    throw invalidQuery(`QueryParserError: Encountered " ${reader.next().text} " after the end of the query`);
  }
  return { entity, count, conditions, orderBy, startPosition, maxResults };
}

/** The values at a dotted path; arrays along the way fan out (AttachableRef.EntityRef.value). */
function valuesAt(entity: Json, path: readonly string[]): Json[] {
  if (path.length === 0) return Array.isArray(entity) ? entity : [entity];
  if (Array.isArray(entity)) return entity.flatMap((item) => valuesAt(item, path));
  if (entity === null || typeof entity !== 'object') return [];
  const [head = '', ...rest] = path;
  const key = Object.keys(entity).find((name) => name.toLowerCase() === head.toLowerCase());
  if (key === undefined) return [];
  const value = entity[key];
  if (value === undefined) return [];
  // A reference such as CustomerRef compares by its value.
  if (rest.length === 0 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const inner = value.value;
    return inner === undefined ? [] : [inner];
  }
  return valuesAt(value, rest);
}

function compare(actual: Json, operator: Operator, expected: Literal): boolean {
  if (typeof expected === 'number') {
    const number = typeof actual === 'number' ? actual : Number(actual);
    if (Number.isNaN(number)) return false;
    if (operator === '<') return number < expected;
    if (operator === '>') return number > expected;
    if (operator === '<=') return number <= expected;
    if (operator === '>=') return number >= expected;
    return number === expected;
  }
  if (typeof expected === 'boolean') return actual === expected;
  if (typeof actual !== 'string') return false;
  // NOTE: QBO compares names case-insensitively ("acme" finds "Acme"); so does this server.
  const left = actual.toLowerCase();
  const right = expected.toLowerCase();
  if (operator === 'LIKE') {
    const pattern = right
      .split('%')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    return new RegExp(`^${pattern}$`, 's').test(left);
  }
  if (operator === '<') return left < right;
  if (operator === '>') return left > right;
  if (operator === '<=') return left <= right;
  if (operator === '>=') return left >= right;
  return left === right;
}

export function matches(entity: JsonObject, condition: Condition): boolean {
  const actuals = valuesAt(entity, condition.field.split('.'));
  return actuals.some((actual) =>
    condition.values.some((value) =>
      compare(actual, condition.operator === 'IN' ? '=' : condition.operator, value),
    ),
  );
}

/** Runs a parsed query over a list of entities: the QueryResponse body QBO returns. */
export function runQuery(query: ParsedQuery, entities: readonly JsonObject[]): JsonObject {
  const found = entities.filter((entity) =>
    query.conditions.every((condition) => matches(entity, condition)),
  );
  if (query.count) return { totalCount: found.length };
  const orderBy = query.orderBy;
  if (orderBy !== undefined) {
    const path = orderBy.field.split('.');
    found.sort((a, b) => {
      const left = textOf(valuesAt(a, path)[0]);
      const right = textOf(valuesAt(b, path)[0]);
      const order = left.localeCompare(right, 'en', { numeric: true });
      return orderBy.descending ? -order : order;
    });
  }
  const page = found.slice(query.startPosition - 1, query.startPosition - 1 + query.maxResults);
  if (page.length === 0) return {};
  return { [query.entity]: page, startPosition: query.startPosition, maxResults: page.length };
}
