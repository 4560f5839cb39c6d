import { verifyAuditLog } from '../audit/verify-audit-log.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Nightly: re-walks the audit chain so tampering is noticed even when nobody asks. */
export function verifyAuditLogTask(deps: Pick<Deps, 'db' | 'logger'>) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('verify_audit_log', payload);
    const result = await verifyAuditLog(deps.db);
    if (!result.ok) {
      deps.logger.error(
        { seq: result.seq, problem: result.problem },
        `Audit log tampered: ${result.message}`,
      );
      // Failing the job keeps the finding in graphile_worker's jobs table with its message.
      throw new Error(`Audit log verification failed: ${result.message}`);
    }
    deps.logger.info({ entries: result.entries }, 'Audit log verified');
  };
}
