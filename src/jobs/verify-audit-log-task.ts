import { readAuditAnchors } from '../audit/audit-anchors.ts';
import { describeAuditFailure } from '../audit/describe-audit-verification.ts';
import { verifyAuditLog } from '../audit/verify-audit-log.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/** Nightly: re-walks the audit chain against its anchors so tampering is noticed even when nobody asks. */
export function verifyAuditLogTask(deps: Pick<Deps, 'db' | 'logger' | 'slack' | 'config'>) {
  return async (payload: unknown): Promise<void> => {
    parseJobPayload('verify_audit_log', payload);
    const anchors = await readAuditAnchors(deps.config.audit.anchorFile);
    const result = await verifyAuditLog(deps.db, { anchors });
    if (!result.ok) {
      const lines = describeAuditFailure(result);
      deps.logger.error({ seq: result.seq, problem: result.problem }, lines[0] ?? 'Audit log tampered');
      await deps.slack.alert({ text: `:rotating_light: ${lines.join('\n')}` }).catch((error: unknown) => {
        deps.logger.error({ err: error }, 'Could not post the audit log alert to Slack');
      });
      // Failing the job keeps the finding in graphile_worker's jobs table with its message.
      throw new Error(`Audit log verification failed: ${result.message}`);
    }
    deps.logger.info({ entries: result.entries, anchors: result.anchors }, 'Audit log verified');
  };
}
