// @ts-check
// The local workspace page: pick who you are, read channels, threads and Home as the app left them,
// type slash commands, click buttons, fill modals. Every action is a real signed Slack request into
// the app (through the local Slack's people); the page only shows what the local Slack then holds.

import { getJson, listenForChanges, postJson } from './api.js';
import { byId, h, keyboardScrollable } from './dom.js';
import { renderMessage, blockContextFor } from './messages.js';
import { ModalHost } from './modal.js';
import { renderOutbox, renderErp } from './panels.js';
import { renderBlocks } from './render-blocks.js';

/**
 * @typedef {import('./messages.js').MessageView} MessageView
 * @typedef {import('./messages.js').PageContext} PageContext
 * @typedef {{ id: string, name: string, realName: string, approver: boolean }} PersonView
 * @typedef {{ id: string, name: string, isBot: boolean }} MemberView
 * @typedef {{ id: string, name: string, kind: 'channel' | 'im', members: MemberView[], messages: MessageView[] }} ConversationView
 * @typedef {{
 *   team: string, bot: { id: string, name: string }, person: PersonView, people: PersonView[],
 *   conversations: ConversationView[], modal: import('./modal.js').ModalSnapshot | null,
 *   home: { id: string, blocks: import('./render-blocks.js').Block[] } | null,
 * }} Snapshot
 * @typedef {{ channel: string, parent: MessageView, replies: MessageView[] }} ThreadSnapshot
 * @typedef {{ hasCustomers: boolean, outbox: boolean, erp: boolean }} Status
 */

const DEFAULT_PERSON = 'U0FINANCE';
const DEFAULT_VIEW = 'C0BILLING';
/** The views that are not conversations. */
const PLACES = ['home', 'outbox', 'erp'];

const params = new URLSearchParams(window.location.search);
const page = {
  userId: params.get('as') ?? DEFAULT_PERSON,
  /** A conversation id, or 'home', 'outbox', 'erp'. */
  view: params.get('view') ?? DEFAULT_VIEW,
  /** @type {Snapshot | null} */
  snapshot: null,
  /** @type {{ channel: string, ts: string } | null} */
  threadOpen: null,
  /** @type {{ available: boolean, emails: import('./panels.js').EmailView[] }} */
  outbox: { available: true, emails: [] },
  /** @type {{ available: boolean, invoices: import('./panels.js').ErpInvoiceView[] }} */
  erp: { available: true, invoices: [] },
  /** Messages seen per conversation, for unread counts in the sidebar. @type {Map<string, number>} */
  seen: new Map(),
  /** What each pane shows now, so an unchanged pane is not drawn again. @type {Map<string, string>} */
  drawn: new Map(),
  /** A thread was asked for and is not drawn yet: once it is, a narrow screen turns to it. */
  threadPending: false,
  /** People whose modals left open by an earlier visit were closed; every modal after is this page's. @type {Set<string>} */
  modalsSettled: new Set(),
};

const elements = {
  layout: byId('layout', HTMLDivElement),
  people: byId('person-picker', HTMLSelectElement),
  channels: byId('channel-list', HTMLUListElement),
  places: byId('place-list', HTMLUListElement),
  title: byId('pane-title', HTMLHeadingElement),
  subtitle: byId('pane-subtitle', HTMLParagraphElement),
  body: byId('pane-body', HTMLElement),
  composer: byId('composer', HTMLFormElement),
  input: byId('message-input', HTMLInputElement),
  thread: byId('thread-pane', HTMLElement),
  threadBack: byId('thread-back', HTMLButtonElement),
  threadBody: byId('thread-body', HTMLElement),
  threadTitle: byId('thread-title', HTMLHeadingElement),
  demo: byId('demo-box', HTMLElement),
  demoButton: byId('demo-button', HTMLButtonElement),
  live: byId('live-status', HTMLElement),
  toast: byId('toast', HTMLElement),
};

// ---- talking to the app, as the chosen person ----

/** @type {PageContext} */
const context = {
  userName: (id) =>
    page.snapshot?.people.find((person) => person.id === id)?.name ??
    (id === page.snapshot?.bot.id ? page.snapshot.bot.name : id),
  channelName: (id) =>
    page.snapshot?.conversations.find((conversation) => conversation.id === id)?.name ?? id,
  openPermalink: (channel, ts) => {
    showView(channel);
    openThread(channel, ts);
  },
  openThread: (channel, ts) => {
    openThread(channel, ts);
  },
  click: async (click) => {
    await act(() => postJson('/local/click', { userId: page.userId, ...click }));
  },
};

const modal = new ModalHost({
  ...context,
  submitView: async (viewId, values) => {
    const reply = await postJson('/local/submit', { userId: page.userId, viewId, values });
    void refreshSlack();
    return {
      errors: /** @type {Record<string, string> | null} */ (reply.errors ?? null),
      error: typeof reply.error === 'string' ? reply.error : null,
    };
  },
  closeView: async (viewId) => {
    await postJson('/local/close', { userId: page.userId, viewId });
    void refreshSlack();
  },
});

/** Runs a person's action; what the app answered other than 200 is shown, as Slack would. @param {() => Promise<Record<string, unknown>>} action */
async function act(action) {
  try {
    const reply = await action();
    if (typeof reply.error === 'string') toast(reply.error, 'error');
  } catch (error) {
    toast(error instanceof Error ? error.message : String(error), 'error');
  }
  void refreshSlack();
}

/** @param {string} message @param {'info' | 'error'} [kind] */
function toast(message, kind = 'info') {
  elements.toast.textContent = message;
  elements.toast.className = `toast ${kind} shown`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    elements.toast.className = 'toast';
  }, 6000);
}
/** @type {ReturnType<typeof setTimeout> | undefined} */
let toastTimer;

// ---- reading: one refresh at a time per source, again if asked while running ----

/** @param {() => Promise<void>} load */
function serialized(load) {
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await load().catch((/** @type {unknown} */ error) => {
          toast(error instanceof Error ? error.message : String(error), 'error');
        });
      } while (again);
    } finally {
      running = false;
    }
  };
  return run;
}

const refreshSlack = serialized(async () => {
  /** @type {Snapshot | null} */
  const snapshot = await readSnapshot();
  if (snapshot === null) return;
  page.snapshot = page.modalsSettled.has(page.userId) ? snapshot : await closeLeftoverModals(snapshot);
  if (page.threadOpen) {
    const { channel, ts } = page.threadOpen;
    const query = new URLSearchParams({ user: page.userId, channel, ts });
    try {
      renderThread(await getJson(`/local/thread?${query.toString()}`));
    } catch {
      closeThread();
    }
  }
  render();
});

/**
 * The workspace as the chosen person sees it; null when nobody of that id is in the local workspace
 * (a mistyped `?as=`), after offering the people who are.
 * @returns {Promise<Snapshot | null>}
 */
async function readSnapshot() {
  try {
    return await getJson(`/local/state?user=${encodeURIComponent(page.userId)}`);
  } catch (error) {
    /** @type {{ people: PersonView[] }} */
    const { people } = await getJson('/local/people');
    if (people.some((person) => person.id === page.userId)) throw error;
    page.snapshot = null;
    renderUnknownPerson(people);
    return null;
  }
}

/**
 * Closes the modals a person left open before this page loaded, top first, as Slack's client drops its
 * modals when it reloads; the app hears view_closed for those that asked. Returns the snapshot after.
 * @param {Snapshot} snapshot
 */
async function closeLeftoverModals(snapshot) {
  const userId = snapshot.person.id;
  let current = snapshot;
  // NOTE: bounded, so a modal the local Slack will not close cannot keep the page loading forever.
  for (let closed = 0; current.modal !== null && closed < 20; closed += 1) {
    await postJson('/local/close', { userId, viewId: current.modal.id });
    current = await getJson(`/local/state?user=${encodeURIComponent(userId)}`);
  }
  page.modalsSettled.add(userId);
  return current;
}

const refreshOutbox = serialized(async () => {
  page.outbox = await getJson('/local/outbox');
  render();
});

const refreshErp = serialized(async () => {
  page.erp = await getJson('/local/erp');
  render();
});

const refreshStatus = serialized(async () => {
  /** @type {Status} */
  const status = await getJson('/local/status');
  elements.demo.hidden = status.hasCustomers;
});

// ---- drawing ----

function render() {
  const snapshot = page.snapshot;
  if (snapshot === null) return;
  renderPeople(snapshot);
  renderSidebar(snapshot);
  renderPane(snapshot);
  modal.show(snapshot.modal);
}

/** @param {Snapshot} snapshot */
function renderPeople(snapshot) {
  const key = JSON.stringify([snapshot.people, page.userId]);
  if (page.drawn.get('people') === key) return;
  page.drawn.set('people', key);
  elements.people.replaceChildren(
    ...snapshot.people.map((person) =>
      h('option', { value: person.id, text: personLabel(person), selected: person.id === page.userId }),
    ),
  );
}

/**
 * Who the page cannot act as, and the people it can: each a link to the same view as them.
 * @param {PersonView[]} people
 */
function renderUnknownPerson(people) {
  const key = JSON.stringify(['unknown', people, page.userId]);
  if (page.drawn.get('people') === key) return;
  page.drawn.set('people', key);
  page.drawn.delete('pane');
  elements.people.replaceChildren(
    h('option', { value: '', text: 'Choose who you are', selected: true, disabled: true }),
    ...people.map((person) => h('option', { value: person.id, text: personLabel(person) })),
  );
  elements.channels.replaceChildren();
  elements.places.replaceChildren();
  elements.composer.hidden = true;
  showPane('pane');
  elements.title.textContent = `Nobody here is ${page.userId}`;
  elements.subtitle.textContent = `The address says ?as=${page.userId}, and the local workspace has no person of that id.`;
  elements.body.replaceChildren(
    h(
      'div',
      { class: 'panel' },
      h('p', { text: 'Choose who you are:' }),
      h(
        'ul',
        { class: 'people-offer' },
        people.map((person) =>
          h(
            'li',
            null,
            h('a', {
              href: `?${new URLSearchParams({ as: person.id, view: page.view }).toString()}`,
              text: personLabel(person),
            }),
          ),
        ),
      ),
    ),
  );
}

/** @param {PersonView} person */
function personLabel(person) {
  return `${person.realName}${person.approver ? ' · approver' : ''}`;
}

/** @param {Snapshot} snapshot */
function renderSidebar(snapshot) {
  const visible = snapshot.conversations.find((conversation) => conversation.id === page.view);
  if (visible) page.seen.set(visible.id, visible.messages.length);
  elements.channels.replaceChildren(
    // The app's direct message appears once the app wrote in it, as Slack lists it.
    ...snapshot.conversations
      .filter((conversation) => conversation.kind === 'channel' || conversation.messages.length > 0)
      .map((conversation) => {
        const unread = Math.max(0, conversation.messages.length - (page.seen.get(conversation.id) ?? 0));
        return placeItem(
          conversation.id,
          conversation.kind === 'im' ? conversation.name : `# ${conversation.name}`,
          unread,
        );
      }),
  );
  elements.places.replaceChildren(
    placeItem('home', `${snapshot.bot.name} · Home`, 0),
    placeItem('outbox', 'Mail outbox', page.outbox.emails.length, true),
    placeItem('erp', 'Xero sandbox', page.erp.invoices.length, true),
  );
}

/** @param {string} view @param {string} label @param {number} count @param {boolean} [total] */
function placeItem(view, label, count, total = false) {
  return h(
    'li',
    null,
    h(
      'button',
      {
        type: 'button',
        class: `place${view === page.view ? ' current' : ''}${count > 0 && !total ? ' unread' : ''}`,
        'aria-current': view === page.view ? 'page' : null,
        'data-view': view,
        onclick: () => {
          // The pane shows first: a hidden box cannot be scrolled to its newest entry.
          showPane('pane', elements.title);
          showView(view);
        },
      },
      h('span', { class: 'place-label', text: label }),
      count > 0 ? h('span', { class: total ? 'count' : 'badge', text: String(count) }) : null,
    ),
  );
}

/** @param {Snapshot} snapshot */
function renderPane(snapshot) {
  const conversation = snapshot.conversations.find((candidate) => candidate.id === page.view);
  elements.composer.hidden = conversation === undefined;
  if (conversation) {
    elements.title.textContent = conversation.kind === 'im' ? conversation.name : `# ${conversation.name}`;
    elements.subtitle.textContent = `You are ${snapshot.person.realName}${snapshot.person.approver ? ', an approver' : ''}. Messages and buttons here go to the app as real Slack requests.`;
    elements.input.placeholder = `Message ${conversation.kind === 'im' ? conversation.name : `#${conversation.name}`} — try /invoice help or /invoice run`;
    drawIfChanged('pane', [conversation, snapshot.people, snapshot.bot], () =>
      h(
        'div',
        {},
        conversation.kind === 'channel' ? renderMembers(conversation, snapshot) : null,
        renderConversation(conversation),
      ),
    );
    return;
  }
  if (page.view === 'home') {
    elements.title.textContent = `${snapshot.bot.name} · Home`;
    elements.subtitle.textContent = `The App Home tab as ${snapshot.person.realName} sees it.`;
    drawIfChanged('pane', [snapshot.home, snapshot.people], () =>
      snapshot.home === null
        ? h('p', { class: 'panel-empty', text: 'Opening Home…' })
        : h(
            'div',
            { class: 'home-view' },
            renderBlocks(snapshot.home.blocks, blockContextFor(context, { viewId: snapshot.home.id })),
          ),
    );
    return;
  }
  if (page.view === 'outbox') {
    elements.title.textContent = 'Mail outbox';
    elements.subtitle.textContent = 'Every email billops sent, caught on this machine: nothing leaves it.';
    drawIfChanged('pane', page.outbox, () =>
      h('div', { class: 'panel' }, renderOutbox(page.outbox.emails, page.outbox.available)),
    );
    return;
  }
  if (page.view === 'erp') {
    elements.title.textContent = 'Xero sandbox';
    elements.subtitle.textContent =
      'Invoices billops posted to the local Xero organisation, as Xero holds them.';
    drawIfChanged('pane', page.erp, () =>
      // NOTE: on a phone the table scrolls sideways inside this region, not the page.
      h(
        'div',
        { class: 'panel erp-panel', role: 'region', 'aria-label': 'Invoices in Xero' },
        renderErp(page.erp.invoices, page.erp.available),
      ),
    );
    return;
  }
  showView(DEFAULT_VIEW);
}

/**
 * Draws the pane only when what it shows changed. A conversation opens at its newest message, at the
 * bottom, and stays there as messages arrive; the outbox, Xero and Home list their newest first, so
 * they open at the top.
 * @param {string} pane @param {unknown} data @param {() => Node} draw
 */
function drawIfChanged(pane, data, draw) {
  const key = JSON.stringify([page.view, page.userId, data]);
  if (page.drawn.get(pane) === key) return;
  page.drawn.set(pane, key);
  const body = elements.body;
  const opened = body.dataset.view !== page.view;
  const atBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 40;
  body.dataset.view = page.view;
  body.replaceChildren(draw());
  for (const region of body.querySelectorAll('.erp-panel')) {
    if (region instanceof HTMLElement) keyboardScrollable(region);
  }
  const newestAtBottom = !PLACES.includes(page.view);
  if (opened) body.scrollTop = newestAtBottom ? body.scrollHeight : 0;
  else if (newestAtBottom && atBottom) body.scrollTop = body.scrollHeight;
}

/**
 * Who is in the channel, with Remove beside each and Invite for the rest, the bot included: as in
 * Slack, billops can post only where it was invited (`/invite @billops`).
 * @param {ConversationView} conversation @param {Snapshot} snapshot
 */
function renderMembers(conversation, snapshot) {
  const inside = new Set(conversation.members.map((member) => member.id));
  const outside = [
    { id: snapshot.bot.id, name: snapshot.bot.name, isBot: true },
    ...snapshot.people.map((person) => ({ id: person.id, name: person.realName, isBot: false })),
  ].filter((member) => !inside.has(member.id));
  /** @param {string} memberId @param {'invite' | 'remove'} action */
  const change = (memberId, action) =>
    act(() => postJson('/local/members', { channelId: conversation.id, memberId, action }));
  return h(
    'div',
    { class: 'channel-members' },
    inside.has(snapshot.bot.id)
      ? null
      : h('p', {
          class: 'channel-warning',
          text: `${snapshot.bot.name} is not in #${conversation.name}: Slack refuses its posts here (not_in_channel) until someone types /invite @${snapshot.bot.name}.`,
        }),
    h('span', { text: 'In this channel: ' }),
    conversation.members.map((member) =>
      h(
        'span',
        { class: 'member' },
        member.isBot ? `@${member.name}` : member.name,
        h('button', {
          type: 'button',
          class: 'sk-button small',
          text: 'Remove',
          'aria-label': `Remove ${member.name} from #${conversation.name}`,
          onclick: () => void change(member.id, 'remove'),
        }),
      ),
    ),
    outside.map((member) =>
      h('button', {
        type: 'button',
        class: 'sk-button small',
        text: `Invite ${member.isBot ? `@${member.name}` : member.name}`,
        onclick: () => void change(member.id, 'invite'),
      }),
    ),
  );
}

/** @param {ConversationView} conversation */
function renderConversation(conversation) {
  if (conversation.messages.length === 0) {
    return h(
      'div',
      { class: 'channel-empty' },
      h('p', { text: `This is the very beginning of #${conversation.name}.` }),
      h('p', {
        text: 'Type /invoice help below to see what billops does, or /invoice run to start a billing run.',
      }),
    );
  }
  return h(
    'div',
    { class: 'messages' },
    conversation.messages.map((message) => renderMessage(message, context)),
  );
}

/** @param {ThreadSnapshot} thread */
function renderThread(thread) {
  const key = JSON.stringify([page.userId, thread, page.snapshot?.people]);
  if (page.drawn.get('thread') === key) return;
  page.drawn.set('thread', key);
  elements.threadTitle.textContent = `Thread in #${context.channelName(thread.channel)}`;
  elements.threadBack.setAttribute('aria-label', `Back to #${context.channelName(thread.channel)}`);
  elements.threadBody.replaceChildren(
    renderMessage(thread.parent, context, { inThread: true }),
    h('div', {
      class: 'thread-count',
      text: `${thread.replies.length} ${thread.replies.length === 1 ? 'reply' : 'replies'}`,
    }),
    ...thread.replies.map((reply) => renderMessage(reply, context, { inThread: true })),
  );
  keyboardScrollable(elements.threadBody);

  elements.thread.hidden = false;
  if (page.threadPending) {
    page.threadPending = false;
    showPane('thread', elements.threadTitle);
  }
}

// ---- navigation ----

/**
 * Which pane a narrow screen shows: the channel list, a conversation (or place), or a thread. Where
 * they fit, the style sheet shows them side by side and ignores this. Focus left on what is now
 * hidden moves to `focus`, so a keyboard or screen reader follows the page.
 * @param {'places' | 'pane' | 'thread'} pane @param {HTMLElement | null} [focus]
 */
function showPane(pane, focus) {
  elements.layout.dataset.show = pane;
  const active = document.activeElement;
  const lost = !(active instanceof HTMLElement) || active === document.body || !active.checkVisibility();
  if (focus && lost) focus.focus();
}

/** @param {string} view */
function showView(view) {
  if (page.view === view) return;
  page.view = view;
  if (PLACES.includes(view)) closeThread();
  saveLocation();
  if (view === 'home') void openHome();
  render();
}

function openHome() {
  return act(() => postJson('/local/home', { userId: page.userId }));
}

/** @param {string} channel @param {string} ts */
function openThread(channel, ts) {
  page.threadOpen = { channel, ts };
  page.threadPending = true;
  page.drawn.delete('thread');
  void refreshSlack();
}

function closeThread() {
  page.threadOpen = null;
  page.threadPending = false;
  page.drawn.delete('thread');
  elements.thread.hidden = true;
  elements.threadBody.replaceChildren();
  if (elements.layout.dataset.show === 'thread') showPane('pane', elements.title);
}

function saveLocation() {
  const query = new URLSearchParams({ as: page.userId, view: page.view });
  window.history.replaceState(null, '', `?${query.toString()}`);
}

// ---- wiring ----

elements.people.addEventListener('change', () => {
  page.userId = elements.people.value;
  page.seen.clear();
  saveLocation();
  if (page.view === 'home') void openHome();
  void refreshSlack();
});

elements.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = elements.input.value.trim();
  if (text === '') return;
  elements.input.value = '';
  void act(() => postJson('/local/command', { userId: page.userId, channelId: page.view, text }));
});

byId('thread-close', HTMLButtonElement).addEventListener('click', closeThread);
elements.threadBack.addEventListener('click', closeThread);
byId('back-to-places', HTMLButtonElement).addEventListener('click', () => {
  const current = elements.layout.querySelector('button.place.current');
  showPane('places', current instanceof HTMLButtonElement ? current : elements.people);
});

elements.demoButton.addEventListener('click', () => {
  elements.demoButton.disabled = true;
  void postJson('/local/demo', {})
    .then((reply) => {
      const customers = String(reply.customers);
      const period = String(reply.periodLabel);
      toast(
        reply.created === true
          ? `Demo data loaded: ${customers} customers with usage for ${period}. Send /invoice run in #billing to bill it.`
          : `The demo data was already there (${customers} customers).`,
      );
      showPane('pane');
      showView(DEFAULT_VIEW);
      elements.input.value = '/invoice run';
      elements.input.focus();
    })
    .catch((/** @type {unknown} */ error) => {
      toast(error instanceof Error ? error.message : String(error), 'error');
    })
    .finally(() => {
      elements.demoButton.disabled = false;
      void refreshStatus();
    });
});

listenForChanges(
  (topics) => {
    if (topics.includes('slack')) void refreshSlack();
    if (topics.includes('outbox')) void refreshOutbox();
    if (topics.includes('erp')) void refreshErp();
    // The demo offer only matters while the database is empty; the first feed event always checks.
    if (topics.length === 3 || !elements.demo.hidden) void refreshStatus();
  },
  (live) => {
    elements.live.textContent = live ? '● live' : '○ reconnecting…';
    elements.live.className = live ? 'live-status live' : 'live-status';
  },
);
// A narrow screen opens on the channel list, as Slack's app does, unless the address names a view.
showPane(params.has('view') ? 'pane' : 'places');
saveLocation();
if (page.view === 'home') void openHome();
