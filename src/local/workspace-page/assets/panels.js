// @ts-check
// The services billops talks to on this machine: the mail outbox (every email, its headers, text and
// PDF) and the ERP sandbox (every invoice posted, with its number, contact, total and attachments).

import { formatBytes, fragment, h } from './dom.js';

/**
 * @typedef {{ index: number, fileName: string, contentType: string, size: number, url: string }} EmailAttachment
 * @typedef {{
 *   id: string, receivedAt: string, envelope: { from: string, to: string[] }, from: string, to: string,
 *   cc: string, replyTo: string, subject: string, date: string | null, messageId: string, text: string,
 *   attachments: EmailAttachment[],
 * }} EmailView
 * @typedef {{ id: string, fileName: string, mimeType: string, size: number, url: string }} ErpAttachment
 * @typedef {{
 *   invoiceId: string, number: string, reference: string | null, contact: string, status: string,
 *   currency: string, date: string, dueDate: string | null, subTotal: string, totalTax: string,
 *   total: string, lines: number, attachments: ErpAttachment[], updatedAt: string,
 * }} ErpInvoiceView
 */

/** @param {string | null} iso */
function formatDate(iso) {
  return iso === null ? '' : new Date(iso).toLocaleString();
}

/** @param {string} amount @param {string} currency */
function money(amount, currency) {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  // NOTE: display only; the amounts themselves stay the exact strings the sandbox holds.
  return new Intl.NumberFormat(undefined, { style: 'currency', currency, minimumFractionDigits: 2 }).format(
    value,
  );
}

/**
 * @param {EmailView[]} emails
 * @param {boolean} available
 */
export function renderOutbox(emails, available) {
  if (!available)
    return h('p', {
      class: 'panel-empty',
      text: 'SMTP_URL is set, so email goes to that server and not to a local outbox.',
    });
  if (emails.length === 0) {
    return h('p', {
      class: 'panel-empty',
      text: 'No email yet. Approve an invoice and its email lands here.',
    });
  }
  return fragment(...emails.map(renderEmail));
}

/** @param {EmailView} email */
function renderEmail(email) {
  /** @type {[string, string][]} */
  const headers = [
    ['From', email.from],
    ['To', email.to],
    ['Cc', email.cc],
    ['Reply-To', email.replyTo],
    ['Date', formatDate(email.date)],
    ['Message-ID', email.messageId],
    ['Envelope', `${email.envelope.from} → ${email.envelope.to.join(', ')}`],
  ];
  return h(
    'article',
    { class: 'email', 'aria-label': `Email: ${email.subject}` },
    h('h2', { class: 'email-subject', text: email.subject || '(no subject)' }),
    h(
      'dl',
      { class: 'email-headers' },
      headers
        .filter(([, value]) => value !== '')
        .flatMap(([name, value]) => [h('dt', { text: name }), h('dd', { text: value })]),
    ),
    email.attachments.length > 0
      ? h(
          'ul',
          { class: 'email-attachments' },
          email.attachments.map((attachment) =>
            h(
              'li',
              null,
              h(
                'a',
                { href: attachment.url, target: '_blank', rel: 'noopener', class: 'file-card' },
                h('span', {
                  class: 'file-icon',
                  'aria-hidden': 'true',
                  text: attachment.fileName.split('.').pop()?.toUpperCase() ?? 'FILE',
                }),
                h(
                  'span',
                  { class: 'file-details' },
                  h('span', { class: 'file-name', text: attachment.fileName }),
                  h('span', {
                    class: 'file-size',
                    text: `${formatBytes(attachment.size)} · ${attachment.contentType}`,
                  }),
                ),
              ),
            ),
          ),
        )
      : null,
    h(
      'details',
      { class: 'email-body', open: true },
      h('summary', { text: 'Text' }),
      h('pre', { text: email.text }),
    ),
  );
}

/**
 * @param {ErpInvoiceView[]} invoices
 * @param {boolean} available
 */
export function renderErp(invoices, available) {
  if (!available) {
    return h('p', {
      class: 'panel-empty',
      text: 'The ERP is not the local sandbox (ERP_PROVIDER is not local).',
    });
  }
  if (invoices.length === 0) {
    return h('p', {
      class: 'panel-empty',
      text: 'No invoice posted yet. Approved invoices are posted here once finalized.',
    });
  }
  const columns = [
    'Number',
    'Contact',
    'Date',
    'Due',
    'Status',
    'Subtotal',
    'Tax',
    'Total',
    'Lines',
    'Attachments',
  ];
  return h(
    'table',
    { class: 'erp-table' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        columns.map((column) => h('th', { scope: 'col', text: column })),
      ),
    ),
    h(
      'tbody',
      null,
      invoices.map((invoice) =>
        h(
          'tr',
          { 'data-invoice-number': invoice.number },
          h('td', { text: invoice.number }),
          h('td', { text: invoice.contact }),
          h('td', { text: invoice.date }),
          h('td', { text: invoice.dueDate ?? '' }),
          h(
            'td',
            null,
            h('span', { class: `erp-status ${invoice.status.toLowerCase()}`, text: invoice.status }),
          ),
          h('td', { class: 'amount', text: money(invoice.subTotal, invoice.currency) }),
          h('td', { class: 'amount', text: money(invoice.totalTax, invoice.currency) }),
          h('td', { class: 'amount total', text: money(invoice.total, invoice.currency) }),
          h('td', { class: 'amount', text: String(invoice.lines) }),
          h(
            'td',
            null,
            h('span', { class: 'attachment-count', text: String(invoice.attachments.length) }),
            invoice.attachments.map((attachment) =>
              h('a', {
                href: attachment.url,
                target: '_blank',
                rel: 'noopener',
                class: 'erp-attachment',
                text: attachment.fileName,
              }),
            ),
          ),
        ),
      ),
    ),
  );
}
