import { minorUnits } from '../src/money/currency.ts';
import { Decimal } from '../src/money/decimal.ts';
import { formatMoney } from '../src/money/format-money.ts';
import { escapeMrkdwn } from './mrkdwn.ts';

// Text pieces every builder shares: escaping outside text, truncating to Slack's limits, mentions,
// amounts, quantities and times.

const ELLIPSIS = '…';

/**
 * Cuts text to `max` characters, ending in an ellipsis. Never leaves half an `&amp;` entity, half a
 * Slack token (`<@U1>`, `<https://…|label>`) or half a surrogate pair behind.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let head = text.slice(0, max - ELLIPSIS.length);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  head = head.replace(/&[a-z]{0,3}$/, '');
  const open = head.lastIndexOf('<');
  if (open >= 0 && !head.includes('>', open)) head = head.slice(0, open);
  return `${head.trimEnd()}${ELLIPSIS}`;
}

// NOTE: Slack has no escape for `*`, `_`, `~` and backticks, so a marker that could open or close
// formatting (not one inside a word like `api_calls`) becomes a look-alike, as jsx-slack's <Escape> does.
const FORMATTING_LOOKALIKES: Record<string, string> = {
  '*': '\u2217',
  _: '\u02cd',
  '~': '\u223c',
  '`': '\u02cb',
};
const FORMATTING_MARKER = /(?<![\p{L}\p{N}])[*_~`]|[*_~`](?![\p{L}\p{N}])/gu;

/**
 * Escapes text that came from outside billops (customer names, line descriptions, reasons) for a
 * mrkdwn text: no mention, no link, no bold or quote can come out of it. Whitespace runs become one
 * space, so the text stays on the line it was put on.
 */
export function escapeOutsideText(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const inert = oneLine.replace(FORMATTING_MARKER, (marker) => FORMATTING_LOOKALIKES[marker] ?? marker);
  // A leading `>` would start a block quote; a soft hyphen in front of it is invisible.
  return escapeMrkdwn(inert).replace(/^&gt;/, '\u00ad&gt;');
}

/** Like `escapeOutsideText`, but cut to `max` characters first so one long field cannot crowd out the rest. */
export function escapeOutsideTextCut(text: string, max: number): string {
  return escapeOutsideText(truncate(text.replace(/\s+/g, ' ').trim(), max));
}

const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

/** A Slack user id (U…/W…) as a real mention; anything else (`schedule:monthly`) as escaped text. */
export function mentionActor(actor: string): string {
  return SLACK_USER_ID.test(actor) ? `<@${actor}>` : escapeOutsideText(actor);
}

/** "<@U1>", "<@U1> and <@U2>", "<@U1>, <@U2> and <@U3>". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

/** "£1,234.50", "¥1,200", "KWD 1.250" from a fixed-point string. */
export function formatAmount(amount: string, currency: string): string {
  return formatMoney(new Decimal(amount), currency);
}

// NOTE: Intl formats at most 20 fraction digits; a longer fraction (a prorated fee) is cut there and says so.
const MAX_EXACT_DIGITS = 20;

/** A price or an unrounded amount with every decimal it has ("£0.0025"), up to 20 then "…". */
export function formatExactAmount(amount: string, currency: string): string {
  const value = new Decimal(amount);
  const minor = minorUnits(currency);
  const digits = Math.min(Math.max(minor, value.decimalPlaces()), MAX_EXACT_DIGITS);
  const format = new Intl.NumberFormat('en-GB', {
    style: 'currency',
    currency,
    minimumFractionDigits: minor,
    maximumFractionDigits: digits,
  });
  const shown = value.toDecimalPlaces(digits, Decimal.ROUND_DOWN);
  const text = format.format(shown.toFixed(digits) as `${number}`);
  return shown.eq(value) ? text : `${text}…`;
}

/** "1,200,000", "12.5": a quantity with thousands separators, every digit kept. */
export function formatQuantity(quantity: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(quantity.trim());
  if (match === null) return escapeOutsideText(quantity);
  const [, sign = '', whole = '', fraction = ''] = match;
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction}`;
}

/** Room a list leaves in a section for its heading and its "and N more" line. */
const LIST_TEXT_MAX = 2800;

/**
 * "• item" lines (items already escaped): at most `maxItems`, and only as many as fit in a section
 * beside a heading, then "and N more", so the count survives where a cut text would lose it.
 */
export function bulletList(items: readonly string[], maxItems: number, maxChars = LIST_TEXT_MAX): string {
  const shown: string[] = [];
  let used = 0;
  for (const item of items.slice(0, maxItems)) {
    const line = `• ${item}`;
    if (used + line.length + 1 > maxChars) break;
    shown.push(line);
    used += line.length + 1;
  }
  if (items.length > shown.length)
    shown.push(`_and ${(items.length - shown.length).toLocaleString('en-GB')} more_`);
  return shown.join('\n');
}

/** "1 invoice", "3 invoices". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? singular : pluralForm}`;
}

function twoDigits(value: number): string {
  return String(value).padStart(2, '0');
}

/** "14:05 UTC": what a time reads as where Slack cannot localise it. */
function utcTime(at: Date): string {
  return `${twoDigits(at.getUTCHours())}:${twoDigits(at.getUTCMinutes())} UTC`;
}

/**
 * A moment as each reader's Slack shows times: in their own time zone and clock ("14:05" or "2:05 PM"),
 * like the message times beside it; "14:05 UTC" where it cannot be localised. Slack's date formatting:
 * `<!date^unix^{time}|fallback>` (docs.slack.dev/messaging/formatting-message-text#date-formatting).
 */
export function slackTime(at: Date): string {
  return slackDate(at, '{time}', utcTime(at));
}

/** "Nov 1, 2026 14:05" in the reader's zone and clock; "2026-11-01 14:05 UTC" where not localised. */
export function slackDateTime(at: Date): string {
  return slackDate(at, '{date_short} {time}', `${at.toISOString().slice(0, 10)} ${utcTime(at)}`);
}

function slackDate(at: Date, tokens: string, fallback: string): string {
  return `<!date^${Math.floor(at.getTime() / 1000)}^${tokens}|${fallback}>`;
}
