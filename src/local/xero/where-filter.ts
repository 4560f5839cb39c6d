// The part of Xero's `where` filter syntax billops and its tests use, evaluated over wire records:
//   ContactNumber=="CUST-42" AND Status!="ARCHIVED"
//   Name.Contains("acme") || Name.ToLower().StartsWith("ac")
//   Contact.ContactID==Guid("9e6c…")   InvoiceNumber=="INV-0001"   Total>100
// Anything else is a QueryParseException, so a test never silently matches everything.

type Token =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'word'; value: string }
  | { kind: 'symbol'; value: string };

export class QueryParseError extends Error {}

const SYMBOLS = ['==', '!=', '>=', '<=', '&&', '||', '>', '<', '(', ')', '.', ',', '!'];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < source.length) {
    const char = source.charAt(index);
    if (/\s/.test(char)) {
      index += 1;
      continue;
    }
    if (char === '"') {
      let value = '';
      index += 1;
      while (index < source.length && source.charAt(index) !== '"') {
        if (source.charAt(index) === '\\' && index + 1 < source.length) index += 1;
        value += source.charAt(index);
        index += 1;
      }
      if (index >= source.length) throw new QueryParseError('Unterminated string in where clause');
      index += 1;
      tokens.push({ kind: 'string', value });
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(source.slice(index));
    if (number !== null) {
      tokens.push({ kind: 'number', value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_]\w*/.exec(source.slice(index));
    if (word !== null) {
      tokens.push({ kind: 'word', value: word[0] });
      index += word[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((candidate) => source.startsWith(candidate, index));
    if (symbol === undefined) throw new QueryParseError(`Unexpected character '${char}' in where clause`);
    tokens.push({ kind: 'symbol', value: symbol });
    index += symbol.length;
  }
  return tokens;
}

type Operand = (record: Record<string, unknown>) => unknown;
export type RecordPredicate = (record: Record<string, unknown>) => boolean;

function field(record: unknown, name: string): unknown {
  if (typeof record !== 'object' || record === null) return undefined;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (record as Record<string, unknown>)[key];
}

function applyMethod(method: string, target: unknown, args: unknown[]): unknown {
  const value =
    typeof target === 'string'
      ? target
      : typeof target === 'number' || typeof target === 'boolean'
        ? String(target)
        : '';
  const argument = typeof args[0] === 'string' ? args[0].toLowerCase() : '';
  switch (method.toLowerCase()) {
    case 'tolower':
      return value.toLowerCase();
    case 'toupper':
      return value.toUpperCase();
    case 'contains':
      return value.toLowerCase().includes(argument);
    case 'startswith':
      return value.toLowerCase().startsWith(argument);
    case 'endswith':
      return value.toLowerCase().endsWith(argument);
    default:
      throw new QueryParseError(`Method ${method} is not supported in where clauses`);
  }
}

function compare(operator: string, left: unknown, right: unknown): boolean {
  const l = left === '' ? null : (left ?? null);
  const r = right === '' ? null : (right ?? null);
  if (operator === '==') return l === r;
  if (operator === '!=') return l !== r;
  if (typeof l !== 'number' || typeof r !== 'number') return false;
  if (operator === '>') return l > r;
  if (operator === '>=') return l >= r;
  if (operator === '<') return l < r;
  return l <= r;
}

class Parser {
  private position = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  parse(): RecordPredicate {
    const predicate = this.or();
    if (this.position < this.tokens.length)
      throw new QueryParseError('Unexpected text at the end of the where clause');
    return predicate;
  }

  private peek(): Token | undefined {
    return this.tokens[this.position];
  }

  private isSymbol(value: string): boolean {
    const token = this.peek();
    return token?.kind === 'symbol' && token.value === value;
  }

  private isWord(value: string): boolean {
    const token = this.peek();
    return token?.kind === 'word' && token.value.toUpperCase() === value;
  }

  private expect(value: string): void {
    if (!this.isSymbol(value)) throw new QueryParseError(`Expected '${value}' in where clause`);
    this.position += 1;
  }

  private or(): RecordPredicate {
    let left = this.and();
    while (this.isSymbol('||') || this.isWord('OR')) {
      this.position += 1;
      const first = left;
      const right = this.and();
      left = (record) => first(record) || right(record);
    }
    return left;
  }

  private and(): RecordPredicate {
    let left = this.unary();
    while (this.isSymbol('&&') || this.isWord('AND')) {
      this.position += 1;
      const first = left;
      const right = this.unary();
      left = (record) => first(record) && right(record);
    }
    return left;
  }

  private unary(): RecordPredicate {
    if (this.isSymbol('!') || this.isWord('NOT')) {
      this.position += 1;
      const inner = this.unary();
      return (record) => !inner(record);
    }
    if (this.isSymbol('(')) {
      this.position += 1;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    const left = this.operand();
    const token = this.peek();
    if (token?.kind === 'symbol' && ['==', '!=', '>', '>=', '<', '<='].includes(token.value)) {
      this.position += 1;
      const right = this.operand();
      return (record) => compare(token.value, left(record), right(record));
    }
    return (record) => left(record) === true;
  }

  private arguments(): Operand[] {
    this.expect('(');
    const args: Operand[] = [];
    while (!this.isSymbol(')')) {
      args.push(this.operand());
      if (this.isSymbol(',')) this.position += 1;
      else break;
    }
    this.expect(')');
    return args;
  }

  private operand(): Operand {
    const token = this.peek();
    if (token === undefined) throw new QueryParseError('The where clause ends too early');
    this.position += 1;
    if (token.kind === 'string' || token.kind === 'number') return () => token.value;
    if (token.kind === 'symbol') throw new QueryParseError(`Unexpected '${token.value}' in where clause`);
    const word = token.value;
    if (word === 'true' || word === 'false') return () => word === 'true';
    if (word === 'null') return () => null;
    if (word === 'Guid' && this.isSymbol('(')) {
      const [inner] = this.arguments();
      if (inner === undefined) throw new QueryParseError('Guid() needs a value');
      return (record) => String(inner(record)).toLowerCase();
    }
    let value: Operand = (record) => field(record, word);
    while (this.isSymbol('.')) {
      this.position += 1;
      const next = this.peek();
      if (next?.kind !== 'word') throw new QueryParseError("Expected a name after '.' in where clause");
      this.position += 1;
      const target = value;
      if (this.isSymbol('(')) {
        const args = this.arguments();
        value = (record) =>
          applyMethod(
            next.value,
            target(record),
            args.map((arg) => arg(record)),
          );
      } else value = (record) => field(target(record), next.value);
    }
    return (record) => {
      const resolved = value(record);
      // Ids compare case-insensitively, as Xero's Guid() does.
      return typeof resolved === 'string' && /^[0-9a-f-]{36}$/i.test(resolved)
        ? resolved.toLowerCase()
        : resolved;
    };
  }
}

/** Compiles a `where` clause into a predicate over PascalCase wire records; throws QueryParseError. */
export function compileWhere(source: string): RecordPredicate {
  return new Parser(tokenize(source)).parse();
}
