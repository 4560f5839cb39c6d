import { sql, type Kysely } from 'kysely';

// Lines added to a finalized invoice are refused once per statement instead of once per row: a billing
// run writes tens of thousands of lines in a few COPY statements, and one join over the statement's new
// lines costs a fraction of a lookup per line. Changing or deleting lines stays checked per row.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function refuse_lines_added_to_finalized_invoices() returns trigger language plpgsql as $$
    declare
      finalized text;
    begin
      select i.number into finalized from added_lines l join invoices i on i.id = l.invoice_id
        where i.number is not null
        limit 1;
      if finalized is not null then
        raise exception 'invoice % is finalized: its lines cannot change; issue a credit note', finalized
          using errcode = 'integrity_constraint_violation';
      end if;
      return null;
    end $$;
    drop trigger invoice_lines_immutable_once_finalized on invoice_lines;
    create trigger invoice_lines_immutable_once_finalized before update or delete on invoice_lines
      for each row execute function refuse_finalized_line_changes();
    create trigger invoice_lines_added_before_finalizing after insert on invoice_lines
      referencing new table as added_lines
      for each statement execute function refuse_lines_added_to_finalized_invoices();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger invoice_lines_added_before_finalizing on invoice_lines;
    drop function refuse_lines_added_to_finalized_invoices();
    drop trigger invoice_lines_immutable_once_finalized on invoice_lines;
    create trigger invoice_lines_immutable_once_finalized before insert or update or delete on invoice_lines
      for each row execute function refuse_finalized_line_changes();
  `.execute(db);
}
