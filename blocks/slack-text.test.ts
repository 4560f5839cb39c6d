import { describe, expect, it } from 'vitest';
import {
  escapeOutsideText,
  formatAmount,
  formatExactAmount,
  formatQuantity,
  joinNames,
  mentionActor,
  truncate,
  slackDateTime,
  slackTime,
} from './slack-text.ts';

describe('truncate', () => {
  it('leaves text within the limit alone', () => {
    expect(truncate('Acme Ltd', 8)).toBe('Acme Ltd');
  });

  it('cuts to the limit, ellipsis included', () => {
    const cut = truncate('x'.repeat(5000), 3000);
    expect(cut).toHaveLength(3000);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('never leaves half an escaped entity behind', () => {
    expect(truncate('Smith &amp; Sons Ltd', 10)).toBe('Smith…');
  });

  it('never leaves half a mention or link behind', () => {
    expect(truncate('Approved by <@U0APPROVER1>', 20)).toBe('Approved by…');
  });

  it('never splits an emoji', () => {
    expect(truncate('ab😀cd', 4)).toBe('ab…');
  });
});

describe('escapeOutsideText', () => {
  it('turns mentions, broadcasts, bold and ampersands into plain characters', () => {
    const escaped = escapeOutsideText('<!channel> *Acme* & <@U123>');
    expect(escaped).toBe('&lt;!channel&gt; \u2217Acme\u2217 &amp; &lt;@U123&gt;');
  });

  it('keeps underscores inside words, like identifiers', () => {
    expect(escapeOutsideText('unknown metric api_calls')).toBe('unknown metric api_calls');
  });

  it('neutralises italics, strikethrough, code and a leading quote', () => {
    expect(escapeOutsideText('_a_ ~b~ `c`')).toBe('\u02cda\u02cd \u223cb\u223c \u02cbc\u02cb');
    expect(escapeOutsideText('> quoted')).toBe('\u00ad&gt; quoted');
  });

  it('keeps a text on one line', () => {
    expect(escapeOutsideText('Acme\n\nLtd\r\n')).toBe('Acme Ltd');
  });
});

describe('mentionActor', () => {
  it('mentions a Slack user and writes any other actor as text', () => {
    expect(mentionActor('U0STARTER')).toBe('<@U0STARTER>');
    expect(mentionActor('schedule:monthly')).toBe('schedule:monthly');
    expect(mentionActor('<!here>')).toBe('&lt;!here&gt;');
  });

  it('joins names the way people write them', () => {
    expect(joinNames(['<@U1>'])).toBe('<@U1>');
    expect(joinNames(['<@U1>', '<@U2>'])).toBe('<@U1> and <@U2>');
    expect(joinNames(['<@U1>', '<@U2>', '<@U3>'])).toBe('<@U1>, <@U2> and <@U3>');
  });
});

describe('amounts, quantities and times', () => {
  it.each([
    ['12400', 'GBP', '£12,400.00'],
    ['1200', 'JPY', 'JP¥1,200'],
    ['1.25', 'KWD', 'KWD\u00a01.250'],
  ])('formats %s %s as %s', (amount, currency, expected) => {
    expect(formatAmount(amount, currency)).toBe(expected);
  });

  it('shows unit prices with every decimal they have', () => {
    expect(formatExactAmount('0.0025', 'GBP')).toBe('£0.0025');
    expect(formatExactAmount('2', 'GBP')).toBe('£2.00');
    expect(formatExactAmount('0.5', 'JPY')).toBe('JP¥0.5');
    expect(formatExactAmount('1234.123456789012345678901234', 'GBP')).toBe('£1,234.1234567890123456789…');
  });

  it('groups quantities without losing digits', () => {
    expect(formatQuantity('1200000')).toBe('1,200,000');
    expect(formatQuantity('1234.5678')).toBe('1,234.5678');
  });

  it("writes times for Slack to show in each reader's zone and clock, with UTC where it cannot", () => {
    const at = new Date('2026-11-01T14:05:59+01:00');
    expect(slackTime(at)).toBe('<!date^1793538359^{time}|13:05 UTC>');
    expect(slackDateTime(at)).toBe('<!date^1793538359^{date_short} {time}|2026-11-01 13:05 UTC>');
  });
});
