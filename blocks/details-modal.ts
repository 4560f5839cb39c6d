import type { KnownBlock, ModalView } from '@slack/types';
import type { LineWorking } from '../src/pricing/types.ts';
import { Decimal } from '../src/money/decimal.ts';
import { context, divider, plainText, section, sectionFields } from './block-elements.ts';
import { DETAILS_MODAL } from './ids.ts';
import { CUSTOMER_NAME_MAX, REASON_TEXT_MAX } from './invoice-buttons.ts';
import { MODAL_BUTTON_MAX, MODAL_TITLE_MAX, SECTION_TEXT_MAX, VIEW_BLOCK_LIMIT } from './slack-limits.ts';
import {
  escapeOutsideText,
  escapeOutsideTextCut,
  formatAmount,
  formatExactAmount,
  formatQuantity,
  plural,
  truncate,
  bulletList,
} from './slack-text.ts';
import type { DetailsLineView, InvoiceDetailsView } from './view-models.ts';

/** Blocks the modal uses besides the lines: heading, totals, divider, notes, footer, "left out" note. */
const FIXED_BLOCKS = 6;
/** Text of all line sections together, so the view stays far below Slack's 250 kB (`view_too_large`). */
const LINE_TEXT_BUDGET = 150_000;
const MAX_NOTES = 20;
const MAX_STEPS = 30;

const MODEL_SENTENCES: Record<LineWorking['model'], string> = {
  flat: 'Flat fee',
  per_unit: 'Per unit',
  graduated: 'Graduated tiers: each unit at the price of the tier it falls in',
  volume: 'Volume tiers: every unit at the price of the tier the total reaches',
  package: 'Packages: a partial package costs a whole one',
  percentage: 'Percentage of an amount',
};

/** Every line with its working in words, then the totals and notes; long invoices are packed, then cut. */
export function buildDetailsModal(view: InvoiceDetailsView): ModalView {
  const money = (amount: string) => formatAmount(amount, view.currency);
  const chunks = view.lines.map((line, index) =>
    truncate(lineWorkingText(line, index + 1, view.currency), SECTION_TEXT_MAX),
  );
  const { texts, shownLines } = packLineSections(chunks, VIEW_BLOCK_LIMIT - FIXED_BLOCKS);
  const blocks: KnownBlock[] = [
    section(
      `*${escapeOutsideTextCut(view.customerName, CUSTOMER_NAME_MAX)}* · ${escapeOutsideTextCut(view.periodLabel, 60)} · ${plural(view.lines.length, 'line')}`,
    ),
    sectionFields([
      `*Subtotal*\n${money(view.subtotal)}`,
      `*Discount*\n${discountAmount(view.discount, view.currency)}`,
      `*Tax*\n${money(view.tax)}`,
      `*Total*\n*${money(view.total)}*`,
    ]),
    divider(),
    ...texts.map((text) => section(text)),
  ];
  if (shownLines < view.lines.length) {
    blocks.push(
      section(
        `_${plural(view.lines.length - shownLines, 'more line is', 'more lines are')} left out here to stay within Slack's limits. *Export CSV* on the run summary has every line._`,
      ),
    );
  }
  if (view.notes.length > 0) {
    const notes = view.notes.map((note) => escapeOutsideTextCut(note, REASON_TEXT_MAX));
    blocks.push(section(`*Notes*\n${bulletList(notes, MAX_NOTES)}`));
  }
  blocks.push(
    context(
      `Amounts in ${escapeOutsideTextCut(view.currency, 10)}. Each line is rounded once to the currency's minor unit; totals add up the rounded lines.`,
    ),
  );
  return {
    type: 'modal',
    callback_id: DETAILS_MODAL,
    private_metadata: JSON.stringify({ invoiceId: view.invoiceId }),
    title: plainText('Invoice details', MODAL_TITLE_MAX),
    close: plainText('Close', MODAL_BUTTON_MAX),
    blocks,
  };
}

/**
 * One section per line while they fit; otherwise several lines per section (up to Slack's 3,000
 * characters); lines that still do not fit are left out and counted.
 */
export function packLineSections(
  chunks: readonly string[],
  maxSections: number,
): { texts: string[]; shownLines: number } {
  const totalChars = chunks.reduce((total, chunk) => total + chunk.length, 0);
  if (chunks.length <= maxSections && totalChars <= LINE_TEXT_BUDGET) {
    return { texts: [...chunks], shownLines: chunks.length };
  }
  const texts: string[] = [];
  let used = 0;
  let shownLines = 0;
  for (const chunk of chunks) {
    if (used + chunk.length > LINE_TEXT_BUDGET) break;
    const last = texts.at(-1);
    if (last !== undefined && last.length + 2 + chunk.length <= SECTION_TEXT_MAX) {
      texts[texts.length - 1] = `${last}\n\n${chunk}`;
    } else if (texts.length < maxSections) {
      texts.push(chunk);
    } else {
      break;
    }
    used += chunk.length;
    shownLines += 1;
  }
  return { texts, shownLines };
}

/** A line's calculation in words: model, steps, proration, minimum, exact amount, discounts, tax. */
export function lineWorkingText(line: DetailsLineView, number: number, currency: string): string {
  const { working } = line;
  const exact = (amount: string) => formatExactAmount(amount, currency);
  const out = [
    `*${number}. ${escapeOutsideTextCut(line.description, REASON_TEXT_MAX)}*: ${formatAmount(line.amount, currency)}`,
    working.model === 'flat'
      ? MODEL_SENTENCES.flat
      : `${MODEL_SENTENCES[working.model]}; quantity ${formatQuantity(working.quantity)}`,
  ];
  if (working.steps.length === 0) out.push('• No usage in the period');
  out.push(
    ...working.steps
      .slice(0, MAX_STEPS)
      .map((step) =>
        working.model === 'percentage'
          ? `• ${escapeOutsideText(step.label)} of ${exact(step.quantity)} = ${exact(step.amount)}`
          : `• ${escapeOutsideText(step.label)}: ${formatQuantity(step.quantity)} × ${exact(step.unitPrice)}${
              new Decimal(step.flatFee).isZero() ? '' : ` + ${exact(step.flatFee)} flat fee`
            } = ${exact(step.amount)}`,
      ),
  );
  if (working.steps.length > MAX_STEPS)
    out.push(`• _and ${plural(working.steps.length - MAX_STEPS, 'more step')}_`);
  if (working.proration !== undefined) {
    const { activeDays, periodDays } = working.proration;
    out.push(`Prorated: ${activeDays} of ${periodDays} days`);
  }
  if (working.minimum !== undefined && !new Decimal(working.minimum.topUp).isZero()) {
    out.push(`Minimum spend ${exact(working.minimum.minimum)}: topped up by ${exact(working.minimum.topUp)}`);
  }
  out.push(`Exact amount before rounding: ${exact(working.exactAmount)}`);
  for (const discount of working.discounts) {
    out.push(
      `Discount ${escapeOutsideTextCut(discount.label, REASON_TEXT_MAX)}: ${discountAmount(discount.amount, currency)}`,
    );
  }
  out.push(taxText(line, currency));
  return out.join('\n');
}

function taxText(line: DetailsLineView, currency: string): string {
  const { tax } = line.working;
  switch (tax.kind) {
    case 'standard':
      return `Tax: ${escapeOutsideTextCut(tax.label, REASON_TEXT_MAX)} (${escapeOutsideText(tax.rate)}%), ${
        tax.inclusive ? 'included in the price' : 'added'
      }: ${formatAmount(line.taxAmount, currency)}`;
    case 'exempt':
      return `No tax (exempt): ${escapeOutsideTextCut(tax.note, REASON_TEXT_MAX)}`;
    case 'reverse_charge':
      return `No tax charged (reverse charge): ${escapeOutsideTextCut(tax.note, REASON_TEXT_MAX)}`;
    default:
      return tax satisfies never;
  }
}

/** A discount reads as money off: "−£900.00"; none reads "£0.00". */
function discountAmount(amount: string, currency: string): string {
  const value = new Decimal(amount);
  return value.isZero()
    ? formatAmount(amount, currency)
    : `−${formatAmount(value.abs().toFixed(), currency)}`;
}
