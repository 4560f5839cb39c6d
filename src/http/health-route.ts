import type { CustomRoute } from '@slack/bolt';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { JobRunnerState } from '../jobs/job-runner.ts';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: 'up' | 'down';
  jobs: JobRunnerState;
}

const DB_CHECK_TIMEOUT_MS = 2000;

/** Database reachable and job runner running → 200; anything else → 503 with the failing part. */
export async function checkHealth(db: Db, jobsState: () => JobRunnerState): Promise<HealthReport> {
  const database = await pingDatabase(db);
  const jobs = jobsState();
  return { status: database === 'up' && jobs === 'running' ? 'ok' : 'unavailable', database, jobs };
}

async function pingDatabase(db: Db): Promise<'up' | 'down'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'down'>((resolve) => {
    timer = setTimeout(() => {
      resolve('down');
    }, DB_CHECK_TIMEOUT_MS);
  });
  const ping = sql`select 1`.execute(db).then(
    () => 'up' as const,
    () => 'down' as const,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoute(report: () => Promise<HealthReport>): CustomRoute {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_req, res) => {
      void report().then((health) => {
        res.writeHead(health.status === 'ok' ? 200 : 503, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
        });
        res.end(JSON.stringify(health));
      });
    },
  };
}
