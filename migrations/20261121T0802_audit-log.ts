import { sql, type Kysely } from 'kysely';

// Append-only, hash-chained audit log. Each row's hash covers its content and the previous row's hash,
// and seq has no gaps, so an edited, inserted or removed row breaks the chain.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_log (
      seq bigint primary key check (seq > 0),
      at timestamptz not null,
      actor text not null,
      action text not null,
      subject_type text not null,
      subject_id text not null,
      details jsonb not null default '{}',
      prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
      hash text not null unique check (hash ~ '^[0-9a-f]{64}$')
    );
    create index audit_log_subject_idx on audit_log (subject_type, subject_id);

    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end;
    $$;

    create trigger audit_log_no_update_delete before update or delete on audit_log
      for each row execute function audit_log_refuse_change();
    create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_refuse_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table audit_log;
    drop function audit_log_refuse_change();
  `.execute(db);
}
