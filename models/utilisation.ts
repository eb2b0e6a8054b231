import { HOURS_PER_YEAR, jan1Weekday } from './calendar.ts';

/**
 * Hourly server utilisation of a year from a normalised weekly shape (168 values, mean 1, index 0 =
 * Sunday 00:00 local time) scaled to a mean utilisation and aligned with the year's weekdays.
 * Values are clamped to [0, 1]; the unclamped hours are rescaled until the annual mean equals the
 * requested mean (so a high mean with a peaky shape flattens rather than losing energy).
 *
 * @example
 * hourlyUtilisation(new Array(168).fill(1), 0.4, 2025) // → Float64Array(8760) filled with 0.4
 */
export function hourlyUtilisation(
  weeklyShape: readonly number[],
  meanUtilisation: number,
  year: number,
  opts: { phaseShiftHours?: number } = {},
): Float64Array {
  if (weeklyShape.length !== 168) throw new Error('weeklyShape: must have 168 values');
  if (!(meanUtilisation > 0 && meanUtilisation <= 1)) throw new Error('meanUtilisation: must be in (0, 1]');
  const shift = opts.phaseShiftHours ?? 0;
  if (!Number.isInteger(shift)) throw new Error('phaseShiftHours: must be a whole number of hours');
  const n = HOURS_PER_YEAR;
  const out = new Float64Array(n);
  // Hour of the week at 1 January 00:00, then one step per hour (wrapping at 168).
  let k = (((jan1Weekday(year) * 24 - shift) % 168) + 168) % 168;
  let shapeSum = 0;
  let shapeMax = 0;
  for (let h = 0; h < n; h++) {
    const v = weeklyShape[k];
    out[h] = v;
    shapeSum += v;
    if (v > shapeMax) shapeMax = v;
    if (++k === 168) k = 0;
  }
  let scale = (meanUtilisation * n) / shapeSum;
  // Clamp at 1 and redistribute the clipped energy over the unclamped hours (converges in a few passes;
  // skipped when no hour reaches 1: a pass would find the same scale).
  const clamps = shapeMax * scale >= 1;
  for (let pass = 0; clamps && pass < 50; pass++) {
    let clampedSum = 0;
    let freeSum = 0;
    for (let h = 0; h < n; h++) {
      const v = out[h] * scale;
      if (v >= 1) clampedSum += 1;
      else freeSum += out[h];
    }
    if (freeSum === 0) break;
    const next = (meanUtilisation * n - clampedSum) / freeSum;
    if (Math.abs(next - scale) < 1e-12 * scale) break;
    scale = next;
  }
  for (let h = 0; h < n; h++) out[h] = Math.min(1, out[h] * scale);
  return out;
}
