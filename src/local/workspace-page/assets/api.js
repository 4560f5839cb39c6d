// @ts-check
// The page's server: JSON reads under /local/, people's actions as JSON posts, and the live feed.

/**
 * @template T
 * @param {string} path
 * @returns {Promise<T>}
 */
export async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  return /** @type {T} */ (await answerOf(response));
}

/**
 * @param {string} path
 * @param {unknown} body
 * @returns {Promise<Record<string, unknown>>}
 */
export async function postJson(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  return /** @type {Record<string, unknown>} */ (await answerOf(response));
}

/** @param {Response} response */
async function answerOf(response) {
  const body = /** @type {unknown} */ (await response.json().catch(() => ({})));
  if (!response.ok) {
    const error =
      typeof body === 'object' && body !== null ? /** @type {{ error?: unknown }} */ (body).error : undefined;
    throw new Error(typeof error === 'string' ? error : `${response.status} ${response.statusText}`);
  }
  return body;
}

/**
 * Calls `onChange` with the topics that changed ('slack', 'outbox', 'erp'), all of them after each
 * (re)connection, and `onStatus` with whether the feed is live. EventSource reconnects on its own.
 * @param {(topics: string[]) => void} onChange
 * @param {(live: boolean) => void} onStatus
 */
export function listenForChanges(onChange, onStatus) {
  const source = new EventSource('/local/events');
  source.addEventListener('ready', () => {
    onStatus(true);
    onChange(['slack', 'outbox', 'erp']);
  });
  source.addEventListener('change', (event) => {
    const data = /** @type {{ topics?: string[] }} */ (
      JSON.parse(/** @type {MessageEvent<string>} */ (event).data)
    );
    onChange(data.topics ?? []);
  });
  source.addEventListener('error', () => {
    onStatus(false);
  });
  return source;
}
