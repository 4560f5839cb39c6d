import {
  Logger as WorkerLogger,
  run,
  runMigrations,
  type LogLevel,
  type Runner,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { Logger } from '../logger.ts';
import {
  BEAT_MS,
  beat,
  BEATS_TO_DEATH,
  forget,
  poolsHoldingLocks,
  pruneHeartbeats,
  releaseDeadPools,
} from './worker-liveness.ts';

/** `restarting`: a fresh worker pool is on its way (the database went away, or the pool died). */
export type JobRunnerState = 'running' | 'restarting' | 'stopping' | 'stopped';

export interface JobRunner {
  state: () => JobRunnerState;
  /** The same emitter across restarts. */
  events: WorkerEvents;
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
  /** How often this pool says it is alive and looks for dead pools' locks (tests shorten it). */
  heartbeatMs?: number;
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

/**
 * graphile-worker, in-process, on the app's own pool, kept alive: it migrates its own schema on start;
 * when its pool dies (graphile-worker stops a pool that cannot record a job's outcome, as when Postgres
 * restarts mid-job) or holds a job it is not running (a lock taken on a connection that died before the
 * answer came back), a fresh pool is started once the database answers and the old pool's locks are
 * released at once: nothing waits for graphile-worker's 4-hour lock expiry. Pools of dead processes are
 * released by whichever instance notices (worker-liveness.ts).
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const log = options.logger.child({ part: 'jobs' });
  const instanceId = randomUUID();
  const events: WorkerEvents = new EventEmitter();
  const running = new Set<string>();
  events.on('job:start', ({ job }) => running.add(job.id));
  events.on('job:complete', ({ job }) => running.delete(job.id));

  let state: JobRunnerState = 'running';
  let current = await startPool(options, events);
  const beatMs = options.heartbeatMs ?? BEAT_MS;
  const deadAfterMs = beatMs * BEATS_TO_DEATH;
  let healthySince: number | undefined;
  let checking = false;

  const restart = async (reason: string): Promise<void> => {
    if (state !== 'running') return;
    state = 'restarting';
    log.warn({ reason, poolId: current.poolId }, 'Restarting the job runner');
    const old = current;
    await old.runner.stop().catch(() => undefined);
    await old.runner.promise.catch(() => undefined);
    running.clear();
    for (let attempt = 0; (state as JobRunnerState) === 'restarting'; attempt += 1) {
      try {
        // NOTE: the old pool has stopped in this process, so nothing of it is running: its locks can go.
        await releaseDeadPools(options.pool, [old.poolId]);
        const fresh = await startPool(options, events);
        if (state !== 'restarting') {
          // NOTE: the app was stopped meanwhile: this pool is not wanted.
          await fresh.runner.stop().catch(() => undefined);
          return;
        }
        current = fresh;
        watch(current);
        state = 'running';
        log.info({ poolId: current.poolId }, 'Job runner restarted');
      } catch (error) {
        log.warn({ err: error, attempt }, 'Job runner waits for the database to restart');
        await delay(Math.min(1000 * 2 ** attempt, 5000));
      }
    }
  };
  const watch = (pool: StartedPool) => {
    pool.runner.promise.then(
      () => void restart('the worker pool stopped'),
      (error: unknown) => void restart(`the worker pool exited: ${String(error)}`),
    );
  };
  watch(current);

  // Heartbeat and sweep: this pool says it is alive; dead pools' locks, and locks this pool holds on
  // jobs it is not running, are released.
  const tick = async () => {
    if (state !== 'running' || checking) return;
    checking = true;
    try {
      await beat(options.pool, current.poolId, instanceId);
      healthySince ??= Date.now();
      if (Date.now() - healthySince < deadAfterMs) return;
      const held = await poolsHoldingLocks(options.pool, deadAfterMs);
      const dead = held.filter((entry) => !entry.alive && entry.poolId !== current.poolId);
      if (dead.length > 0) {
        log.warn({ pools: dead.map((entry) => entry.poolId) }, 'Releasing jobs held by dead job pools');
        await releaseDeadPools(
          options.pool,
          dead.map((entry) => entry.poolId),
        );
      }
      const mine = held.find((entry) => entry.poolId === current.poolId);
      if (mine !== undefined && mine.jobIds.some((jobId) => !running.has(jobId))) {
        void restart('the worker pool holds a job it is not running');
      }
      await pruneHeartbeats(options.pool);
    } catch {
      healthySince = undefined;
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void tick(), beatMs);
  timer.unref();
  void tick();

  return {
    state: () => state,
    events,
    stop: async () => {
      clearInterval(timer);
      if (state === 'stopping' || state === 'stopped') return;
      state = 'stopping';
      await current.runner.stop().catch(() => undefined);
      await current.runner.promise.catch(() => undefined);
      await forget(options.pool, current.poolId).catch(() => undefined);
      state = 'stopped';
    },
  };
}

interface StartedPool {
  runner: Runner;
  poolId: string;
}

async function startPool(options: JobRunnerOptions, events: WorkerEvents): Promise<StartedPool> {
  let poolId: string | undefined;
  const onCreate = ({ workerPool }: { workerPool: { id: string } }) => {
    poolId = workerPool.id;
  };
  events.on('pool:create', onCreate);
  try {
    const runner = await run({
      pgPool: options.pool,
      taskList: options.taskList,
      crontab: options.crontab ?? '',
      concurrency: options.concurrency,
      pollInterval: options.pollIntervalMs ?? 2000,
      noHandleSignals: true,
      gracefulShutdownAbortTimeout: options.shutdownTimeoutMs,
      events,
      // NOTE: unbatched, graphile-worker records a finished job without awaiting it, so a stop could
      // leave a done job locked (and re-run hours later). Batchers are flushed by a graceful shutdown.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      logger: workerLogger(options.logger),
    });
    if (poolId === undefined) throw new Error('graphile-worker started no worker pool');
    return { runner, poolId };
  } finally {
    events.off('pool:create', onCreate);
  }
}

const delay = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

function workerLogger(logger: Logger): WorkerLogger {
  const log = logger.child({ part: 'jobs' });
  return new WorkerLogger(() => (level, message, meta) => {
    log[PINO_METHOD[level]](meta ?? {}, message);
  });
}
