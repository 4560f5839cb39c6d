import { messageLink } from '../../blocks/app-home.ts';
import { formatAmount } from '../../blocks/slack-text.ts';
import {
  buildErpConnectedNotice,
  buildErpConnectionAlert,
  buildErpPausedAlert,
  buildErpResumedNotice,
} from '../../blocks/erp-alerts.ts';
import { buildErpFailureNotice, buildErpSyncedNotice } from '../../blocks/invoice-news.ts';
import type { Deps } from '../ports/deps.ts';
import { PROVIDER_NAMES } from './connect/connect-erp.ts';
import type { ErpProvider } from '../ports/erp-client.ts';
import type { CreditNoteSyncResult } from './sync-credit-note-to-erp.ts';
import type { ErpSyncResult } from './sync-invoices-to-erp.ts';
import { Decimal } from '../money/decimal.ts';
import { pdfFileName } from '../documents/pdf-file-name.ts';

type NewsDeps = Pick<Deps, 'db' | 'slack' | 'billing'>;

/**
 * Tells the invoice's thread what became of its ERP posting; a failure, or an ERP total or tax that
 * differs from ours, also goes to the alerts channel.
 */
export async function postErpOutcome(deps: NewsDeps, syncId: string, result: ErpSyncResult): Promise<void> {
  const row = await deps.db
    .selectFrom('erp_syncs')
    .innerJoin('invoices', 'invoices.id', 'erp_syncs.invoice_id')
    .select([
      'erp_syncs.provider',
      'invoices.number',
      'invoices.currency',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
    ])
    .where('erp_syncs.id', '=', syncId)
    .executeTakeFirst();
  if (row === undefined) return;
  const number = row.number ?? '';
  const thread =
    row.slack_channel_id === null || row.slack_thread_ts === null
      ? undefined
      : { channel: row.slack_channel_id, thread_ts: row.slack_thread_ts };
  if (result.code === 'synced') {
    const text = buildErpSyncedNotice({
      number,
      provider: row.provider,
      currency: row.currency,
      figures: result.figures,
    });
    if (thread !== undefined) await deps.slack.post({ ...thread, text });
    if (!result.figures.matches) await deps.slack.alert({ text });
    return;
  }
  if (result.code !== 'failed') return;
  const notice = buildErpFailureNotice({
    syncId,
    number,
    provider: row.provider,
    error: result.error.message,
    threadLink: thread === undefined ? null : messageLink(thread.channel, thread.thread_ts),
  });
  if (thread !== undefined) await deps.slack.post({ ...thread, ...notice });
  await deps.slack.alert(notice);
}

export type ErpConnectionNews =
  | { kind: 'needs_connecting'; provider: ErpProvider; message: string; waiting: number }
  | { kind: 'paused'; provider: ErpProvider; until: Date; waiting: number }
  | { kind: 'resumed'; provider: ErpProvider }
  | { kind: 'connected'; provider: ErpProvider; tenantName: string | null; userId: string; waiting: number };

/** News about the ERP connection itself: problems to the alerts channel, a new connection to billing. */
export async function postErpConnectionNews(
  deps: Pick<Deps, 'slack' | 'billing'>,
  news: ErpConnectionNews,
): Promise<void> {
  const providerName = PROVIDER_NAMES[news.provider];
  const { alertsChannel, billingChannel } = deps.billing.slack;
  switch (news.kind) {
    case 'needs_connecting':
      await deps.slack.post({
        channel: alertsChannel,
        ...buildErpConnectionAlert({ ...news, providerName, reconnect: true }),
      });
      return;
    case 'paused':
      await deps.slack.post({
        channel: alertsChannel,
        ...buildErpPausedAlert({ ...news, providerName }),
      });
      return;
    case 'resumed':
      await deps.slack.post({ channel: alertsChannel, ...buildErpResumedNotice(providerName) });
      return;
    case 'connected':
      await deps.slack.post({
        channel: billingChannel,
        ...buildErpConnectedNotice({ ...news, providerName }),
      });
      return;
  }
}

/** Posts a credit note's PDF in its invoice's thread (no thread, no post). */
export async function postCreditNotePdf(
  deps: NewsDeps,
  invoiceId: string,
  creditNoteNumber: string,
  pdf: Buffer,
): Promise<void> {
  const invoice = await deps.db
    .selectFrom('invoices')
    .select(['number', 'slack_channel_id', 'slack_thread_ts'])
    .where('id', '=', invoiceId)
    .executeTakeFirst();
  if (invoice?.slack_channel_id == null || invoice.slack_thread_ts === null) return;
  await deps.slack.upload({
    channel: invoice.slack_channel_id,
    thread_ts: invoice.slack_thread_ts,
    filename: pdfFileName(creditNoteNumber),
    content: pdf,
    title: creditNoteNumber,
    comment: `Credit note ${creditNoteNumber} for ${invoice.number ?? 'this invoice'}: the PDF.`,
  });
}

/**
 * Tells the invoice's thread what became of a credit note's ERP posting; a failure, or an ERP total
 * that differs from ours, also goes to the alerts channel.
 */
export async function postCreditNoteErpOutcome(
  deps: NewsDeps,
  syncId: string,
  result: CreditNoteSyncResult,
): Promise<void> {
  if (result.code !== 'synced' && result.code !== 'failed') return;
  const row = await deps.db
    .selectFrom('erp_credit_note_syncs')
    .innerJoin('credit_notes', 'credit_notes.id', 'erp_credit_note_syncs.credit_note_id')
    .innerJoin('invoices', 'invoices.id', 'credit_notes.invoice_id')
    .select([
      'erp_credit_note_syncs.provider',
      'credit_notes.number as credit_note_number',
      'credit_notes.amount',
      'credit_notes.currency',
      'invoices.number',
      'invoices.slack_channel_id',
      'invoices.slack_thread_ts',
    ])
    .where('erp_credit_note_syncs.id', '=', syncId)
    .executeTakeFirst();
  if (row === undefined) return;
  const provider = PROVIDER_NAMES[row.provider];
  const thread =
    row.slack_channel_id === null || row.slack_thread_ts === null
      ? undefined
      : { channel: row.slack_channel_id, thread_ts: row.slack_thread_ts };
  const link = thread === undefined ? '' : ` (<${messageLink(thread.channel, thread.thread_ts)}|thread>)`;
  let text: string;
  let alert: boolean;
  const money = (amount: string) => formatAmount(amount, row.currency);
  if (result.code === 'synced') {
    const allocated = new Decimal(result.allocated).isZero()
      ? ''
      : `, ${money(result.allocated)} allocated to ${row.number ?? 'the invoice'}`;
    text = result.totalMatches
      ? `:white_check_mark: Credit note ${row.credit_note_number} posted to ${provider}${allocated}.`
      : `:warning: Credit note ${row.credit_note_number} posted to ${provider}, but ${provider} totals it ${money(result.erpTotal)}, not ${money(row.amount)}${allocated}.`;
    alert = !result.totalMatches;
  } else {
    text = `:x: Credit note ${row.credit_note_number} for ${row.number ?? 'an invoice'} was not posted to ${provider}: ${result.error.message}`;
    alert = true;
  }
  if (thread !== undefined) await deps.slack.post({ ...thread, text });
  if (alert) {
    await deps.slack.alert({ text: `${text}${link}` });
  }
}
