import { describe, expect, it } from 'vitest';
import { buildDidYouMean, buildHelpMessage, INVOICE_COMMANDS } from './help-message.ts';
import { escapeMrkdwn, inlineCode } from './mrkdwn.ts';

function allText(message: ReturnType<typeof buildHelpMessage>): string {
  return message.blocks.map((block) => (block.type === 'section' ? (block.text?.text ?? '') : '')).join('\n');
}

describe('buildHelpMessage', () => {
  it('lists every /invoice command with its description', () => {
    const text = allText(buildHelpMessage());
    for (const command of INVOICE_COMMANDS) {
      expect(text).toContain(`${inlineCode(`/invoice ${command.usage}`)}: ${command.description}`);
    }
  });

  it('offers run, status, show, review, connect, paid, void, credit and help, with their arguments', () => {
    expect(INVOICE_COMMANDS.map((command) => command.usage)).toEqual([
      'run [period] [--dry] [--force] [customer…]',
      'status [run]',
      'show <invoice number | customer id>',
      'review <customer id>',
      'connect xero|quickbooks',
      'paid <invoice number> <amount> [YYYY-MM-DD] [--again]',
      'void <invoice number> <reason…>',
      'credit <invoice number> <amount|all> <reason…> [--again]',
      'help',
    ]);
    const text = allText(buildHelpMessage());
    expect(text).toContain('`/invoice show &lt;invoice number | customer id&gt;`');
    expect(text).toContain('2026-10');
    expect(text).toContain('last month');
    expect(text).toContain('--force drafts a period that has not ended yet');
    expect(text).toContain('`/invoice paid &lt;invoice number&gt; &lt;amount&gt; [YYYY-MM-DD] [--again]`');
    expect(text).toContain(
      '`/invoice void &lt;invoice number&gt; &lt;reason…&gt;`: Void a finalized invoice',
    );
    expect(text).toContain(
      '`/invoice credit &lt;invoice number&gt; &lt;amount|all&gt; &lt;reason…&gt; [--again]`',
    );
  });

  it('says which input it did not understand, escaped so it cannot ping anyone', () => {
    const text = allText(buildHelpMessage('frobnicate <!channel> <@U123>'));
    expect(text).toContain("Sorry, I don't know `/invoice frobnicate &lt;!channel&gt; &lt;@U123&gt;`");
    expect(text).not.toMatch(/<!channel>|<@U123>/);
  });

  it('has a plain-text fallback for notifications', () => {
    expect(buildHelpMessage().text).toBe('billops: /invoice help');
    expect(buildHelpMessage('x').text).toBe('Unknown command. Try /invoice help.');
  });
});

describe('mrkdwn escaping', () => {
  it('escapes the three control characters and nothing else', () => {
    expect(escapeMrkdwn('A&B <b> Zoë *bold*')).toBe('A&amp;B &lt;b&gt; Zoë *bold*');
  });

  it('keeps inline code closed even when the text has backticks', () => {
    expect(inlineCode('a`b')).toBe("`a'b`");
  });
});

describe('buildDidYouMean', () => {
  it('answers a near-miss with the command it was likely meant to be, keeping what followed', () => {
    const message = buildDidYouMean('shwo INV-2026-00001', 'show');

    expect(allText(message)).toBe(
      "I don't know `/invoice shwo INV-2026-00001`. Did you mean `/invoice show INV-2026-00001`? (`/invoice help` lists everything.)",
    );
    expect(message.text).toBe('Did you mean /invoice show INV-2026-00001?');
  });
});
