import type { KnownBlock } from '@slack/types';
import { context, fallbackText, section, sectionFields, type SlackMessage } from './block-elements.ts';
import { SLASH_COMMAND } from './ids.ts';
import { CUSTOMER_NAME_MAX, REASON_TEXT_MAX, reasonLines } from './invoice-buttons.ts';
import { inlineCode } from './mrkdwn.ts';
import { currencyTotalLines, runStatusLabel } from './run-summary.ts';
import {
  escapeOutsideText,
  escapeOutsideTextCut,
  formatAmount,
  slackDateTime,
  mentionActor,
  plural,
  truncate,
  bulletList,
} from './slack-text.ts';
import { Decimal } from '../src/money/decimal.ts';
import type {
  CreditNoteLineView,
  CurrencyTotalView,
  InvoiceBalanceView,
  InvoiceShowView,
  PaymentLineView,
  RunStatusView,
} from './view-models.ts';

// Replies to `/invoice …`. All are ephemeral: only the person who typed the command sees them.

export interface CommandReply extends SlackMessage {
  response_type: 'ephemeral';
}

const MAX_EXCEPTIONS = 20;
const MAX_HISTORY = 20;
const MAX_MONEY_ENTRIES = 20;
const CREDIT_REASON_MAX = 200;
const ERP_NAMES = { xero: 'Xero', quickbooks: 'QuickBooks' } as const;
const HISTORY_REASON_MAX = 200;
/** Room for history lines in a section beside the heading and the "not shown" note. */
const HISTORY_TEXT_MAX = 2800;

function reply(text: string, blocks: KnownBlock[]): CommandReply {
  return { response_type: 'ephemeral', text: fallbackText(text), blocks };
}

/**
 * `/invoice run`: acknowledges at once; the run summary (or the dry-run reply) follows. `note` says
 * why the figures may be incomplete (a dry run of a period that has not ended).
 */
export function buildRunStartedReply(input: {
  periodLabel: string;
  dryRun: boolean;
  note?: string;
}): CommandReply {
  const period = escapeOutsideTextCut(input.periodLabel, 60);
  const text = input.dryRun
    ? `Pricing a dry run for ${period}: nothing will be saved. The figures follow here in a moment.`
    : `Starting the billing run for ${period}. Its summary will be posted in the billing channel.`;
  const blocks: KnownBlock[] = [section(`:hourglass_flowing_sand: ${text}`)];
  if (input.note !== undefined)
    blocks.push(context(`Note: ${escapeOutsideTextCut(input.note, REASON_TEXT_MAX)}.`));
  return reply(text, blocks);
}

/**
 * `/invoice run <period>` for a period that has not ended: nothing is drafted; the reply says when it
 * ends and gives the command that drafts it anyway (the same one with --force) and the dry run.
 */
export function buildPeriodNotEndedReply(input: {
  message: string;
  period: string;
  customers: readonly string[];
}): CommandReply {
  const problem = escapeOutsideTextCut(input.message, REASON_TEXT_MAX);
  const command = (option: string) =>
    inlineCode(truncate([SLASH_COMMAND, 'run', input.period, option, ...input.customers].join(' '), 1000));
  const force = command('--force');
  const dry = command('--dry');
  return reply(`${problem}. Nothing was drafted. To draft it anyway, type ${force}.`, [
    section(`:warning: ${problem}.`),
    section(`Nothing was drafted. To draft it anyway, type ${force}.`),
    context(`${dry} shows what it would draft, without saving anything.`),
  ]);
}

/** `/invoice status`: where a run stands, with a link to its summary message when there is one. */
export function buildRunStatusReply(view: RunStatusView): CommandReply {
  const { summary } = view;
  const { counts } = summary;
  const title = `Billing run · ${escapeOutsideTextCut(summary.periodLabel, 60)}`;
  const link = safePermalink(view.permalink);
  const blocks: KnownBlock[] = [
    section(
      [
        `*${title}*: ${runStatusLabel(summary.status)}`,
        `Started by ${mentionActor(summary.startedBy)} · ${escapeOutsideTextCut(summary.scope, 500)}`,
      ].join('\n'),
    ),
    section(
      summary.totals.length === 0
        ? '*Totals*\nNo invoices drafted yet.'
        : `*Totals*\n${currencyTotalLines(summary.totals)}`,
    ),
    section(
      [
        `${counts.autoApproved} auto-approved · ${counts.needsReview} need review · ${counts.exceptions} with exceptions`,
        `${counts.approved} approved · ${counts.rejected} rejected · ${counts.nothingToBill} with nothing to bill · ${counts.alreadyInvoiced} already invoiced`,
      ].join('\n'),
    ),
    context(
      `Updated ${slackDateTime(summary.updatedAt)}${link === null ? '' : ` · <${link}|Open the run summary>`}`,
    ),
  ];
  return reply(`${title}: ${runStatusLabel(summary.status).replace(/^:[a-z_]+: /, '')}`, blocks);
}

/** Only an https link without Slack's control characters goes inside `<…|…>`. */
function safePermalink(permalink: string | null): string | null {
  if (permalink === null || !/^https:\/\/[^\s<>|]+$/.test(permalink) || permalink.length > 2000) return null;
  return permalink;
}

/** `/invoice show`: one invoice's figures, why it waits, and what happened to it. */
export function buildInvoiceShowReply(view: InvoiceShowView): CommandReply {
  const name = escapeOutsideTextCut(view.customerName, CUSTOMER_NAME_MAX);
  const total = formatAmount(view.total, view.currency);
  const number = view.number === null ? 'Draft invoice' : `Invoice ${inlineCode(truncate(view.number, 60))}`;
  const status = escapeOutsideTextCut(view.status.replace(/_/g, ' '), 40);
  const blocks: KnownBlock[] = [
    section(
      [
        `*${number}* · *${name}* · *${total}*`,
        `Status: ${status} · ${escapeOutsideTextCut(view.periodLabel, 60)}${
          view.dueDate === null ? '' : ` · due ${escapeOutsideTextCut(view.dueDate, 40)}`
        }`,
      ].join('\n'),
    ),
  ];
  if (view.balance !== null) blocks.push(...balanceSections(view, view.balance));
  if (view.exceptions.length > 0) {
    blocks.push(section(`:no_entry: *Fix before approval*\n${reasonLines(view.exceptions, MAX_EXCEPTIONS)}`));
  }
  if (view.reasons.length > 0) {
    blocks.push(section(`*Why it needs review*\n${reasonLines(view.reasons, MAX_EXCEPTIONS)}`));
  }
  if (view.history.length > 0) blocks.push(section(`*History*\n${historyLines(view.history)}`));
  const label = view.number === null ? 'Draft invoice' : escapeOutsideTextCut(view.number, 60);
  return reply(`${label} · ${name} · ${total} · ${status}`, blocks);
}

/** Each payment and credit note, then the sum on its face: total − paid − credited = outstanding. */
function balanceSections(view: InvoiceShowView, balance: InvoiceBalanceView): KnownBlock[] {
  const money = (amount: string) => formatAmount(amount, view.currency);
  const payments = balance.payments.map((payment) => paymentLine(payment, money));
  const credits = balance.creditNotes.map((note) => creditNoteLine(note, money));
  return [
    section(
      `*Payments*\n${payments.length === 0 ? 'None recorded.' : bulletList(payments, MAX_MONEY_ENTRIES)}`,
    ),
    section(`*Credit notes*\n${credits.length === 0 ? 'None.' : bulletList(credits, MAX_MONEY_ENTRIES)}`),
    section(`*Balance*\n${balanceLine(view, balance, money)}`),
  ];
}

/** "£120.00 total − £20.00 paid − £10.00 credited = *£90.00 outstanding*". */
function balanceLine(
  view: InvoiceShowView,
  balance: InvoiceBalanceView,
  money: (amount: string) => string,
): string {
  const sum = `${money(view.total)} total − ${money(balance.paid)} paid − ${money(balance.credited)} credited`;
  if (!new Decimal(balance.refundDue).isZero()) {
    return `${sum} = *${money(balance.refundDue)} due back* to the customer (nothing outstanding)`;
  }
  const outstanding = new Decimal(balance.outstanding);
  // NOTE: a void without a credit note leaves the columns as they were; a void invoice owes nothing.
  if (view.status === 'void' && !outstanding.isZero()) return `${sum} · void: nothing is owed`;
  return `${sum} = *${money(balance.outstanding)} outstanding*`;
}

/** "2026-11-19 · £20.00 · recorded in Slack with `/invoice paid` by @Ann" or "… · from Xero · ref `…`". */
function paymentLine(payment: PaymentLineView, money: (amount: string) => string): string {
  const reference = payment.reference === null ? '' : inlineCode(truncate(payment.reference, 60));
  const source =
    payment.source === 'manual'
      ? [
          `recorded in Slack with ${inlineCode(`${SLASH_COMMAND} paid`)} by ${mentionActor(payment.recordedBy)}`,
          ...(payment.matchedSource === null
            ? []
            : [`matched to ${ERP_NAMES[payment.matchedSource]} payment ${reference}`.trimEnd()]),
        ]
      : [`from ${ERP_NAMES[payment.source]}`, ...(reference === '' ? [] : [`ref ${reference}`])];
  return [escapeOutsideTextCut(payment.paidOn, 10), money(payment.amount), ...source].join(' · ');
}

/** "`CN-2026-00001` · 2026-11-21 · £10.00 · one seat was not used". */
function creditNoteLine(note: CreditNoteLineView, money: (amount: string) => string): string {
  return [
    inlineCode(truncate(note.number, 60)),
    escapeOutsideTextCut(note.issueDate, 10),
    money(note.amount),
    escapeOutsideTextCut(note.reason, CREDIT_REASON_MAX),
  ].join(' · ');
}

/** The latest entries that fit (newest last, as they happened), after a note of how many are left out. */
function historyLines(history: InvoiceShowView['history']): string {
  const lines = history.map((entry) => {
    const who = entry.userId === null ? '' : ` by ${mentionActor(entry.userId)}`;
    const why = entry.reason === null ? '' : `: ${escapeOutsideTextCut(entry.reason, HISTORY_REASON_MAX)}`;
    return `• ${slackDateTime(entry.at)} · ${escapeOutsideTextCut(entry.what, 100)}${who}${why}`;
  });
  const kept: string[] = [];
  let used = 0;
  for (const line of lines.slice(-MAX_HISTORY).reverse()) {
    if (used + line.length + 1 > HISTORY_TEXT_MAX) break;
    kept.unshift(line);
    used += line.length + 1;
  }
  const skipped = lines.length - kept.length;
  const note = skipped > 0 ? `_${plural(skipped, 'earlier entry', 'earlier entries')} not shown_\n` : '';
  return `${note}${kept.join('\n')}`;
}

/** What a dry run priced: a RunSummary that saved nothing, with its period as people read it. */
export interface DryRunView {
  periodLabel: string;
  scope: string;
  counts: {
    customers: number;
    drafted: number;
    withExceptions: number;
    nothingToBill: number;
    alreadyInvoiced: number;
  };
  totals: CurrencyTotalView[];
  invoices: {
    customerExternalId: string;
    customerName: string;
    currency: string;
    total: string;
    exceptions: { code: string; message: string }[];
  }[];
}

/** `/invoice run --dry`: what the run would draft, totals per currency, and the exceptions to fix first. */
export function buildDryRunReply(view: DryRunView): CommandReply {
  const { counts } = view;
  const period = escapeOutsideTextCut(view.periodLabel, 60);
  const blocks: KnownBlock[] = [
    section(
      `:test_tube: *Dry run for ${period}* (${escapeOutsideTextCut(view.scope, 500)}): nothing was saved.`,
    ),
    section(
      view.totals.length === 0
        ? '*Totals*\nNothing to invoice.'
        : `*Totals*\n${currencyTotalLines(view.totals)}`,
    ),
    sectionFields([
      `*Customers*\n${counts.customers}`,
      `*Would be drafted*\n${counts.drafted}`,
      `*With exceptions*\n${counts.withExceptions}`,
      `*Nothing to bill*\n${counts.nothingToBill}`,
      `*Already invoiced*\n${counts.alreadyInvoiced}`,
    ]),
  ];
  const problems = view.invoices.flatMap((invoice) =>
    invoice.exceptions.map(
      (exception) =>
        `${inlineCode(truncate(invoice.customerExternalId, 60))} ${escapeOutsideTextCut(invoice.customerName, 80)}: ${escapeOutsideTextCut(exception.message, REASON_TEXT_MAX)}`,
    ),
  );
  if (problems.length > 0) {
    blocks.push(
      section(`:no_entry: *Fix these before the real run*\n${bulletList(problems, MAX_EXCEPTIONS)}`),
    );
  }
  blocks.push(
    context(`Run it for real with ${inlineCode(`${SLASH_COMMAND} run`)} and the same period and customers.`),
  );
  return reply(
    `Dry run for ${period}: ${plural(counts.drafted, 'invoice')} would be drafted, ${counts.withExceptions} with exceptions.`,
    blocks,
  );
}

/** Says what was wrong with the command, then how to type it. */
export function buildCommandError(message: string, usage: string): CommandReply {
  const command = usage.startsWith(SLASH_COMMAND) ? usage : `${SLASH_COMMAND} ${usage}`;
  const problem = escapeOutsideTextCut(message, REASON_TEXT_MAX);
  return reply(`${problem} Usage: ${escapeOutsideText(command)}`, [
    section(`:warning: ${problem}`),
    context(`Usage: ${inlineCode(command)} · ${inlineCode(`${SLASH_COMMAND} help`)} lists every command`),
  ]);
}
