import { sql, type Kysely } from 'kysely';

// Each running job pool (graphile-worker locks jobs with its pool's id) says it is alive here every few
// seconds. A pool whose beat is older than a minute died with its process (kill -9, a lost machine), and
// the jobs and named queues it held are released for the living (src/jobs/worker-liveness.ts).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table worker_heartbeats (
      pool_id text primary key check (length(pool_id) between 1 and 100),
      instance_id text not null check (length(instance_id) between 1 and 100),
      started_at timestamptz not null default now(),
      beat_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table worker_heartbeats`.execute(db);
}
