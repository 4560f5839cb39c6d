import type { Db } from '../db/database.ts';
import type { JsonReply } from '../ports/json-reply.ts';
import type { Logger } from '../logger.ts';
import { countOf } from './intake-rows.ts';
import { recordUsage } from './record-usage.ts';

export const USAGE_EVENTS_LIMIT = 5000;

/**
 * `{ "events": [ … ] }` from the usage API or the usage webhook, all or nothing: one invalid event → 422
 * naming each problem, and nothing recorded. Resending a batch is safe (events are idempotent by id).
 */
export async function recordUsageBatch(
  db: Db,
  body: unknown,
  options: { source: string; logger: Logger },
): Promise<JsonReply> {
  const events = eventsOf(body);
  if (events === undefined) {
    return {
      status: 400,
      body: { error: 'Expected a JSON object { "events": [ … ] } with a list of usage events.' },
    };
  }
  if (events.length > USAGE_EVENTS_LIMIT) {
    return {
      status: 413,
      body: {
        error: `${countOf(events.length, 'event')} in one request; send at most ${USAGE_EVENTS_LIMIT.toLocaleString('en-US')} per request.`,
        limit: USAGE_EVENTS_LIMIT,
      },
    };
  }

  const outcome = await recordUsage(
    db,
    events.map((data, index) => ({ row: index, data })),
    {
      source: options.source,
      skipInvalid: false,
      rowLabel: (index) => `events[${index}]`,
    },
  );
  if (outcome.code === 'invalid_rows') {
    return {
      status: 422,
      body: {
        error:
          `${outcome.invalidRows.toLocaleString('en-US')} of ${countOf(outcome.rows, 'event')} ` +
          `${outcome.invalidRows === 1 ? 'is' : 'are'} invalid; nothing was recorded. Fix them and send the whole batch again.`,
        problems: outcome.problems.map(({ row, field, message }) => ({ index: row, field, message })),
      },
    };
  }
  options.logger.info({ events: events.length, source: options.source, ...outcome.counts }, 'Recorded usage');
  return { status: 200, body: { recorded: outcome.counts.recorded, duplicates: outcome.counts.duplicates } };
}

function eventsOf(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('events' in body))
    return undefined;
  return Array.isArray(body.events) ? (body.events as unknown[]) : undefined;
}
