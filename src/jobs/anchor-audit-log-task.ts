import { anchorAuditLog } from '../audit/anchor-audit-log.ts';
import { describeAuditAnchor, describeAuditFailure } from '../audit/describe-audit-verification.ts';
import type { Deps } from '../ports/deps.ts';
import { parseJobPayload } from '../queue/job-payloads.ts';

/**
 * At a run's end and daily: verifies the audit chain and anchors its head outside the database, in the
 * anchor file and in the alerts channel; a broken chain is alerted instead (and never anchored).
 */
export function anchorAuditLogTask(deps: Pick<Deps, 'db' | 'logger' | 'slack' | 'clock' | 'config'>) {
  return async (payload: unknown): Promise<void> => {
    const { reason } = parseJobPayload('anchor_audit_log', payload);
    const result = await anchorAuditLog(deps.db, {
      anchorFile: deps.config.audit.anchorFile,
      reason,
      now: deps.clock.now(),
    });
    switch (result.code) {
      case 'empty':
        return;
      case 'anchored':
        deps.logger.info(
          { seq: result.anchor.seq, anchorFile: deps.config.audit.anchorFile },
          'Audit log head anchored',
        );
        // NOTE: the file is the anchor verification reads; a post Slack refused is logged, not retried.
        await deps.slack
          .alert({
            text: `Audit log anchor: ${describeAuditAnchor(result.anchor)}. Kept here and in the anchor file so a rewrite of the database shows: npm run audit -- verify checks it.`,
          })
          .catch((error: unknown) => {
            deps.logger.error({ err: error }, 'Could not post the audit log anchor to Slack');
          });
        return;
      case 'chain_broken': {
        const lines = describeAuditFailure(result.verification);
        deps.logger.error(
          { seq: result.verification.seq, problem: result.verification.problem },
          lines[0] ?? 'Audit log tampered',
        );
        await deps.slack.alert({ text: `:rotating_light: ${lines.join('\n')}` }).catch((error: unknown) => {
          deps.logger.error({ err: error }, 'Could not post the audit log alert to Slack');
        });
        throw new Error(`Audit log verification failed: ${result.verification.message}`);
      }
    }
  };
}
