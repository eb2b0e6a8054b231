import type { Grade } from './input-row.ts';
import type { TariffCalendar } from './tariff-calendar.ts';

/**
 * A province's tariff book: the dated tables a delivered price is built from (DESIGN.md §4) — T&D by
 * regulatory period (per voltage level and structure, with capacity and demand charges, the line-loss
 * rate and government funds) and the grid-agency purchase components by month in force (energy,
 * line-loss charge, system-operation charge) — and the choice of the table in force on a date. The
 * seeded books are seeds/tariffs/supply-*.json; every figure carries its source and grade, and a
 * figure that stands in for one NOT FOUND says so (`estimated`: the rule, which a run repeats as a
 * warning).
 */

/** A figure of a tariff book, with its source and grade; `estimated` names the rule when it stands in for one not found. */
export interface BookFigure<T = number> {
  value: T;
  source: string;
  grade: Grade;
  estimated?: string;
}

/** Voltage level → figure (null where the table has none, e.g. two-part below 1 kV). */
export type ByVoltage = Record<string, number | null>;

/** One regulatory period's T&D table. */
export interface TdPeriod {
  id: string;
  label: string;
  /** ISO dates; `effectiveTo` null while in force. */
  effectiveFrom: string;
  effectiveTo: string | null;
  /** The rule by which the table stands in for one NOT FOUND (a warning when used). */
  estimated?: string;
  singlePartCnyPerKwh: ByVoltage;
  twoPartCnyPerKwh: ByVoltage;
  demandCnyPerKwMonth: ByVoltage;
  capacityCnyPerKvaMonth: ByVoltage;
  /** In-province on-grid line-loss rate (share). */
  lineLossRate: number;
  fundsCnyPerKwh: number;
  source: string;
  grade: Grade;
  fundsSource?: string;
  fundsGrade?: Grade;
}

/** The grid-agency purchase components in force from a date (a value, or twelve by month). */
export interface EnergyRecord {
  id: string;
  label: string;
  effectiveFrom: string;
  energyCnyPerKwh: BookFigure<number | number[]>;
  lineLossCnyPerKwh: BookFigure<number | number[]>;
  systemOperationCnyPerKwh: BookFigure<number | number[]>;
}

/** A province's tariff book. */
export interface TariffBook {
  province: string;
  td: TdPeriod[];
  energy: EnergyRecord[];
}

/** The first day of a month as an ISO date. */
export const monthStart = (year: number, month: number): string =>
  `${year}-${String(month).padStart(2, '0')}-01`;

/** `dated` items in force on `date`: the latest whose `effectiveFrom` ≤ date (and `effectiveTo` ≥ date, when given). */
function inForce<T extends { effectiveFrom: string; effectiveTo?: string | null }>(
  dated: readonly T[],
  date: string,
): T | undefined {
  let best: T | undefined;
  for (const d of dated) {
    if (d.effectiveFrom <= date && (d.effectiveTo == null || date <= d.effectiveTo)) {
      if (!best || d.effectiveFrom > best.effectiveFrom) best = d;
    }
  }
  return best;
}

/**
 * The item of `dated` in force on `date`, or — before the first — the earliest one, flagged `early`
 * (the caller warns that it was held back).
 *
 * @example
 * datedAt(book.td, '2027-01-01').item.id // → 'gansu-td-2026'
 */
export function datedAt<T extends { effectiveFrom: string; effectiveTo?: string | null }>(
  dated: readonly T[],
  date: string,
): { item: T; early: boolean } {
  const hit = inForce(dated, date);
  if (hit) return { item: hit, early: false };
  const sorted = [...dated].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  if (!sorted.length) throw new Error('datedAt: no dated item');
  // After the last one's end (none here is closed without a successor) the latest stands.
  return date < sorted[0].effectiveFrom
    ? { item: sorted[0], early: true }
    : { item: sorted[sorted.length - 1], early: false };
}

/**
 * The province's TOU calendar in force on `date` (drafts are never chosen by date), or the earliest
 * in force before any (flagged `early`); undefined when the province has none.
 *
 * @example
 * calendarAt(calendars, 'Gansu', '2024-08-01')?.item.id // → 'gansu-2024'
 */
export function calendarAt(
  calendars: readonly TariffCalendar[],
  province: string,
  date: string,
): { item: TariffCalendar; early: boolean } | undefined {
  const own = calendars.filter(
    (c) => c.province === province && c.status !== 'draft' && /^\d{4}-\d{2}-\d{2}$/.test(c.effectiveFrom),
  );
  return own.length ? datedAt(own, date) : undefined;
}

/** A book figure's value in month `m` (0–11). */
export const figureIn = (f: BookFigure<number | number[]>, m: number): number =>
  Array.isArray(f.value) ? f.value[m] : f.value;
