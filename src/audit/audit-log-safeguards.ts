import { sql } from 'kysely';
import type { AuditConfig } from '../config.ts';
import type { Db } from '../db/database.ts';

export interface AuditLogSafeguards {
  role: string;
  superuser: boolean;
  /** The role owns audit_log (or is a member of its owner): it may ALTER TABLE … DISABLE TRIGGER. */
  ownsAuditLog: boolean;
}

/** Whether the role the app connects as could switch off audit_log's append-only triggers. */
export async function checkAuditLogSafeguards(db: Db): Promise<AuditLogSafeguards> {
  const { rows } = await sql<{ role: string; superuser: boolean; owns_audit_log: boolean }>`
    select current_user as role,
      coalesce((select rolsuper from pg_roles where rolname = current_user), false) as superuser,
      pg_has_role(current_user, c.relowner, 'MEMBER') as owns_audit_log
    from pg_class c
    where c.oid = 'audit_log'::regclass`.execute(db);
  const row = rows[0];
  if (row === undefined) throw new Error('audit_log is missing: run the migrations');
  return { role: row.role, superuser: row.superuser, ownsAuditLog: row.owns_audit_log };
}

/** The start-up log lines about the audit log: how it is keyed, where it is anchored, who could bypass it. */
export async function describeAuditSetup(
  db: Db,
  audit: AuditConfig,
): Promise<{ level: 'info' | 'warn'; message: string }[]> {
  const lines: { level: 'info' | 'warn'; message: string }[] = [];
  const anchors = `heads anchored in ${audit.anchorFile} and the alerts channel`;
  if (audit.keySource === undefined) {
    lines.push({
      level: 'warn',
      message: `Audit log: not keyed (neither AUDIT_KEY nor ENCRYPTION_KEY is set), so someone who can write to the database can rewrite entries since the last anchor unnoticed; set AUDIT_KEY=$(openssl rand -hex 32) and keep it outside the database; ${anchors}`,
    });
  } else {
    const source = audit.keySource === 'AUDIT_KEY' ? 'AUDIT_KEY' : 'a key derived from ENCRYPTION_KEY';
    lines.push({ level: 'info', message: `Audit log: keyed with ${source}; ${anchors}` });
  }
  const guards = await checkAuditLogSafeguards(db);
  if (guards.superuser || guards.ownsAuditLog) {
    lines.push({
      level: 'warn',
      message: `Audit log: billops connects to Postgres as "${guards.role}", ${guards.superuser ? 'a superuser' : 'the owner of audit_log'}, which can switch off its append-only triggers; connect as a role that is neither, and migrate as the owner (README, Reliability)`,
    });
  }
  return lines;
}
