import type { KnownBlock } from '@slack/types';
import { SLASH_COMMAND } from './ids.ts';
import { inlineCode } from './mrkdwn.ts';

export interface CommandUsage {
  usage: string;
  description: string;
}

/** What `/invoice` can do; each later command adds its line here. */
export const INVOICE_COMMANDS: CommandUsage[] = [
  {
    usage: 'run [period] [--dry] [--force] [customer…]',
    description:
      'Start a billing run. The period is a month such as 2026-10 (default: last month); --dry prices it without saving anything; --force drafts a period that has not ended yet (otherwise you are asked to confirm); customer ids limit the run to those customers.',
  },
  { usage: 'status [run]', description: 'Show where a billing run stands (default: the latest).' },
  {
    usage: 'show <invoice number | customer id>',
    description:
      'Show an invoice: its total, status, why it waits for review, what happened to it, each payment and credit note, and what is still outstanding.',
  },
  {
    usage: 'review <customer id>',
    description: "Ask for approval again after fixing a customer's data.",
  },
  {
    usage: 'connect xero|quickbooks',
    description:
      'Connect the ERP invoices are posted to (approvers only): you get a sign-in link that is yours alone.',
  },
  {
    usage: 'paid <invoice number> <amount> [YYYY-MM-DD] [--again]',
    description:
      'Record money received against a finalized invoice (approvers only), on the day given or today. Part of the total leaves the rest outstanding; more than is owed is refused. The same payment typed again within 10 minutes asks first; --again records it.',
  },
  {
    usage: 'void <invoice number> <reason…>',
    description:
      'Void a finalized invoice nothing has been paid on (approvers only), here and in the ERP; the reason is required. Its reminders stop; its number stays used.',
  },
  {
    usage: 'credit <invoice number> <amount|all> <reason…> [--again]',
    description:
      'Issue a credit note against a finalized invoice (approvers only): the amount given (tax included, at most what is not credited yet), or all of it. It takes the next CN number and reduces what is owed. The same credit typed again within 10 minutes asks first; --again issues it.',
  },
  { usage: 'help', description: 'Show this list.' },
];

export interface HelpMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Usage for `/invoice`; `unknownInput` is what the person typed when it was not a command. */
export function buildHelpMessage(unknownInput?: string): HelpMessage {
  const intro =
    unknownInput === undefined
      ? `*billops* runs your invoicing from Slack. Here is what ${inlineCode(SLASH_COMMAND)} can do:`
      : `Sorry, I don't know ${inlineCode(`${SLASH_COMMAND} ${unknownInput}`)}. Here is what I can do:`;
  const lines = INVOICE_COMMANDS.map(
    (command) => `• ${inlineCode(`${SLASH_COMMAND} ${command.usage}`)}: ${command.description}`,
  );
  return {
    text:
      unknownInput === undefined
        ? `billops: ${SLASH_COMMAND} help`
        : `Unknown command. Try ${SLASH_COMMAND} help.`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: intro } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
    ],
  };
}

/** A near-miss ("/invoice stauts"): the command it was likely meant to be, not the whole list. */
export function buildDidYouMean(unknownInput: string, suggestion: string): HelpMessage {
  const [, ...rest] = unknownInput.split(' ');
  const meant = [suggestion, ...rest].join(' ');
  const text = `I don't know ${inlineCode(`${SLASH_COMMAND} ${unknownInput}`)}. Did you mean ${inlineCode(`${SLASH_COMMAND} ${meant}`)}? (${inlineCode(`${SLASH_COMMAND} help`)} lists everything.)`;
  return {
    text: `Did you mean ${SLASH_COMMAND} ${meant}?`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
