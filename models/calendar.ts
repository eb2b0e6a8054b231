/**
 * Calendar of a simulated year. dcplan simulates 8,760 hours a year (a typical year: no 29 February,
 * as in EPW typical-year files), hour 0 = 1 January 00:00–01:00 local standard time (UTC+8 in China).
 */

/** Hours in every simulated year. */
export const HOURS_PER_YEAR = 8760;

/** Days in each month of a 365-day year. */
export const DAYS_IN_MONTH: readonly number[] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** First hour of each month and, at [12], the year's length: month m is hours [m], …, [m + 1] − 1. */
export const MONTH_START_HOUR: readonly number[] = (() => {
  const out = [0];
  for (let m = 0; m < 12; m++) out.push(out[m] + DAYS_IN_MONTH[m] * 24);
  return out;
})();

/**
 * Day of week of 1 January of a Gregorian year, 0 = Sunday … 6 = Saturday (Gauss's algorithm).
 *
 * @example
 * jan1Weekday(2025) // → 3 (Wednesday)
 */
export function jan1Weekday(year: number): number {
  const y = year - 1;
  return (1 + 5 * (y % 4) + 4 * (y % 100) + 6 * (y % 400)) % 7;
}

/** Month (0–11) of each hour of the year. */
export function monthOfHour(): Uint8Array {
  const out = new Uint8Array(HOURS_PER_YEAR);
  let h = 0;
  for (let m = 0; m < 12; m++) {
    const n = DAYS_IN_MONTH[m] * 24;
    out.fill(m, h, h + n);
    h += n;
  }
  return out;
}

/**
 * Day of week (0 = Sunday) of each hour of `year`, with 8,760 hours from 1 January.
 *
 * @example
 * weekdayOfHour(2025)[0] // → 3 (1 Jan 2025 is a Wednesday)
 */
export function weekdayOfHour(year: number): Uint8Array {
  const out = new Uint8Array(HOURS_PER_YEAR);
  const d0 = jan1Weekday(year);
  for (let d = 0; d < 365; d++) out.fill((d0 + d) % 7, d * 24, d * 24 + 24);
  return out;
}
