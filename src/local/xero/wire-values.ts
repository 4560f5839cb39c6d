import { Decimal } from '../../money/decimal.ts';

// Reading loosely typed values out of PascalCase request JSON, the way Xero accepts them.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A number or numeric string as an exact decimal; `invalid` when present but not a number. */
export function decimal(value: unknown): Decimal | 'invalid' | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(String(value)) : 'invalid';
  if (typeof value === 'string' && /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value.trim())) {
    return new Decimal(value.trim());
  }
  return 'invalid';
}

export function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

export type DayValue = { day: string } | 'invalid' | undefined;

/** "2024-01-31", "2024-01-31T00:00:00" or "/Date(1706659200000+0000)/" → { day: "2024-01-31" }. */
export function dayOf(value: unknown): DayValue {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return 'invalid';
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (ms?.[1] !== undefined) return { day: new Date(Number(ms[1])).toISOString().slice(0, 10) };
  const day = /^(\d{4}-\d{2}-\d{2})(T[\d:.]+Z?)?$/.exec(value)?.[1];
  if (day === undefined) return 'invalid';
  const parsed = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day ? 'invalid' : { day };
}
