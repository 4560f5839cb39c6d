import { AGAIN_FLAG } from '../../blocks/repeated-command-reply.ts';
import { isCalendarDate } from '../../src/calendar/calendar-date.ts';
import { storableTextProblem } from '../../src/text/storable-text.ts';
import { closestSubcommand } from './closest-subcommand.ts';
import { MIN_REASON_WORDS } from '../../src/invoices/void-invoice.ts';

export type InvoiceCommand =
  | { kind: 'help' }
  /** Not a subcommand; `suggestion` is the one it was likely meant to be ("stauts" → "status"). */
  | { kind: 'unknown'; input: string; suggestion?: string }
  | { kind: 'invalid'; message: string; usage: string }
  /**
   * `period` empty = last month, decided where the billing time zone is known. `force` drafts a period
   * that has not ended yet (asked for after the warning).
   */
  | { kind: 'run'; period: string; dryRun: boolean; force: boolean; customers: string[] }
  | { kind: 'status'; runId: string | undefined }
  | { kind: 'show'; reference: string }
  | { kind: 'review'; customer: string }
  | { kind: 'connect'; provider: 'xero' | 'quickbooks' }
  /**
   * `paidOn` undefined = today, decided where the billing time zone is known. `again` (--again) confirms
   * a payment equal to one the same person recorded minutes ago.
   */
  | { kind: 'paid'; number: string; amount: string; paidOn: string | undefined; again: boolean }
  | { kind: 'void'; number: string; reason: string }
  /** `amount` undefined = credit the whole invoice; `again` as for paid. */
  | { kind: 'credit'; number: string; amount: string | undefined; reason: string; again: boolean };

export const USAGE = {
  run: 'run [period] [--dry] [--force] [customer…]',
  status: 'status [run id]',
  show: 'show <invoice number | customer id>',
  review: 'review <customer id>',
  connect: 'connect xero|quickbooks',
  paid: 'paid <invoice number> <amount> [YYYY-MM-DD] [--again]',
  void: 'void <invoice number> <reason…>',
  credit: 'credit <invoice number> <amount|all> <reason…> [--again]',
} as const;

/** Longest command text taken, as long as a Reject reason (REJECT_REASON_MAX_LENGTH) plus its words. */
const MAX_COMMAND_LENGTH = 1100;

/** The usage line of the subcommand `text` starts with, or every usage line. */
function commandUsage(text: string): string {
  const word = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  return word in USAGE ? USAGE[word as keyof typeof USAGE] : Object.values(USAGE).join('\n');
}

/** A reason is at least this many words, so the record says why. */

const PERIOD = /^\d{4}-\d{2}(-\d{2}\.\.\d{4}-\d{2}-\d{2})?$/;
const CUSTOMER_ID = /^[\w.:@-]{1,200}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INVOICE_NUMBER = /^[\w./#-]{1,100}$/;
const AMOUNT = /^\d+(\.\d+)?$/;

/** Turns the text after `/invoice` into a typed command, or says what was wrong with it. */
export function parseInvoiceCommand(text: string): InvoiceCommand {
  const unstorable = storableTextProblem(text);
  if (unstorable !== undefined) return invalid(`the command ${unstorable}`, commandUsage(text));
  const input = text.trim().replace(/\s+/g, ' ');
  if (input.length > MAX_COMMAND_LENGTH) {
    return invalid(
      `the command has ${input.length} characters; keep it under ${MAX_COMMAND_LENGTH}`,
      commandUsage(input),
    );
  }
  const [subcommand = '', ...args] = input.split(' ').filter((word) => word !== '');
  switch (subcommand.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'run':
      return parseRun(args);
    case 'status':
      if (args.length > 1)
        return invalid(`status takes at most one run id, not ${args.length} words`, USAGE.status);
      if (args[0] !== undefined && !UUID.test(args[0])) {
        return invalid(`"${clip(args[0])}" is not a run id (they look like 0c6e2b1a-…)`, USAGE.status);
      }
      return { kind: 'status', runId: args[0] };
    case 'show':
      if (args.length !== 1 || args[0] === undefined) {
        return invalid('show needs one invoice number or customer id', USAGE.show);
      }
      return { kind: 'show', reference: args[0] };
    case 'review':
      if (args.length !== 1 || args[0] === undefined || !CUSTOMER_ID.test(args[0])) {
        return invalid('review needs the id of the customer whose invoice was fixed', USAGE.review);
      }
      return { kind: 'review', customer: args[0] };
    case 'connect': {
      const provider = args[0]?.toLowerCase();
      if (args.length !== 1 || (provider !== 'xero' && provider !== 'quickbooks')) {
        return invalid('connect needs the ERP to connect: xero or quickbooks', USAGE.connect);
      }
      return { kind: 'connect', provider };
    }
    case 'paid':
      return parsePaid(args);
    case 'void':
      return parseVoid(args);
    case 'credit':
      return parseCredit(args);
    default: {
      const suggestion = closestSubcommand(subcommand);
      return suggestion === undefined ? { kind: 'unknown', input } : { kind: 'unknown', input, suggestion };
    }
  }
}

function parseRun(args: string[]): InvoiceCommand {
  let period = '';
  let dryRun = false;
  let force = false;
  const customers: string[] = [];
  for (const arg of args) {
    if (arg === '--dry' || arg === '--dry-run') dryRun = true;
    else if (arg === '--force') force = true;
    else if (arg.startsWith('-'))
      return invalid(`unknown option ${clip(arg)}; the options are --dry and --force`, USAGE.run);
    else if (PERIOD.test(arg)) {
      if (period !== '') return invalid(`two periods (${period} and ${arg}); give one`, USAGE.run);
      period = arg;
    } else if (/^\d{4}-/.test(arg)) {
      return invalid(
        `"${clip(arg)}" is not a period; use a month (2026-10) or days (2026-10-01..2026-10-14)`,
        USAGE.run,
      );
    } else if (CUSTOMER_ID.test(arg)) customers.push(arg);
    else return invalid(`"${clip(arg)}" is not a customer id (letters, digits, _ . : @ -)`, USAGE.run);
  }
  return { kind: 'run', period, dryRun, force, customers };
}

function parsePaid(words: string[]): InvoiceCommand {
  const { args, again } = withoutAgain(words);
  const [number, amount, paidOn, ...extra] = args;
  if (number === undefined || amount === undefined || extra.length > 0) {
    return invalid(
      'paid needs the invoice number and the amount received, then the day it arrived if not today',
      USAGE.paid,
    );
  }
  if (!INVOICE_NUMBER.test(number)) {
    return invalid(`"${clip(number)}" is not an invoice number (they look like INV-2026-00012)`, USAGE.paid);
  }
  if (!AMOUNT.test(amount)) {
    return invalid(
      `"${clip(amount)}" is not an amount: write it like 1200.50 (digits and a decimal point, no currency sign or commas)`,
      USAGE.paid,
    );
  }
  if (paidOn !== undefined && !isCalendarDate(paidOn)) {
    return invalid(`"${clip(paidOn)}" is not a date: write it as YYYY-MM-DD, such as 2026-11-20`, USAGE.paid);
  }
  return { kind: 'paid', number, amount, paidOn, again };
}

function parseVoid(args: string[]): InvoiceCommand {
  const [number, ...reason] = args;
  if (number === undefined)
    return invalid('void needs the invoice number, then why it is voided', USAGE.void);
  if (!INVOICE_NUMBER.test(number)) {
    return invalid(`"${clip(number)}" is not an invoice number (they look like INV-2026-00012)`, USAGE.void);
  }
  if (reason.length < MIN_REASON_WORDS) {
    return invalid(
      `say why ${clip(number)} is voided, in at least ${MIN_REASON_WORDS} words: it goes on the record`,
      USAGE.void,
    );
  }
  return { kind: 'void', number, reason: reason.join(' ') };
}

function parseCredit(words: string[]): InvoiceCommand {
  const { args, again } = withoutAgain(words);
  const [number, amount, ...reason] = args;
  if (number === undefined || amount === undefined) {
    return invalid('credit needs the invoice number, the amount (or all), then why', USAGE.credit);
  }
  if (!INVOICE_NUMBER.test(number)) {
    return invalid(
      `"${clip(number)}" is not an invoice number (they look like INV-2026-00012)`,
      USAGE.credit,
    );
  }
  // NOTE: the amount is never optional: "credit INV-… 3 seats were not used" must not credit 3.00.
  const whole = amount.toLowerCase() === 'all';
  if (!whole && !AMOUNT.test(amount)) {
    return invalid(
      `"${clip(amount)}" is not an amount: write it like 120.50 (digits and a decimal point, no currency sign or commas), or all for the whole invoice`,
      USAGE.credit,
    );
  }
  if (reason.length < MIN_REASON_WORDS) {
    return invalid(
      `say why ${clip(number)} is credited, in at least ${MIN_REASON_WORDS} words: it goes on the credit note`,
      USAGE.credit,
    );
  }
  return { kind: 'credit', number, amount: whole ? undefined : amount, reason: reason.join(' '), again };
}

/** `--again` may stand anywhere (it is added at the end of a command copied from the "again?" reply). */
function withoutAgain(words: string[]): { args: string[]; again: boolean } {
  const args = words.filter((word) => word.toLowerCase() !== AGAIN_FLAG);
  return { args, again: args.length < words.length };
}

function invalid(message: string, usage: string): InvoiceCommand {
  return { kind: 'invalid', message, usage };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
