// Text Postgres cannot keep as it was sent. `text` and `jsonb` refuse U+0000 (PostgreSQL docs, 8.3
// "Character Types": "the character with code zero (sometimes called NUL) cannot be stored"; 8.14.1:
// jsonb rejects \u0000), so a NUL anywhere answers a 500 from deep inside an insert. A lone UTF-16
// surrogate (U+D800–U+DFFF without its pair) is not Unicode at all: UTF-8 cannot encode it, so Node
// sends U+FFFD instead and the stored text silently differs from what was sent. Both are refused at the
// edge, naming the field, before anything is written.

/** What is wrong with `text` for the database, or undefined when Postgres stores it as it is. */
export function storableTextProblem(text: string): string | undefined {
  const nul = text.indexOf('\u0000');
  if (nul >= 0)
    return `contains a NUL character (U+0000) at character ${nul + 1}, which cannot be stored; remove it`;
  const surrogate = firstLoneSurrogate(text);
  if (surrogate < 0) return undefined;
  const code = text.charCodeAt(surrogate).toString(16).toUpperCase();
  return (
    `contains an unpaired UTF-16 surrogate (U+${code}) at character ${surrogate + 1}, which is not ` +
    'valid Unicode; send the text as UTF-8 (often a string cut in the middle of an emoji)'
  );
}

export interface UnstorableText {
  /** Where it is, as a JSON path: `events[2].properties.note`. */
  field: string;
  problem: string;
}

/** The first string or property name in a parsed JSON value that Postgres cannot store, if any. */
export function findUnstorableText(value: unknown, path = ''): UnstorableText | undefined {
  if (typeof value === 'string') {
    const problem = storableTextProblem(value);
    return problem === undefined ? undefined : { field: path || '(the body)', problem };
  }
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const field = propertyPath(path, key);
    const keyProblem = storableTextProblem(key);
    if (keyProblem !== undefined) return { field, problem: `has a property name that ${keyProblem}` };
    const found = findUnstorableText(item, field);
    if (found !== undefined) return found;
  }
  return undefined;
}

function propertyPath(path: string, key: string): string {
  const plain = /^[A-Za-z_$][\w$]*$/.test(key);
  if (plain) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key.replaceAll('\u0000', '\\u0000'))}]`;
}

function firstLoneSurrogate(text: string): number {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index += 1;
      else return index;
    } else if (code >= 0xdc00 && code <= 0xdfff) return index;
  }
  return -1;
}
