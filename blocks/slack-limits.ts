// NOTE: Slack's Block Kit limits (FACTS.md "Message shape"; Block Kit reference). Slack rejects a whole
// message or view that breaks one of them, so every builder stays inside these.
export const MESSAGE_BLOCK_LIMIT = 50;
export const VIEW_BLOCK_LIMIT = 100;
/** Slack refuses views above 250 kB (`view_too_large`); builders keep well under it. */
export const VIEW_JSON_LIMIT = 250_000;
export const SECTION_TEXT_MAX = 3000;
export const SECTION_FIELD_MAX = 2000;
export const SECTION_FIELDS_MAX = 10;
export const CONTEXT_TEXT_MAX = 3000;
export const HEADER_TEXT_MAX = 150;
export const BUTTON_TEXT_MAX = 75;
export const BUTTON_VALUE_MAX = 2000;
export const CONFIRM_TITLE_MAX = 100;
export const CONFIRM_TEXT_MAX = 300;
export const CONFIRM_BUTTON_MAX = 30;
export const MODAL_TITLE_MAX = 24;
export const MODAL_BUTTON_MAX = 24;
export const PRIVATE_METADATA_MAX = 3000;
export const INPUT_LABEL_MAX = 2000;
export const PLACEHOLDER_MAX = 150;
/** Notification text; Slack truncates above 40,000, and nobody reads that much in a notification. */
export const FALLBACK_TEXT_MAX = 3000;
/**
 * The text of a message's blocks together: Slack refuses more with msg_blocks_too_long (about 13,000
 * characters, unpublished); billops keeps under 12,000 and splits or shortens what does not fit.
 */
export const MESSAGE_BLOCKS_TEXT_MAX = 12_000;
