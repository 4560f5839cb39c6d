// @ts-check
// Slack's mrkdwn as DOM: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, <links|labels>,
// <@U…> and <#C…> mentions, :emoji:, and Slack's escapes (&lt; &gt; &amp;). Text only ever becomes
// text nodes; a link is followed only when it is a web or mail link.

import { fragment, h, safeUrl } from './dom.js';

/** @typedef {{ type: string, text: string, emoji?: boolean }} TextObject */

/**
 * @typedef {object} MrkdwnContext
 * @property {(userId: string) => string} userName
 * @property {(channelId: string) => string} channelName
 * @property {(channelId: string, ts: string) => void} openPermalink  a Slack message link, opened in the page
 */

/** The shortcodes billops uses, and a few common ones; others stay as written. */
const EMOJI = /** @type {Record<string, string>} */ ({
  alarm_clock: '⏰',
  bell: '🔔',
  calendar: '📆',
  chart_with_upwards_trend: '📈',
  check: '✔️',
  eyes: '👀',
  email: '📧',
  envelope: '✉️',
  heavy_check_mark: '✔️',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  information_source: 'ℹ️',
  ledger: '📒',
  lock: '🔒',
  money_with_wings: '💸',
  moneybag: '💰',
  new: '🆕',
  no_entry: '⛔',
  no_entry_sign: '🚫',
  page_facing_up: '📄',
  receipt: '🧾',
  repeat: '🔁',
  rotating_light: '🚨',
  tada: '🎉',
  warning: '⚠️',
  white_check_mark: '✅',
  x: '❌',
});

const ENTITIES = /** @type {Record<string, string>} */ ({ lt: '<', gt: '>', amp: '&' });

/** Slack escapes exactly these three in message text. @param {string} text */
export function unescapeSlack(text) {
  return text.replace(/&(lt|gt|amp);/g, (_match, name) => ENTITIES[/** @type {string} */ (name)] ?? '');
}

/** Emoji shortcodes in plain text (plain_text with emoji: true). @param {string} text */
export function withEmoji(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (match, name) => EMOJI[/** @type {string} */ (name)] ?? match);
}

// Bold, italic and strike open after a non-word character and close before one, as Slack reads them,
// so snake_case_names and 2*3*4 stay as written.
const INLINE = new RegExp(
  [
    '`([^`\\n]+)`',
    '<([^<>\\n]+)>',
    '(?<![\\p{L}\\p{N}*])\\*(?=\\S)([^*\\n]*?\\S)\\*(?![\\p{L}\\p{N}*])',
    '(?<![\\p{L}\\p{N}_])_(?=\\S)([^_\\n]*?\\S)_(?![\\p{L}\\p{N}_])',
    '(?<![\\p{L}\\p{N}~])~(?=\\S)([^~\\n]*?\\S)~(?![\\p{L}\\p{N}~])',
    ':([a-z0-9_+-]+):',
  ].join('|'),
  'gu',
);

/**
 * @param {string} text  mrkdwn as the app sent it
 * @param {MrkdwnContext} context
 * @returns {DocumentFragment}
 */
export function renderMrkdwn(text, context) {
  const result = fragment();
  text.split('```').forEach((part, index) => {
    if (index % 2 === 1) {
      result.append(h('pre', { class: 'mrkdwn-pre', text: unescapeSlack(part.replace(/^\n|\n$/g, '')) }));
      return;
    }
    result.append(renderLines(part, context));
  });
  return result;
}

/** Lines joined by line breaks; runs of "> " lines become one quote. @param {string} text @param {MrkdwnContext} context */
function renderLines(text, context) {
  const result = fragment();
  /** @type {HTMLQuoteElement | undefined} */
  let quote;
  text.split('\n').forEach((line, index, lines) => {
    const quoted = /^(&gt;|>) ?/.exec(line);
    if (quoted) {
      if (quote === undefined) {
        quote = h('blockquote', { class: 'mrkdwn-quote' });
        result.append(quote);
      } else {
        quote.append(h('br'));
      }
      quote.append(renderInline(line.slice(quoted[0].length), context));
      return;
    }
    quote = undefined;
    result.append(renderInline(line, context));
    const next = lines[index + 1];
    if (next !== undefined && !/^(&gt;|>)/.test(next)) result.append(h('br'));
  });
  return result;
}

/** @param {string} text @param {MrkdwnContext} context @returns {DocumentFragment} */
function renderInline(text, context) {
  const result = fragment();
  let at = 0;
  for (const match of text.matchAll(INLINE)) {
    const index = match.index;
    if (index > at) result.append(unescapeSlack(text.slice(at, index)));
    at = index + match[0].length;
    const [whole, code, angle, bold, italic, strike, emoji] = match;
    if (code !== undefined) result.append(h('code', { text: unescapeSlack(code) }));
    else if (angle !== undefined) result.append(renderAngle(angle, context));
    else if (bold !== undefined) result.append(h('strong', null, renderInline(bold, context)));
    else if (italic !== undefined) result.append(h('em', null, renderInline(italic, context)));
    else if (strike !== undefined) result.append(h('s', null, renderInline(strike, context)));
    else if (emoji !== undefined) result.append(EMOJI[emoji] ?? whole);
  }
  if (at < text.length) result.append(unescapeSlack(text.slice(at)));
  return result;
}

/**
 * `<…>`: a mention, a channel, a special mention, a date, or a link with an optional label.
 * @param {string} inner
 * @param {MrkdwnContext} context
 * @returns {Node}
 */
function renderAngle(inner, context) {
  const bar = inner.indexOf('|');
  const target = bar < 0 ? inner : inner.slice(0, bar);
  const label = bar < 0 ? undefined : unescapeSlack(inner.slice(bar + 1));
  if (target.startsWith('@')) {
    return h('span', { class: 'mention', text: `@${label ?? context.userName(target.slice(1))}` });
  }
  if (target.startsWith('#')) {
    return h('span', { class: 'mention', text: `#${label ?? context.channelName(target.slice(1))}` });
  }
  if (target.startsWith('!date^')) return document.createTextNode(localDate(target, label));
  if (target.startsWith('!')) {
    const special = /^!(here|channel|everyone)$/.exec(target);
    if (special) return h('span', { class: 'mention', text: `@${special[1] ?? ''}` });
    const group = /^!subteam\^[A-Z0-9]+$/.exec(target);
    if (group) return h('span', { class: 'mention', text: label ?? '@group' });
    return document.createTextNode(label ?? '');
  }
  const url = unescapeSlack(target);
  const permalink = /^https:\/\/[a-z0-9.-]*slack\.com\/archives\/([A-Z0-9]+)\/p(\d{10})(\d{6})/.exec(url);
  if (permalink) {
    const [, channel = '', seconds = '', micros = ''] = permalink;
    return h('a', {
      href: '#',
      class: 'permalink',
      text: label ?? url,
      onclick: (event) => {
        event.preventDefault();
        context.openPermalink(channel, `${seconds}.${micros}`);
      },
    });
  }
  const href = safeUrl(url);
  if (href === undefined) return document.createTextNode(label ?? url);
  return h('a', { href, target: '_blank', rel: 'noopener noreferrer', text: label ?? url });
}

/**
 * `<!date^unix^tokens|fallback>` in the reader's own zone and clock, as Slack shows it
 * (docs.slack.dev/messaging/formatting-message-text#date-formatting); the fallback for what it cannot read.
 * @param {string} target  `!date^1762002359^{date_short} {time}` (an optional `^link` is ignored)
 * @param {string | undefined} fallback
 */
function localDate(target, fallback) {
  const [, seconds = '', tokens = ''] = target.split('^');
  const date = new Date(Number(seconds) * 1000);
  if (!/^\d+$/.test(seconds) || Number.isNaN(date.getTime())) return fallback ?? '';
  /** @type {Record<string, Intl.DateTimeFormatOptions>} */
  const formats = {
    time: { hour: '2-digit', minute: '2-digit' },
    time_secs: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
    date_num: { year: 'numeric', month: '2-digit', day: '2-digit' },
    date_short: { year: 'numeric', month: 'short', day: 'numeric' },
    date: { year: 'numeric', month: 'long', day: 'numeric' },
    date_long: { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' },
  };
  let unknown = false;
  const text = tokens.replace(/\{(\w+)\}/g, (_, token) => {
    const options = formats[token];
    if (options === undefined) unknown = true;
    return options === undefined ? '' : date.toLocaleString([], options);
  });
  return unknown ? (fallback ?? text) : text;
}

/**
 * A text object: mrkdwn rendered, plain_text as it is (with emoji when asked).
 * @param {TextObject} text
 * @param {MrkdwnContext} context
 * @returns {Node}
 */
export function renderText(text, context) {
  if (text.type === 'mrkdwn') return renderMrkdwn(text.text, context);
  return document.createTextNode(text.emoji === false ? text.text : withEmoji(text.text));
}
