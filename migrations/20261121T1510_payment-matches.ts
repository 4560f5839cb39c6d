import { sql, type Kysely } from 'kysely';

// A payment recorded by hand (/invoice paid) that the ERP later reports too is matched to the ERP's
// payment instead of being counted twice: the match is kept on the hand-recorded row. Each ERP payment
// (per invoice) is either recorded on its own row or matched to one row, never both (the code checks
// both keys under the invoice's lock; each key is unique on its own).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table payments
      add column matched_source text check (matched_source in ('xero', 'quickbooks')),
      add column matched_external_id text check (length(matched_external_id) between 1 and 200),
      add column matched_at timestamptz,
      -- The thread post saying so: its ledger, as slack_message_ts is the payment's.
      add column match_slack_ts text,
      add constraint payments_matches_hand_recorded check (matched_source is null or source = 'manual'),
      add constraint payments_match_whole check (
        (matched_source is null) = (matched_external_id is null)
        and (matched_source is null) = (matched_at is null)
      );
    create unique index payments_erp_payment_matched_once on payments (matched_source, matched_external_id, invoice_id)
      where matched_external_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index payments_erp_payment_matched_once;
    alter table payments
      drop constraint payments_match_whole,
      drop constraint payments_matches_hand_recorded,
      drop column match_slack_ts,
      drop column matched_at,
      drop column matched_external_id,
      drop column matched_source;
  `.execute(db);
}
