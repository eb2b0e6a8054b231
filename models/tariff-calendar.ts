import { DAYS_IN_MONTH, HOURS_PER_YEAR, weekdayOfHour } from './calendar.ts';
import type { Grade } from './input-row.ts';

/**
 * Provincial time-of-use tariff calendars (DESIGN.md §4): period codes, price ratios by period and
 * month, their validation, and the period of every hour of a year. `tariff.ts` prices and bills on
 * them and re-exports every name of this file. The seeded calendars, with sources and grades, are in
 * `seeds/tariffs/`.
 */

/** Period code of the valley (off-peak) period. */
export const VALLEY = 0;
/** Period code of the flat (shoulder) period; its ratio is 1 by definition. */
export const FLAT = 1;
/** Period code of the peak period. */
export const PEAK = 2;
/** Period code of the critical-peak period (尖峰). */
export const CRITICAL = 3;
/** A period code: 0 valley, 1 flat, 2 peak, 3 critical. */
export type Period = 0 | 1 | 2 | 3;
/**
 * Names of the period codes, by code.
 *
 * @example
 * PERIOD_NAMES[PEAK] // → 'peak'
 */
export const PERIOD_NAMES = ['valley', 'flat', 'peak', 'critical'] as const;

/** Price of each period as a multiple of the flat-period price (flat = 1). */
export interface PeriodRatios {
  valley: number;
  flat: 1;
  peak: number;
  critical?: number;
}

/** Month number, 1 = January … 12 = December. */
export type MonthNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12;

/** Ratios that differ in some months (e.g. Hubei's Jan/Jul/Aug/Dec critical 2.0 and valley 0.45). */
export interface MonthRatioOverride {
  valley?: number;
  peak?: number;
  critical?: number;
}

/** Where one field of a calendar comes from (`field` names it: `weekday`, `ratios.peak`, …). */
export interface TariffSource {
  field: string;
  what: string;
  source: string;
  grade: Grade;
}

/** Lifecycle states of a calendar: a run on a draft or superseded one carries a warning. */
export const TARIFF_STATUSES = ['in-force', 'superseded', 'draft'] as const;

/** A provincial time-of-use calendar: which period each hour of each month is, and the price ratios. */
export interface TariffCalendar {
  id: string;
  province: string;
  label: string;
  /** ISO date the calendar took effect (a draft: the date of the draft). */
  effectiveFrom: string;
  /** ISO date of its last day in force; null (or absent) while in force. */
  effectiveTo?: string | null;
  status: (typeof TARIFF_STATUSES)[number];
  /** 12 months × 24 hours of period codes; hour h means h:00–(h+1):00 local standard time. */
  weekday: number[][];
  /** Optional matrix for Saturdays and Sundays (no seeded calendar has one). */
  weekend?: number[][];
  ratios: PeriodRatios;
  /** Month-specific ratio overrides, keyed by month 1–12 (JSON keys "1"–"12"). */
  monthRatios?: Partial<Record<MonthNumber, MonthRatioOverride>>;
  /**
   * The price components the ratios multiply (models/tariff.ts `PRICE_COMPONENTS`: energy, lineLoss,
   * td, systemOperation, funds); the others are charged flat. Absent: the energy price only.
   */
  floats?: string[];
  sources: TariffSource[];
}

/** Upper bound accepted for a period ratio: a sanity limit on input errors, not a tariff figure. */
const MAX_RATIO = 10;

/**
 * Check a calendar; throws a one-line `tariff.<id>.<field>: <rule>` error naming the cell or ratio.
 * Rules: 12 × 24 matrices of codes 0–3; a critical cell needs a critical ratio for its month;
 * 0 < valley ≤ 1 ≤ peak ≤ critical < 10 (with month overrides applied); month keys 1–12.
 *
 * @example
 * validateCalendar({ ...gansu2021, weekday: [[1]] }) // throws "tariff.gansu-2021.weekday: must have 12 months"
 */
export function validateCalendar(cal: TariffCalendar): void {
  const p = `tariff.${cal.id}`;
  if (typeof cal.id !== 'string' || cal.id.length === 0)
    throw new Error('tariff.id: must be a non-empty string');
  if (!(TARIFF_STATUSES as readonly string[]).includes(cal.status)) {
    throw new Error(`${p}.status: must be one of ${TARIFF_STATUSES.join(', ')}`);
  }
  if (cal.ratios?.flat !== 1) throw new Error(`${p}.ratios.flat: must be 1`);
  if (cal.monthRatios !== undefined) {
    for (const k of Object.keys(cal.monthRatios)) {
      const m = Number(k);
      if (!(Number.isInteger(m) && m >= 1 && m <= 12))
        throw new Error(`${p}.monthRatios.${k}: month must be 1–12`);
    }
  }
  for (let m = 0; m < 12; m++) {
    const where = cal.monthRatios?.[(m + 1) as MonthNumber] ? `monthRatios.${m + 1}` : 'ratios';
    const valley = periodRatio(cal, m + 1, VALLEY);
    const peak = periodRatio(cal, m + 1, PEAK);
    const critical = periodRatio(cal, m + 1, CRITICAL);
    if (!(valley !== undefined && valley > 0 && valley <= 1))
      throw new Error(`${p}.${where}.valley: must be in (0, 1]`);
    if (!(peak !== undefined && peak >= 1 && peak < MAX_RATIO)) {
      throw new Error(`${p}.${where}.peak: must be in [1, ${MAX_RATIO})`);
    }
    if (critical !== undefined && !(critical >= peak && critical < MAX_RATIO)) {
      throw new Error(`${p}.${where}.critical: must be in [peak, ${MAX_RATIO})`);
    }
  }
  const checkMatrix = (mat: number[][] | undefined, name: string) => {
    if (mat === undefined) return;
    if (!Array.isArray(mat) || mat.length !== 12) throw new Error(`${p}.${name}: must have 12 months`);
    for (let m = 0; m < 12; m++) {
      const row = mat[m];
      if (!Array.isArray(row) || row.length !== 24) throw new Error(`${p}.${name}[${m}]: must have 24 hours`);
      for (let h = 0; h < 24; h++) {
        const v = row[h];
        if (!(v === VALLEY || v === FLAT || v === PEAK || v === CRITICAL)) {
          throw new Error(`${p}.${name}[${m}][${h}]: period must be 0–3`);
        }
        if (v === CRITICAL && periodRatio(cal, m + 1, CRITICAL) === undefined) {
          throw new Error(`${p}.${name}[${m}][${h}]: critical period needs ratios.critical`);
        }
      }
    }
  };
  checkMatrix(cal.weekday, 'weekday');
  checkMatrix(cal.weekend, 'weekend');
  if (!Array.isArray(cal.sources)) throw new Error(`${p}.sources: must be an array`);
}

/**
 * Price ratio (× flat) of `period` in `month` (1–12), with the month's override if any; undefined for a
 * critical period the calendar does not price.
 *
 * @example
 * periodRatio(hubei2024Draft, 7, CRITICAL) // → 2 (July override; 1.8 in March)
 */
export function periodRatio(cal: TariffCalendar, month: number, period: number): number | undefined {
  const o = cal.monthRatios?.[month as MonthNumber];
  switch (period) {
    case VALLEY:
      return o?.valley ?? cal.ratios.valley;
    case FLAT:
      return 1;
    case PEAK:
      return o?.peak ?? cal.ratios.peak;
    default:
      return o?.critical ?? cal.ratios.critical;
  }
}

/**
 * Period code of every hour of `year` (the weekend matrix on Saturdays and Sundays when the calendar
 * has one; the weekday matrix on every day otherwise).
 *
 * @example
 * hourlyPeriods(gansu2021, 2025)[7] // → 2 (07:00–08:00 on 1 January is peak in Gansu)
 */
export function hourlyPeriods(calendar: TariffCalendar, year: number): Uint8Array {
  const out = new Uint8Array(HOURS_PER_YEAR);
  const dow = calendar.weekend ? weekdayOfHour(year) : null;
  let h = 0;
  for (let m = 0; m < 12; m++) {
    for (let d = 0; d < DAYS_IN_MONTH[m]; d++) {
      const weekend = dow !== null && (dow[h] === 0 || dow[h] === 6);
      const row = weekend ? calendar.weekend![m] : calendar.weekday[m];
      for (let i = 0; i < 24; i++) out[h + i] = row[i];
      h += 24;
    }
  }
  return out;
}
