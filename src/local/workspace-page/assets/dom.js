// @ts-check
// Building DOM without innerHTML: strings always become text nodes, so data can never become markup.

/** @typedef {Node | string | null | undefined | false} Child */
/** @typedef {Record<string, string | number | boolean | null | undefined | EventListener>} Props */

/**
 * An element with attributes, listeners (`onclick`…) and children; `text` sets textContent.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Props | null} [props]
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'text') element.textContent = String(value);
    else if (key === 'class') element.className = String(value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/**
 * @param {Element | DocumentFragment} parent
 * @param {(Child | Child[])[]} children
 */
export function append(parent, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** @param {...(Child | Child[])} children */
export function fragment(...children) {
  const result = document.createDocumentFragment();
  append(result, children);
  return result;
}

/**
 * The element with this id, of the expected type; a page without it is a bug worth a loud error.
 * @template {HTMLElement} T
 * @param {string} id
 * @param {new () => T} type
 * @returns {T}
 */
export function byId(id, type) {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`The page has no #${id}`);
  return element;
}

/**
 * Lets a keyboard scroll a box that scrolls: it takes focus itself when nothing inside it can
 * (WCAG 2.1.1; axe's scrollable-region-focusable). Call it after filling the box.
 * @param {HTMLElement} box
 */
export function keyboardScrollable(box) {
  const reachable = box.querySelector('a[href], button, input, select, textarea, [tabindex="0"]');
  if (reachable === null) box.tabIndex = 0;
  else box.removeAttribute('tabindex');
}

/**
 * A link target the page may follow: web and mail links, and the page's own /local/ routes.
 * @param {string} url
 * @returns {string | undefined}
 */
export function safeUrl(url) {
  return /^(https?:\/\/|mailto:|\/local\/)/i.test(url) ? url : undefined;
}

/** @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A Slack ts ("1732185600.000100") as the time of day it was posted. @param {string} ts */
export function formatTs(ts) {
  const date = new Date(Number(ts) * 1000);
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}
