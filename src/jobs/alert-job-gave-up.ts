import { buildJobGaveUpAlert } from '../../blocks/job-alerts.ts';
import type { Deps } from '../ports/deps.ts';
import type { JobRunner } from './job-runner.ts';

/**
 * Every job that uses up its attempts is posted to the alerts channel with Retry: no failure in the
 * background stays in a log only.
 */
export function alertJobsThatGiveUp(deps: Pick<Deps, 'slack' | 'billing' | 'logger'>, jobs: JobRunner): void {
  jobs.events.on('job:failed', ({ job, error }) => {
    const message = buildJobGaveUpAlert({
      jobId: job.id,
      task: job.task_identifier,
      attempts: job.attempts,
      error: error instanceof Error ? error.message : String(error),
    });
    deps.slack.alert(message).catch((postError: unknown) => {
      deps.logger.error(
        { err: postError, jobId: job.id },
        'Could not post a failed job to the alerts channel',
      );
    });
  });
}
