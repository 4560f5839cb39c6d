// Every action_id, callback_id and block_id the app uses, bound in one place (STYLE rule 2).
export const SLASH_COMMAND = '/invoice';
