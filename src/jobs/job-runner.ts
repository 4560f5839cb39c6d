import {
  Logger as WorkerLogger,
  run,
  runMigrations,
  type LogLevel,
  type Runner,
  type TaskList,
} from 'graphile-worker';
import type pg from 'pg';
import type { Logger } from '../logger.ts';

export type JobRunnerState = 'running' | 'stopping' | 'stopped' | 'failed';

export interface JobRunner {
  state: () => JobRunnerState;
  events: Runner['events'];
  /** Stops taking jobs and waits for running ones to finish (up to the abort timeout). */
  stop: () => Promise<void>;
}

export interface JobRunnerOptions {
  pool: pg.Pool;
  taskList: TaskList;
  crontab?: string;
  concurrency: number;
  logger: Logger;
  /** How long a running job may take to finish after stop() before it is asked to abort. */
  shutdownTimeoutMs: number;
  pollIntervalMs?: number;
}

const PINO_METHOD: Record<`${LogLevel}`, 'error' | 'warn' | 'info' | 'debug'> = {
  error: 'error',
  warning: 'warn',
  info: 'info',
  debug: 'debug',
};

/**
 * Creates or updates graphile-worker's schema (graphile_worker.*), which enqueueing needs: a shell
 * command on a database `npm start` never ran queues jobs too. Quick when it is up to date.
 */
export async function migrateJobQueue(options: Pick<JobRunnerOptions, 'pool' | 'logger'>): Promise<void> {
  await runMigrations({ pgPool: options.pool, logger: workerLogger(options.logger) });
}

/** graphile-worker, in-process, on the app's own pool; it migrates its own schema on start. */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const log = options.logger.child({ part: 'jobs' });
  const runner = await run({
    pgPool: options.pool,
    taskList: options.taskList,
    crontab: options.crontab ?? '',
    concurrency: options.concurrency,
    pollInterval: options.pollIntervalMs ?? 2000,
    noHandleSignals: true,
    gracefulShutdownAbortTimeout: options.shutdownTimeoutMs,
    // NOTE: unbatched, graphile-worker records a finished job without awaiting it, so a stop could
    // leave a done job locked (and re-run hours later). Batchers are flushed by a graceful shutdown.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    logger: workerLogger(options.logger),
  });
  let state: JobRunnerState = 'running';
  runner.promise.then(
    () => {
      state = 'stopped';
    },
    (error: unknown) => {
      state = 'failed';
      log.error({ err: error }, 'Job runner stopped with an error');
    },
  );
  return {
    state: () => state,
    events: runner.events,
    stop: async () => {
      if (state !== 'running') return;
      state = 'stopping';
      await runner.stop();
      state = 'stopped';
    },
  };
}

function workerLogger(logger: Logger): WorkerLogger {
  const log = logger.child({ part: 'jobs' });
  return new WorkerLogger(() => (level, message, meta) => {
    log[PINO_METHOD[level]](meta ?? {}, message);
  });
}
