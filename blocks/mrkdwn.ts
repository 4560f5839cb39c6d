/**
 * Escapes text for Slack mrkdwn: `&`, `<` and `>` are Slack's control characters, so escaping them
 * turns `<!channel>` or `<@U123>` typed by a customer into plain text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code span that cannot be broken out of by backticks in the text. */
export function inlineCode(text: string): string {
  return `\`${escapeMrkdwn(text.replace(/`/g, "'"))}\``;
}
