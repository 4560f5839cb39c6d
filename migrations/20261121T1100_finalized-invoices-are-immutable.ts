import { sql, type Kysely } from 'kysely';

// A finalized invoice is a legal document: its amounts, dates, number and lines never change again
// (corrections are credit notes). Enforced here, not only in code. Also: where its PDF was posted.

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function refuse_finalized_invoice_changes() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.number is not null then
          raise exception 'invoice % (%) is finalized and cannot be deleted; void it with a credit note', old.number, old.id
            using errcode = 'integrity_constraint_violation';
        end if;
        return old;
      end if;
      if old.number is not null and (
        new.customer_id, new.run_id, new.currency, new.prices_include_tax, new.subtotal, new.discount_total,
        new.tax_total, new.total, new.period_start, new.period_end, new.issue_date, new.due_date, new.series,
        new.number, new.finalized_at, new.notes
      ) is distinct from (
        old.customer_id, old.run_id, old.currency, old.prices_include_tax, old.subtotal, old.discount_total,
        old.tax_total, old.total, old.period_start, old.period_end, old.issue_date, old.due_date, old.series,
        old.number, old.finalized_at, old.notes
      ) then
        raise exception 'invoice % is finalized: its amounts, dates and number cannot change; issue a credit note', old.number
          using errcode = 'integrity_constraint_violation';
      end if;
      return new;
    end $$;
    create trigger invoices_immutable_once_finalized before update or delete on invoices
      for each row execute function refuse_finalized_invoice_changes();

    create function refuse_finalized_line_changes() returns trigger language plpgsql as $$
    declare
      finalized text;
    begin
      select number into finalized from invoices
        where id in (coalesce(new.invoice_id, old.invoice_id), coalesce(old.invoice_id, new.invoice_id))
          and number is not null
        limit 1;
      if finalized is not null then
        raise exception 'invoice % is finalized: its lines cannot change; issue a credit note', finalized
          using errcode = 'integrity_constraint_violation';
      end if;
      return coalesce(new, old);
    end $$;
    create trigger invoice_lines_immutable_once_finalized before insert or update or delete on invoice_lines
      for each row execute function refuse_finalized_line_changes();

    alter table invoices add column pdf_slack_file_id text;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table invoices drop column pdf_slack_file_id;
    drop trigger invoice_lines_immutable_once_finalized on invoice_lines;
    drop function refuse_finalized_line_changes();
    drop trigger invoices_immutable_once_finalized on invoices;
    drop function refuse_finalized_invoice_changes();
  `.execute(db);
}
