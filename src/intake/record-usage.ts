import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { Decimal } from '../money/decimal.ts';
import { chunksOf, textIn } from './batch-queries.ts';
import { findCustomerIds, unknownCustomerProblems } from './find-customer-ids.ts';
import {
  importedRows,
  rejectRows,
  withoutProblems,
  type IntakeOutcome,
  type UsageCounts,
} from './intake-outcome.ts';
import {
  csvRowLabel,
  truncateInput,
  type IntakeProblem,
  type RowLabel,
  type SourceRow,
} from './intake-rows.ts';
import { USAGE_COLUMNS, usageEventSchema, type UsageEvent } from './usage-event-schema.ts';
import { validateRows, type ValidRow } from './validate-rows.ts';

export interface RecordUsageOptions {
  /** Where the events came from, kept on each record: `import:<file name>` or `api`. */
  source: string;
  /** Record the valid events and list the rest; otherwise one invalid event means nothing is recorded. */
  skipInvalid?: boolean;
  rowLabel?: RowLabel;
}

// NOTE: one statement per 1,000 events, each column one array parameter (unnest), so a 100,000-row file
// is 100 inserts and never near Postgres's 65,535-parameter limit.
const INSERT_BATCH = 1000;
const LOOKUP_BATCH = 10_000;

/** What makes two records of one event id the same event; properties do not count. */
interface EventFacts {
  customer: string;
  metric: string;
  quantity: Decimal | string;
  occurredAt: string;
}

/**
 * Records usage events, idempotent by event id: an event already recorded with the same customer, metric,
 * quantity and time is a duplicate and changes nothing; one recorded with other data is refused, and the
 * first record is kept. Shared by `npm run import -- usage` and `POST /api/usage`.
 */
export async function recordUsage(
  db: Db,
  events: readonly SourceRow[],
  options: RecordUsageOptions,
): Promise<IntakeOutcome<UsageCounts>> {
  const rowLabel = options.rowLabel ?? csvRowLabel;
  const { valid, problems } = validateRows(events, usageEventSchema, {
    noun: 'usage event',
    columns: USAGE_COLUMNS,
  });
  try {
    return await db.transaction().execute(async (trx) => {
      const customerIds = await findCustomerIds(
        trx,
        valid.map(({ value }) => value.customer),
      );
      problems.push(...unknownCustomerProblems(valid, customerIds));
      const groups = groupByEventId(withoutProblems(valid, problems));
      problems.push(...repeatedEventProblems(groups, rowLabel));
      const stored = await findRecordedEvents(trx, [...groups.keys()]);
      problems.push(...alreadyRecordedProblems(groups, stored));
      if (problems.length > 0 && options.skipInvalid !== true) return rejectRows(events.length, problems);

      const toRecord: (ValidRow<UsageEvent> & { customerId: string })[] = [];
      let duplicates = 0;
      for (const group of groups.values()) {
        const [first, ...repeats] = withoutProblems(group, problems);
        if (first === undefined) continue;
        duplicates += repeats.length;
        if (stored.has(first.value.event_id)) {
          duplicates += 1;
          continue;
        }
        const customerId = customerIds.get(first.value.customer);
        if (customerId !== undefined) toRecord.push({ ...first, customerId });
      }

      const recorded = new Set<string>();
      for (const batch of chunksOf(toRecord, INSERT_BATCH)) {
        for (const eventId of await insertEvents(trx, batch, options.source)) recorded.add(eventId);
      }
      // NOTE: an event another request recorded after our lookup was skipped by `on conflict do nothing`.
      const raced = toRecord.filter(({ value }) => !recorded.has(value.event_id));
      if (raced.length > 0) {
        const racedStored = await findRecordedEvents(
          trx,
          raced.map(({ value }) => value.event_id),
        );
        const lateProblems = alreadyRecordedProblems(groupByEventId(raced), racedStored);
        if (lateProblems.length > 0 && options.skipInvalid !== true) {
          throw new LateConflict([...problems, ...lateProblems]);
        }
        problems.push(...lateProblems);
        duplicates += raced.length - lateProblems.length;
      }
      return importedRows(events.length, { recorded: recorded.size, duplicates }, problems);
    });
  } catch (error) {
    if (error instanceof LateConflict) return rejectRows(events.length, error.problems);
    throw error;
  }
}

/** Rolls the transaction back when a conflicting event appeared while this batch was being recorded. */
class LateConflict extends Error {
  readonly problems: IntakeProblem[];
  constructor(problems: IntakeProblem[]) {
    super('an event id was recorded with other data by a concurrent request');
    this.problems = problems;
  }
}

function groupByEventId<T extends ValidRow<UsageEvent>>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(row.value.event_id);
    if (group === undefined) groups.set(row.value.event_id, [row]);
    else group.push(row);
  }
  return groups;
}

function factsOf(event: UsageEvent): EventFacts {
  return {
    customer: event.customer,
    metric: event.metric,
    quantity: event.quantity,
    occurredAt: event.occurred_at,
  };
}

/** "quantity 5", "customer \"acme\"", … for each fact that differs between two records of one event. */
function differences(a: EventFacts, b: EventFacts): { a: string[]; b: string[] } {
  const result = { a: [] as string[], b: [] as string[] };
  const add = (name: string, valueA: string, valueB: string) => {
    result.a.push(`${name} ${valueA}`);
    result.b.push(`${name} ${valueB}`);
  };
  if (a.customer !== b.customer) {
    add('customer', JSON.stringify(truncateInput(a.customer)), JSON.stringify(truncateInput(b.customer)));
  }
  if (a.metric !== b.metric) add('metric', JSON.stringify(a.metric), JSON.stringify(b.metric));
  if (!sameQuantity(a.quantity, b.quantity)) {
    add('quantity', truncateInput(a.quantity.toString()), truncateInput(b.quantity.toString()));
  }
  if (a.occurredAt !== b.occurredAt) add('occurred_at', displayTime(a.occurredAt), displayTime(b.occurredAt));
  return result;
}

function sameQuantity(a: Decimal | string, b: Decimal | string): boolean {
  return typeof a === 'string' ? (typeof b === 'string' ? a === b : b.equals(a)) : a.equals(b);
}

/** "2026-11-01T09:30:00.000000Z" → "2026-11-01T09:30:00Z"; "….120000Z" → "….12Z". */
function displayTime(canonical: string): string {
  return canonical.replace(/\.?0+Z$/, 'Z');
}

/** The same event id twice in one batch is fine with identical data; with different data, every copy is refused. */
function repeatedEventProblems(
  groups: ReadonlyMap<string, readonly ValidRow<UsageEvent>[]>,
  rowLabel: RowLabel,
): IntakeProblem[] {
  const problems: IntakeProblem[] = [];
  for (const [eventId, group] of groups) {
    if (group.length < 2) continue;
    for (const { row, value } of group) {
      const other = group.find(
        (candidate) =>
          candidate.row !== row && differences(factsOf(candidate.value), factsOf(value)).a.length > 0,
      );
      if (other === undefined) continue;
      const diff = differences(factsOf(other.value), factsOf(value));
      problems.push({
        row,
        field: 'event_id',
        message:
          `event ${JSON.stringify(truncateInput(eventId))} also appears in ${rowLabel(other.row)} with ` +
          `${diff.a.join(', ')} (this row has ${diff.b.join(', ')}); event ids must be unique`,
      });
    }
  }
  return problems;
}

/** Each event already in the database with other data is refused; the first record is kept. */
function alreadyRecordedProblems(
  groups: ReadonlyMap<string, readonly ValidRow<UsageEvent>[]>,
  stored: ReadonlyMap<string, EventFacts>,
): IntakeProblem[] {
  const problems: IntakeProblem[] = [];
  for (const [eventId, group] of groups) {
    const record = stored.get(eventId);
    if (record === undefined) continue;
    for (const { row, value } of group) {
      const diff = differences(record, factsOf(value));
      if (diff.a.length === 0) continue;
      const recordedWith = diff.a.filter((item) => !item.startsWith('occurred_at '));
      const described = recordedWith.length === 0 ? '' : ` with ${recordedWith.join(', ')}`;
      problems.push({
        row,
        field: 'event_id',
        message:
          `event ${JSON.stringify(truncateInput(eventId))} was already recorded${described} on ` +
          `${displayTime(record.occurredAt)} (this row has ${diff.b.join(', ')}); event ids must be unique, ` +
          'the first record is kept',
      });
    }
  }
  return problems;
}

async function findRecordedEvents(
  trx: Transaction<Database>,
  eventIds: readonly string[],
): Promise<Map<string, EventFacts>> {
  const stored = new Map<string, EventFacts>();
  for (const chunk of chunksOf(eventIds, LOOKUP_BATCH)) {
    const found = await trx
      .selectFrom('usage_records as u')
      .innerJoin('customers as c', 'c.id', 'u.customer_id')
      .select([
        'u.event_id',
        'c.external_id as customer',
        'u.metric',
        'u.quantity',
        sql<string>`to_char(u.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as(
          'occurred_at',
        ),
      ])
      .where(textIn('u.event_id', chunk))
      .execute();
    for (const record of found) {
      stored.set(record.event_id, {
        customer: record.customer,
        metric: record.metric,
        quantity: record.quantity,
        occurredAt: record.occurred_at,
      });
    }
  }
  return stored;
}

/** Inserts one batch with one array parameter per column; returns the event ids actually inserted. */
async function insertEvents(
  trx: Transaction<Database>,
  batch: readonly (ValidRow<UsageEvent> & { customerId: string })[],
  source: string,
): Promise<string[]> {
  const events = batch.map(({ value }) => value);
  const result = await sql<{ event_id: string }>`
    insert into usage_records (event_id, customer_id, metric, quantity, occurred_at, source, properties)
    select event_id, customer_id, metric, quantity, occurred_at, ${source}, properties
    from unnest(
      ${events.map((event) => event.event_id)}::text[],
      ${batch.map(({ customerId }) => customerId)}::uuid[],
      ${events.map((event) => event.metric)}::text[],
      ${events.map((event) => event.quantity.toFixed())}::numeric[],
      ${events.map((event) => event.occurred_at)}::timestamptz[],
      ${events.map((event) => JSON.stringify(event.properties))}::jsonb[]
    ) as incoming (event_id, customer_id, metric, quantity, occurred_at, properties)
    on conflict (event_id) do nothing
    returning event_id
  `.execute(trx);
  return result.rows.map((row) => row.event_id);
}
