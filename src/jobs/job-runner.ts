import {
  Logger as WorkerLogger,
  run,
  runMigrations,
  type LogLevel,
  type Runner,
  type TaskList,
  type WorkerEvents,
  type WorkerPool,
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
 * graphile-worker, in-process, on the app's own pool, kept alive. When its worker pool dies (graphile-
 * worker stops a pool that cannot record a job's outcome, as when Postgres restarts mid-job) or holds a
 * job none of its workers runs (a lock taken on a connection that died before the answer came back), a
 * fresh pool starts as soon as the database answers, and the old pool's locks are released the moment
 * its last worker has stopped: nothing waits for graphile-worker's 4-hour lock expiry, and no job still
 * running here loses its lock. Pools of dead processes are released by whichever instance notices
 * (worker-liveness.ts).
 *
 * NOTE: a pool is not awaited to its end: graphile-worker 0.17 can leave `runner.promise` pending for
 * good after a failed completeJobs batch (its batcher holds back-pressure that only a later success
 * lifts), so "stopped" here means "every worker of the pool has exited", which it always reaches.
 */
export async function startJobRunner(options: JobRunnerOptions): Promise<JobRunner> {
  const log = options.logger.child({ part: 'jobs' });
  const instanceId = randomUUID();
  const events: WorkerEvents = new EventEmitter();
  const beatMs = options.heartbeatMs ?? BEAT_MS;
  const deadAfterMs = beatMs * BEATS_TO_DEATH;

  let state: JobRunnerState = 'running';
  let current = await startPool(options, events);
  /** Pools of this process that still have workers (the current one, and old ones finishing a job). */
  const living = new Set<StartedPool>([current]);
  let healthySince: number | undefined;
  let checking = false;

  const retire = async (old: StartedPool): Promise<void> => {
    await drain(old, options.shutdownTimeoutMs);
    for (let attempt = 0; ; attempt += 1) {
      try {
        // NOTE: no worker of the old pool is left in this process, so nothing of it runs: its locks can go.
        await releaseDeadPools(options.pool, [old.poolId], { refundAttempts: true });
        living.delete(old);
        return;
      } catch {
        if (state === 'stopped') return;
        await delay(backoff(attempt));
      }
    }
  };

  const restart = async (reason: string): Promise<void> => {
    if (state !== 'running') return;
    state = 'restarting';
    log.warn({ reason, poolId: current.poolId }, 'Restarting the job runner');
    void retire(current);
    for (let attempt = 0; (state as JobRunnerState) === 'restarting'; attempt += 1) {
      try {
        const fresh = await startPool(options, events);
        if (state !== 'restarting') {
          // NOTE: the app was stopped meanwhile: this pool is not wanted.
          await drain(fresh, options.shutdownTimeoutMs);
          await forget(options.pool, fresh.poolId).catch(() => undefined);
          return;
        }
        current = fresh;
        living.add(fresh);
        watch(fresh);
        state = 'running';
        log.info({ poolId: fresh.poolId }, 'Job runner restarted');
      } catch (error) {
        log.warn({ err: error, attempt }, 'Job runner waits for the database to restart');
        await delay(backoff(attempt));
      }
    }
  };
  const watch = (started: StartedPool) => {
    const restartIfCurrent = (reason: string) => {
      if (started === current) void restart(reason);
    };
    started.runner.promise.then(
      () => {
        restartIfCurrent('the worker pool stopped');
      },
      (error: unknown) => {
        restartIfCurrent(`the worker pool exited: ${String(error)}`);
      },
    );
    started.fatal.then(restartIfCurrent, () => undefined);
  };
  watch(current);

  // Heartbeat and sweep: this process's pools say they are alive; dead pools' locks, and locks the
  // current pool holds on jobs none of its workers runs, are released.
  const check = async () => {
    await beat(
      options.pool,
      [...living].map((started) => started.poolId),
      instanceId,
    );
    healthySince ??= Date.now();
    if (Date.now() - healthySince < deadAfterMs) return;
    const held = await poolsHoldingLocks(options.pool, deadAfterMs);
    const ours = new Set([...living].map((started) => started.poolId));
    const dead = held.filter((entry) => !entry.alive && !ours.has(entry.poolId));
    if (dead.length > 0) {
      log.warn({ pools: dead.map((entry) => entry.poolId) }, 'Releasing jobs held by dead job pools');
      await releaseDeadPools(
        options.pool,
        dead.map((entry) => entry.poolId),
      );
    }
    // NOTE: graphile-worker 0.17 keeps the promise of its task ids (taskIdentifiers.ts getTaskDetails) for
    // the life of a runner, a rejected one too: a pool whose first fetch lost its connection fails every
    // fetch after it, without asking the database, while the database answers this check. Only a fresh
    // pool (a fresh cache) fetches again.
    const failing = current.fetching.failingSinceMs;
    if (state === 'running' && failing !== undefined && Date.now() - failing >= deadAfterMs) {
      void restart(
        `the worker pool cannot fetch jobs (${current.fetching.lastError}) while the database answers`,
      );
    }
    const mine = held.find((entry) => entry.poolId === current.poolId);
    const active = activeJobIds(current);
    if (state === 'running' && mine?.jobIds.some((jobId) => !active.has(jobId)) === true) {
      void restart('the worker pool holds a job none of its workers runs');
    }
    await pruneHeartbeats(options.pool);
  };
  const tick = async () => {
    if (state === 'stopping' || state === 'stopped' || checking) return;
    checking = true;
    try {
      // NOTE: bounded, so a query lost with its connection cannot stop the heartbeat for good.
      await withTimeout(check(), deadAfterMs);
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
      const pools = [...living];
      await Promise.all(pools.map((started) => drain(started, options.shutdownTimeoutMs)));
      await Promise.all(pools.map((started) => forget(options.pool, started.poolId).catch(() => undefined)));
      state = 'stopped';
    },
  };
}

interface StartedPool {
  runner: Runner;
  poolId: string;
  workerPool: WorkerPool;
  /** Since when every job fetch of this pool has failed (undefined while fetches succeed), and why. */
  fetching: { failingSinceMs: number | undefined; lastError: string };
  /** Resolves with a reason when graphile-worker reports the pool can no longer record outcomes. */
  fatal: Promise<string>;
}

async function startPool(options: JobRunnerOptions, events: WorkerEvents): Promise<StartedPool> {
  let workerPool: WorkerPool | undefined;
  const onCreate = (created: { workerPool: WorkerPool }) => {
    workerPool = created.workerPool;
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
    if (workerPool === undefined) throw new Error('graphile-worker started no worker pool');
    const own = workerPool;
    const fatal = new Promise<string>((resolve) => {
      const onFatal = ({ workerPool: failed, action }: { workerPool: WorkerPool; action: string }) => {
        if (failed !== own) return;
        events.off('pool:fatalError', onFatal);
        resolve(`the worker pool could not ${action}`);
      };
      events.on('pool:fatalError', onFatal);
    });
    const fetching = watchFetches(events, own);
    void runner.promise.finally(fetching.stop).catch(() => undefined);
    return { runner, poolId: own.id, workerPool: own, fatal, fetching: fetching.state };
  } finally {
    events.off('pool:create', onCreate);
  }
}

/** Follows whether the pool's workers can fetch jobs: a fetch that found a job or none resets it. */
function watchFetches(
  events: WorkerEvents,
  own: WorkerPool,
): { state: StartedPool['fetching']; stop: () => void } {
  const state: StartedPool['fetching'] = { failingSinceMs: undefined, lastError: '' };
  const fetched = ({ worker }: { worker: { workerPool: WorkerPool } }) => {
    if (worker.workerPool === own) state.failingSinceMs = undefined;
  };
  const failed = ({ worker, error }: { worker: { workerPool: WorkerPool }; error: unknown }) => {
    if (worker.workerPool !== own) return;
    state.failingSinceMs ??= Date.now();
    state.lastError = error instanceof Error ? error.message : String(error);
  };
  events.on('worker:getJob:empty', fetched);
  events.on('job:start', fetched);
  events.on('worker:getJob:error', failed);
  return {
    state,
    stop: () => {
      events.off('worker:getJob:empty', fetched);
      events.off('job:start', fetched);
      events.off('worker:getJob:error', failed);
    },
  };
}

/** The jobs the pool's workers are running right now. */
function activeJobIds(started: StartedPool): Set<string> {
  // NOTE: `_workers` is graphile-worker's own list (internal, typed); a worker leaves it when it exits.
  return new Set(
    started.workerPool._workers.flatMap((worker) => {
      const job = worker.getActiveJob();
      return job === null ? [] : [job.id];
    }),
  );
}

/**
 * Asks the pool to stop (running jobs finish, or are aborted after shutdownTimeoutMs) and waits until
 * every worker has exited, then a moment for the last outcomes to be recorded.
 */
async function drain(started: StartedPool, shutdownTimeoutMs: number): Promise<void> {
  const stopped = Promise.resolve(started.runner.stop()).then(() => started.runner.promise);
  stopped.catch(() => undefined);
  const settled = stopped.then(
    () => undefined,
    () => undefined,
  );
  while (started.workerPool._workers.length > 0) {
    await Promise.race([settled, delay(100)]);
    if (await isSettled(settled)) return;
  }
  await Promise.race([settled, delay(Math.min(shutdownTimeoutMs, 2000))]);
}

async function isSettled(promise: Promise<void>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(marker)])) !== marker;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const backoff = (attempt: number) => Math.min(1000 * 2 ** attempt, 5000);

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
