import type { Db } from '../db/database.ts';
import type { DeliveryState } from '../db/schema.ts';
import { cancelUnowedReminder, reminderStillOwed } from './cancel-unowed-reminder.ts';
import { loadDelivery, type DeliveryRow } from './delivery-row.ts';
import { InvalidEmailError, parseMailbox } from './mail-address.ts';
import type { Mailer, OutgoingMail, SendOutcome } from '../ports/mailer.ts';

export type DeliveryResult =
  | { code: 'sent'; deliveryId: string; messageId: string; response: string; rejected: string[] }
  /** Nothing to do: already sent, failed, cancelled or uncertain (a person decides), or being sent now. */
  | { code: 'already_done'; deliveryId: string; state: DeliveryState }
  /** Nothing was delivered and trying again may work: the job should be retried with backoff. */
  | { code: 'retry_later'; deliveryId: string; error: string; attempts: number }
  | { code: 'failed'; deliveryId: string; error: string }
  | { code: 'uncertain'; deliveryId: string; error: string }
  /** A reminder whose invoice was paid or voided (or its customer opted out) before it went out. */
  | { code: 'cancelled'; deliveryId: string; reason: string }
  | { code: 'not_found' };

/** What the composer gets: the ledger row being sent. Its message id is the one the email carries. */
export type DeliveryToSend = Pick<
  DeliveryRow,
  'id' | 'invoiceId' | 'kind' | 'recipients' | 'cc' | 'messageId'
> & {
  attempt: number;
};

export interface SendInvoiceEmailDeps {
  db: Db;
  mailer: Mailer;
  clock: { now(): Date };
}

export interface SendInvoiceEmailOptions {
  /** After this many attempts a transient failure fails the delivery instead of queueing it again. */
  maxAttempts?: number;
}

// NOTE: keep equal to the send_invoice_email job's max_attempts (queueInvoiceEmail), so the ledger
// gives up on the same attempt as the queue and the row never stays queued with no job left.
// NOTE: graphile-worker backs off exponentially; 10 attempts span about 10 hours of a server being down.
export const DEFAULT_MAX_ATTEMPTS = 10;

/**
 * Sends one delivery's email at most once. The row is claimed (queued → sending) and committed before
 * any SMTP, so a crash or a second worker can never send it again: a row left in `sending` becomes
 * `uncertain` (markStuckDeliveries) for a person, never `queued`. Only a send that certainly did not
 * deliver goes back to `queued`.
 */
export async function sendInvoiceEmail(
  deps: SendInvoiceEmailDeps,
  deliveryId: string,
  compose: (delivery: DeliveryToSend) => Promise<OutgoingMail>,
  options: SendInvoiceEmailOptions = {},
): Promise<DeliveryResult> {
  if (deps.db.isTransaction) {
    throw new Error('sendInvoiceEmail must not run in a transaction: its claim has to commit before SMTP');
  }
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const row = await loadDelivery(deps.db, deliveryId);
  if (row === undefined) return { code: 'not_found' };
  if (row.state !== 'queued') return { code: 'already_done', deliveryId, state: row.state };

  // The claim: a single autocommitted UPDATE, so it is durable before the mail server hears from us.
  // A reminder is claimed only while its invoice is still owed: a payment or void stops it at once.
  const claimed = await deps.db
    .updateTable('deliveries')
    .set((eb) => ({ state: 'sending', attempts: eb('attempts', '+', 1), last_attempt_at: deps.clock.now() }))
    .where('id', '=', deliveryId)
    .where('state', '=', 'queued')
    .where((eb) => eb.or([eb('kind', '!=', 'reminder'), reminderStillOwed(eb)]))
    .returning('attempts')
    .executeTakeFirst();
  if (claimed === undefined) {
    const now = await loadDelivery(deps.db, deliveryId);
    if (now === undefined) return { code: 'not_found' };
    if (now.state === 'queued' && now.kind === 'reminder') {
      const cancelled = await cancelUnowedReminder(deps.db, deliveryId, deps.clock.now());
      if (cancelled.code === 'cancelled') return cancelled;
      return { code: 'already_done', deliveryId, state: cancelled.state ?? now.state };
    }
    return { code: 'already_done', deliveryId, state: now.state };
  }
  const attempt = claimed.attempts;
  const record = recorder(deps, deliveryId, attempt);

  let composed: OutgoingMail;
  try {
    composed = await compose({
      id: row.id,
      invoiceId: row.invoiceId,
      kind: row.kind,
      recipients: row.recipients,
      cc: row.cc,
      messageId: row.messageId,
      attempt,
    });
  } catch (error) {
    if (error instanceof InvalidEmailError) {
      await record.finish('failed', { error: error.message });
      return { code: 'failed', deliveryId, error: error.message };
    }
    // Nothing reached a mail server, so the row can safely go back to the queue.
    await record.finish('queued', { error: `The email could not be prepared: ${errorMessage(error)}` });
    throw error;
  }
  // The ledger's Message-ID wins: every attempt at this delivery carries the same one.
  const mail: OutgoingMail = { ...composed, messageId: row.messageId };
  const sentTo = attemptedRecipients(mail);

  let outcome: SendOutcome;
  try {
    outcome = await deps.mailer.send(mail);
  } catch (error) {
    // A Mailer should not throw; when one does we cannot know what reached the server.
    outcome = {
      outcome: 'uncertain',
      code: 'unexpected_error',
      message: `Sending stopped with an unexpected error, so the customer may or may not have the email: ${errorMessage(error)}`,
    };
  }

  switch (outcome.outcome) {
    case 'sent': {
      const error =
        outcome.rejected.length === 0
          ? null
          : `The mail server did not accept: ${outcome.rejected.join(', ')}`;
      await record.sent({ ...sentTo, smtp_response: outcome.response, error });
      return {
        code: 'sent',
        deliveryId,
        messageId: row.messageId,
        response: outcome.response,
        rejected: outcome.rejected,
      };
    }
    case 'transient': {
      if (attempt >= maxAttempts) {
        const error = `Gave up after ${attempt} attempts. ${outcome.message}`;
        await record.finish('failed', { ...sentTo, error });
        return { code: 'failed', deliveryId, error };
      }
      const error = `${outcome.message} billops will try again.`;
      await record.finish('queued', { ...sentTo, error });
      return { code: 'retry_later', deliveryId, error, attempts: attempt };
    }
    case 'permanent':
      await record.finish('failed', { ...sentTo, error: outcome.message });
      return { code: 'failed', deliveryId, error: outcome.message };
    case 'uncertain':
      await record.finish('uncertain', { ...sentTo, error: outcome.message });
      return { code: 'uncertain', deliveryId, error: outcome.message };
  }
}

interface Outcome {
  recipients?: string[];
  cc?: string[];
  error: string | null;
}

/** Writes the attempt's outcome, but only onto this attempt's claim (state sending, same attempt count). */
function recorder(deps: SendInvoiceEmailDeps, deliveryId: string, attempt: number) {
  const fromOurClaim = (state: DeliveryState) =>
    deps.db
      .updateTable('deliveries')
      .where('id', '=', deliveryId)
      .where('state', '=', state)
      .where('attempts', '=', attempt);
  return {
    async finish(state: 'queued' | 'failed' | 'uncertain', outcome: Outcome): Promise<void> {
      await fromOurClaim('sending')
        .set({ state, ...outcome })
        .execute();
    },
    async sent(outcome: Outcome & { smtp_response: string }): Promise<void> {
      const values = { state: 'sent' as const, sent_at: deps.clock.now(), ...outcome };
      const updated = await fromOurClaim('sending').set(values).executeTakeFirst();
      if (updated.numUpdatedRows === 0n) {
        // The sweeper took a slow send for a crashed one; the server's reply settles it.
        await fromOurClaim('uncertain').set(values).execute();
      }
    },
  };
}

/**
 * The addresses the email was addressed to, for the ledger; nothing when they cannot be read (the
 * mailer refuses such an email, and the row keeps what it had; it also refuses an empty list).
 */
function attemptedRecipients(mail: OutgoingMail): { recipients?: string[]; cc?: string[] } {
  try {
    const recipients = mail.to.map((value) => parseMailbox(value, 'To').address);
    const cc = mail.cc.map((value) => parseMailbox(value, 'Cc').address);
    return recipients.length === 0 ? {} : { recipients, cc };
  } catch {
    return {};
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
