import { sql, type Kysely } from 'kysely';

// A Slack channel billops could not post to (not invited, archived, gone), reported once to the team
// with how to fix it; the row goes when a post there succeeds again, so a later problem is told anew.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table slack_channel_problems (
      channel text primary key check (length(channel) between 1 and 100),
      reason text not null check (length(reason) between 1 and 100),
      first_seen_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table slack_channel_problems`.execute(db);
}
