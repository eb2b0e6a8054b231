import type { ClimateYear } from '../../models/climate.ts';

/** How far an imported hour may lie beyond the station's typical year before it is called implausible, K. */
export const HOTTER_BY_K = 8;
export const COLDER_BY_K = 10;
/** How far the imported annual mean dry bulb may lie from the station's, K. */
export const MEAN_OFF_BY_K = 4;

const one = (v: number) => v.toFixed(1);

/**
 * Warnings for an imported weather year that the cluster's own station makes implausible: hours more
 * than `HOTTER_BY_K` above the station's hottest typical-year hour or `COLDER_BY_K` below its coldest
 * (a typical year is not a record, so the margins are wide: Lanzhou's typical year peaks at 34.8 °C,
 * its record is ≈ 39.8 °C), and an annual mean more than `MEAN_OFF_BY_K` off. Each names the figures
 * and what to check. Empty when the file is plausible.
 *
 * @example
 * weatherWarnings('lanzhou', allHoursAt60C, lanzhouStation)
 * // → ['--weather lanzhou: the file's dry bulb runs 60.0–60.0 °C (mean 60.0 °C); …']
 */
export function weatherWarnings(cluster: string, imported: ClimateYear, station: ClimateYear): string[] {
  const range = (t: Float64Array) => {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    let sum = 0;
    for (const v of t) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      sum += v;
    }
    return { lo, hi, mean: sum / t.length };
  };
  const s = range(station.tDryC);
  const f = range(imported.tDryC);
  let out = 0;
  for (const v of imported.tDryC) if (v > s.hi + HOTTER_BY_K || v < s.lo - COLDER_BY_K) out++;
  const off = Math.abs(f.mean - s.mean) > MEAN_OFF_BY_K;
  if (!out && !off) return [];
  return [
    `--weather ${cluster}: the file's dry bulb runs ${one(f.lo)}–${one(f.hi)} °C (mean ${one(f.mean)} °C); the station's typical year (${station.source}) runs ${one(s.lo)}–${one(s.hi)} °C (mean ${one(s.mean)} °C)${out ? `: ${out.toLocaleString('en-US')} hours lie more than ${HOTTER_BY_K} K above or ${COLDER_BY_K} K below it` : ''}${off ? `${out ? ' and' : ':'} the annual mean is ${one(Math.abs(f.mean - s.mean))} K off` : ''} — check that the file is this site's and in °C`,
  ];
}
