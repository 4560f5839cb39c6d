// One rule for every single-line field billops takes in (names, emails, ids, tax ids, address lines,
// descriptions, codes) from billing.yml, imports, the usage API and one-off orders: no control
// characters. A line break in a customer name splits a mail header, a PDF line or a Slack message; a
// NUL or an escape sequence ends up in the ERP. Multi-line fields (email bodies, notes) are not checked.

// C0 (U+0000–U+001F: NUL, TAB, LF, CR, ESC…), DEL (U+007F), C1 (U+0080–U+009F), and the Unicode line
// and paragraph separators (U+2028, U+2029), which break lines as LF does.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const NAMES = new Map<number, string>([
  [0x00, 'a NUL character'],
  [0x09, 'a tab'],
  [0x0a, 'a line break (LF)'],
  [0x0d, 'a line break (CR)'],
  [0x1b, 'an escape character (ESC)'],
  [0x7f, 'a delete character (DEL)'],
  [0x2028, 'a line separator (U+2028)'],
  [0x2029, 'a paragraph separator (U+2029)'],
]);

/**
 * What is wrong with `text` as one line of text ("contains a line break (LF) at character 6; …"), or
 * undefined when it has no control characters.
 */
export function controlCharacterProblem(text: string): string | undefined {
  const match = CONTROL_CHARACTER.exec(text);
  if (match === null) return undefined;
  const code = match[0].charCodeAt(0);
  const name =
    NAMES.get(code) ?? `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return (
    `contains ${name} at character ${match.index + 1}; it must be one line of plain text, ` +
    'so remove it (often a line break typed inside a spreadsheet cell)'
  );
}
