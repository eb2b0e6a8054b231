import { DAYS_IN_MONTH } from './calendar.ts';
import { CRITICAL, PEAK } from './tariff-calendar.ts';

/**
 * Where each battery dispatch policy may act, computed once per year before the hourly dispatch
 * (storage.ts), in the same form for every policy so that the hourly loop never asks which policy it
 * runs: a window code per hour (`DISCHARGE` and `CHARGE` bits: discharge allowed, grid charging
 * allowed) and two levels per month (the battery serves the deficit above the discharge level; grid
 * charging keeps the import at or below the charge level). Arbitrage: its daily windows, levels 0 and
 * +∞; peak-shaving: the month's threshold for both, discharge in every hour, no charging in peak and
 * critical hours; surplus: discharge in every hour (while green energy is stored, which the loop
 * checks), never from the grid.
 */

/** Bits of an hour's window code: the battery may discharge; it may charge from the grid. */
export const DISCHARGE = 1;
export const CHARGE = 2;

/** The battery's limits for a year: energy window, power and the one-way efficiency √η. */
export interface Limits {
  eMax: number;
  eMin: number;
  pMax: number;
  sq: number;
}

/**
 * Peak-shaving threshold per month: the lowest level T (≥ peak − power) such that on every day the
 * energy above T fits in the usable capacity (the battery refills below T between peaks). Bisection.
 */
export function peakShavingThresholds(
  load: Float64Array,
  onsite: Float64Array | null,
  lim: Limits,
  net: Float64Array,
): Float64Array {
  const threshold = new Float64Array(12);
  const n = load.length;
  for (let h = 0; h < n; h++) net[h] = load[h] - (onsite ? onsite[h] : 0);
  const usable = (lim.eMax - lim.eMin) * lim.sq; // kWh deliverable from a full battery
  let start = 0;
  for (let m = 0; m < 12; m++) {
    const end = start + DAYS_IN_MONTH[m] * 24;
    let peakNet = 0;
    for (let h = start; h < end; h++) if (net[h] > peakNet) peakNet = net[h];
    const fits = (t: number) => {
      for (let d = start; d < end; d += 24) {
        let need = 0;
        for (let h = d; h < d + 24; h++) if (net[h] > t) need += net[h] - t;
        if (need > usable) return false;
      }
      return true;
    };
    let lo = Math.max(0, peakNet - lim.pMax);
    let hi = peakNet;
    if (fits(lo)) hi = lo;
    for (let i = 0; i < 30 && hi - lo > 0.5; i++) {
      const mid = 0.5 * (lo + hi);
      if (fits(mid)) hi = mid;
      else lo = mid;
    }
    threshold[m] = hi;
    start = end;
  }
  return threshold;
}

/**
 * Arbitrage on price, day by day: charge at the day's lowest price when it beats the round trip
 * against the day's highest (p_lo < η·p_hi); discharge where the price is above the day's mean and
 * selling beats the day's charging price (η·p > p_lo). Fills the hours' window codes.
 */
export function arbitrageWindows(pr: Float64Array, eta: number, window: Uint8Array): void {
  const n = pr.length;
  window.fill(0);
  for (let d = 0; d < n; d += 24) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let mean = 0;
    for (let h = d; h < d + 24; h++) {
      lo = Math.min(lo, pr[h]);
      hi = Math.max(hi, pr[h]);
      mean += pr[h] / 24;
    }
    if (!(lo < eta * hi)) continue;
    for (let h = d; h < d + 24; h++) {
      if (pr[h] <= lo + 1e-12) window[h] |= CHARGE;
      if (pr[h] > mean + 1e-12 && eta * pr[h] > lo) window[h] |= DISCHARGE;
    }
  }
}

/** Peak-shaving windows: discharge in every hour, grid charging outside peak and critical hours. */
export function peakShavingWindows(periods: Uint8Array, window: Uint8Array): void {
  for (let h = 0; h < window.length; h++)
    window[h] = periods[h] !== PEAK && periods[h] !== CRITICAL ? DISCHARGE | CHARGE : DISCHARGE;
}

/** Surplus windows: discharge in every hour, never charge from the grid. */
export function surplusWindows(window: Uint8Array): void {
  window.fill(DISCHARGE);
}
