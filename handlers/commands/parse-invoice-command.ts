export type InvoiceCommand = { kind: 'help' } | { kind: 'unknown'; input: string };

/** Turns the text after `/invoice` into a typed command; anything unrecognised is `unknown`. */
export function parseInvoiceCommand(text: string): InvoiceCommand {
  const input = text.trim().replace(/\s+/g, ' ');
  const [subcommand = ''] = input.split(' ');
  switch (subcommand.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    default:
      return { kind: 'unknown', input };
  }
}
