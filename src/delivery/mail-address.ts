import addressparser from 'nodemailer/lib/addressparser';

// What may go into a mail header: one checked address per field entry, and text with no line breaks.

/** An email that must not be sent as it is (a malformed address, no recipient): a person fixes the data. */
export class InvalidEmailError extends Error {
  override readonly name = 'InvalidEmailError';
}

export interface Mailbox {
  /** Display name, '' when there is none; free of control characters. */
  name: string;
  address: string;
}

// Control characters (CR, LF, NUL, DEL, C1) and the Unicode line and paragraph separators.
const CONTROL_CHARACTERS = /[\p{Cc}\p{Zl}\p{Zp}]+/gu;

/** Text safe for a header: every run of control characters becomes one space, so nothing can start a new header. */
export function headerText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, ' ').replace(/ {2,}/g, ' ').trim();
}

// NOTE: stricter than RFC 5322 on purpose: a dot-atom local part (no quoted strings, no comments) and
// a domain of letter/digit labels. Addresses a mail server might accept but a person would not type
// are refused rather than sent.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** True for a plain address such as `ap@customer.example`, with nothing around it. */
export function isEmailAddress(address: string): boolean {
  if (address.length > 254) return false;
  const at = address.lastIndexOf('@');
  if (at < 1) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  const topLevel = labels.at(-1) ?? '';
  return (
    local.length <= 64 &&
    LOCAL_PART.test(local) &&
    labels.length >= 2 &&
    labels.every((label) => DOMAIN_LABEL.test(label)) &&
    !/^\d+$/.test(topLevel)
  );
}

/**
 * One mailbox from `ap@customer.example` or `"Customer Ltd" <ap@customer.example>`; throws
 * InvalidEmailError for anything else (no address, a malformed one, a list, a group, text around it).
 */
export function parseMailbox(value: string, field: string): Mailbox {
  // A line break cannot survive into a header; what is left after removing it must still be one mailbox.
  const text = headerText(value);
  const refuse = () => new InvalidEmailError(`${field}: "${text}" is not one valid email address`);
  // Without angle brackets the whole entry is the address: "a p@x.example" is refused, not sent to p@x.example.
  if (!text.includes('<')) {
    if (!isEmailAddress(text)) throw refuse();
    return { name: '', address: text };
  }
  const parsed = text.endsWith('>') ? addressparser(text) : [];
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (only?.address === undefined || !isEmailAddress(only.address)) throw refuse();
  return { name: headerText(only.name), address: only.address };
}

/** The mailbox as header text that parseMailbox reads back to the same name and address. */
export function formatMailbox(mailbox: Mailbox): string {
  if (mailbox.name === '') return mailbox.address;
  return `"${mailbox.name.replace(/["\\]/g, '\\$&')}" <${mailbox.address}>`;
}
