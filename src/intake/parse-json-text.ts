import { randomUUID } from 'node:crypto';

// JSON.parse, with two things it cannot do alone: say where invalid JSON goes wrong (V8's messages often
// give no position), and notice numbers that lost digits when they became doubles.

/**
 * A JSON number written with more than 15 significant digits: a double cannot hold it exactly, so it is
 * kept as written and refused where an exact value is needed.
 */
export class ImpreciseJsonNumber {
  readonly source: string;
  constructor(source: string) {
    this.source = source;
  }
}

export type JsonParseResult =
  | { ok: true; value: unknown }
  | { ok: false; message: string; position: number; line: number; column: number };

/** Most significant digits a double keeps exactly through a decimal round trip. */
export const EXACT_DOUBLE_DIGITS = 15;

/** Parses JSON text; numbers with more than 15 significant digits arrive as ImpreciseJsonNumber. */
export function parseJsonText(text: string): JsonParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return describeSyntaxError(text);
  }
  const imprecise = findImpreciseNumbers(text);
  if (imprecise.length === 0) return { ok: true, value };
  return { ok: true, value: reparseKeepingDigits(text, imprecise) };
}

/** Significant digits of a JSON number token: "0.00120" has 2, "1200" has 2, "-12.5e3" has 3. */
export function significantDigits(token: string): number {
  const mantissa = token.replace(/^[+-]/, '').split(/[eE]/)[0] ?? '';
  return mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
}

interface NumberToken {
  start: number;
  end: number;
}

function findImpreciseNumbers(text: string): NumberToken[] {
  const found: NumberToken[] = [];
  const numberPattern = /-?\d[\d.eE+-]*/y;
  let position = 0;
  while (position < text.length) {
    const char = text[position];
    if (char === '"') {
      position = endOfString(text, position);
    } else if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) {
      numberPattern.lastIndex = position;
      const match = numberPattern.exec(text);
      const token = match?.[0] ?? char;
      if (significantDigits(token) > EXACT_DOUBLE_DIGITS) {
        found.push({ start: position, end: position + token.length });
      }
      position += token.length;
    } else {
      position += 1;
    }
  }
  return found;
}

/** Index just past the closing quote of the (valid) string starting at `start`. */
function endOfString(text: string, start: number): number {
  let position = start + 1;
  while (position < text.length) {
    const char = text[position];
    if (char === '\\') position += 2;
    else if (char === '"') return position + 1;
    else position += 1;
  }
  return position;
}

function reparseKeepingDigits(text: string, tokens: readonly NumberToken[]): unknown {
  // NOTE: a random marker, so no string a client sends can pass for a number that lost digits.
  const nonce = randomUUID();
  const marker = `\u0000${nonce}:`;
  let rewritten = '';
  let copied = 0;
  for (const token of tokens) {
    rewritten += `${text.slice(copied, token.start)}"\\u0000${nonce}:${text.slice(token.start, token.end)}"`;
    copied = token.end;
  }
  rewritten += text.slice(copied);
  return JSON.parse(rewritten, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(marker)
      ? new ImpreciseJsonNumber(value.slice(marker.length))
      : value,
  );
}

type SyntaxProblem = { position: number; reason: string } | undefined;

function describeSyntaxError(text: string): JsonParseResult {
  const problem = locateSyntaxError(text) ?? { position: 0, reason: 'not valid JSON' };
  const before = text.slice(0, problem.position);
  const line = before.split('\n').length;
  const column = problem.position - before.lastIndexOf('\n');
  return {
    ok: false,
    position: problem.position,
    line,
    column,
    message: `invalid JSON at line ${line}, column ${column} (position ${problem.position}): ${problem.reason}`,
  };
}

function found(text: string, position: number): string {
  const char = text[position];
  if (char === undefined) return 'the text ends';
  return `found ${JSON.stringify(char)}`;
}

/**
 * The first place `text` stops being JSON, with what was expected there. Only runs after JSON.parse
 * failed; iterative, so deeply nested input cannot overflow the stack.
 */
function locateSyntaxError(text: string): SyntaxProblem {
  const stack: ('[' | '{')[] = [];
  let state: 'value' | 'first-value' | 'key' | 'first-key' | 'after-value' = 'value';
  let position = 0;
  const skipWhitespace = () => {
    while (position < text.length && ' \t\n\r'.includes(text[position] ?? '')) position += 1;
  };
  for (;;) {
    skipWhitespace();
    const char = text[position];
    if (state === 'after-value') {
      const open = stack.at(-1);
      if (open === undefined) {
        return char === undefined
          ? undefined
          : {
              position,
              reason: `expected the end of the text after the JSON value, ${found(text, position)}`,
            };
      }
      const close = open === '[' ? ']' : '}';
      if (char === ',') {
        position += 1;
        state = open === '[' ? 'value' : 'key';
      } else if (char === close) {
        stack.pop();
        position += 1;
      } else {
        const where = open === '[' ? 'an array item' : 'a property value';
        return { position, reason: `expected "," or "${close}" after ${where}, ${found(text, position)}` };
      }
      continue;
    }
    if (state === 'key' || state === 'first-key') {
      if (state === 'first-key' && char === '}') {
        stack.pop();
        position += 1;
        state = 'after-value';
        continue;
      }
      if (char !== '"') {
        return { position, reason: `expected a property name in double quotes, ${found(text, position)}` };
      }
      const end = scanString(text, position);
      if (typeof end !== 'number') return end;
      position = end;
      skipWhitespace();
      if (text[position] !== ':') {
        return { position, reason: `expected ":" after a property name, ${found(text, position)}` };
      }
      position += 1;
      state = 'value';
      continue;
    }
    if (state === 'first-value' && char === ']') {
      stack.pop();
      position += 1;
      state = 'after-value';
      continue;
    }
    if (char === '{' || char === '[') {
      stack.push(char);
      position += 1;
      state = char === '{' ? 'first-key' : 'first-value';
      continue;
    }
    const end = char === '"' ? scanString(text, position) : scanScalar(text, position);
    if (typeof end !== 'number') return end;
    position = end;
    state = 'after-value';
  }
}

function scanString(text: string, start: number): number | SyntaxProblem {
  let position = start + 1;
  while (position < text.length) {
    const char = text[position] ?? '';
    if (char === '"') return position + 1;
    if (char < ' ') {
      return { position, reason: 'a string contains a raw control character (line break or tab); escape it' };
    }
    if (char === '\\') {
      const escape = text[position + 1] ?? '';
      if (escape === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(position + 2, position + 6))) {
          return { position, reason: 'expected \\u followed by four hex digits' };
        }
        position += 6;
        continue;
      }
      if (escape === '' || !'"\\/bfnrt'.includes(escape)) {
        return { position, reason: `invalid escape ${JSON.stringify(`\\${escape}`)} in a string` };
      }
      position += 2;
      continue;
    }
    position += 1;
  }
  return { position: start, reason: 'a string is never closed (missing ")' };
}

function scanScalar(text: string, start: number): number | SyntaxProblem {
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, start)) return start + literal.length;
  }
  const number = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  number.lastIndex = start;
  const match = number.exec(text);
  if (match !== null) return start + match[0].length;
  return {
    position: start,
    reason: `expected a value (object, array, string in double quotes, number, true, false or null), ${found(text, start)}`,
  };
}
