import { IntakeFileError } from './intake-rows.ts';

// Files and request bodies are UTF-8. Anything else (a spreadsheet saved as Windows-1252, Latin-1) is
// refused with the place of its first bad byte, instead of being read as "Zo� M�ller".

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export interface Utf8Fault {
  /** 0-based offset of the first byte that is not UTF-8. */
  offset: number;
  /** 1-based line it is on (LF, CRLF and CR end lines). */
  line: number;
  byte: number;
}

/** The text of UTF-8 bytes, without a leading BOM; a Utf8Fault when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | Utf8Fault {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Byte(bytes) ?? 0;
    return { offset, line: lineAt(bytes, offset), byte: bytes[offset] ?? 0 };
  }
}

/** decodeUtf8 for an import file: a fault becomes an IntakeFileError a person can act on. */
export function decodeUtf8File(bytes: Uint8Array, file: string): string {
  const text = decodeUtf8(bytes);
  if (typeof text === 'string') return text;
  throw new IntakeFileError(`${file}: ${describeUtf8Fault(text)}`);
}

export function describeUtf8Fault(fault: Utf8Fault): string {
  const byte = `0x${fault.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return (
    `line ${fault.line} is not valid UTF-8 (byte ${byte} at byte offset ${fault.offset}, counting from 0); ` +
    'save it as UTF-8 (in Excel: "CSV UTF-8") and try again'
  );
}

/** Where UTF-8 decoding first fails (Unicode 15, table 3-7: no overlongs, surrogates or values past U+10FFFF). */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  let index = 0;
  while (index < bytes.length) {
    const first = bytes[index] ?? 0;
    if (first < 0x80) {
      index += 1;
      continue;
    }
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (first >= 0xc2 && first <= 0xdf) length = 2;
    else if (first >= 0xe0 && first <= 0xef) {
      length = 3;
      if (first === 0xe0) low = 0xa0;
      if (first === 0xed) high = 0x9f;
    } else if (first >= 0xf0 && first <= 0xf4) {
      length = 4;
      if (first === 0xf0) low = 0x90;
      if (first === 0xf4) high = 0x8f;
    } else return index;
    for (let next = 1; next < length; next += 1) {
      const byte = bytes[index + next];
      const [min, max] = next === 1 ? [low, high] : [0x80, 0xbf];
      // A sequence that breaks off (or is cut short by the end) is bad from its first byte.
      if (byte === undefined || byte < min || byte > max) return index;
    }
    index += length;
  }
  return undefined;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index += 1) {
    const byte = bytes[index];
    if (byte === 0x0a || (byte === 0x0d && bytes[index + 1] !== 0x0a)) line += 1;
  }
  return line;
}
