import { HOURS_PER_YEAR } from './calendar.ts';
import type { InputRow as Param } from './input-row.ts';

/**
 * Wind-farm output from the climate year's 10 m wind speed:
 *   v_hub = v_10 · (h_hub / 10 m)^α  (power law; α = 1/7 for neutral stability over open terrain —
 *   Peterson & Hennessey, J. Appl. Meteor. 17 (1978) 390–394)
 * through a generic turbine power curve (cut-in, rated, cut-out; cubic between cut-in and rated),
 * with the wind speed density-normalised, V_n = V·(ρ/1.225)^(1/3) (IEC 61400-12-1 for pitch-regulated
 * turbines: continuous at rated, unlike scaling the power by ρ/1.225 below rated), then availability
 * and losses. A generic curve, not a named turbine: a labelled assumption.
 */

export interface WindParams {
  ratedKw: number;
  hubHeightM: number;
  shearExponent: number;
  cutInMps: number;
  ratedMps: number;
  cutOutMps: number;
  availability: number;
  losses: number;
  /**
   * Multiplies the station's wind speed before the shear law: 1 = the station as it is; > 1 scales its
   * hourly shape to a stronger resource (see `speedScaleForFullLoadHours`).
   */
  speedScale?: number;
}

export const WIND_TABLE: Record<Exclude<keyof WindParams, 'ratedKw' | 'speedScale'>, Param> = {
  hubHeightM: {
    value: 100,
    unit: 'm',
    label: 'Hub height',
    typical: { min: 60, max: 160 },
    source: 'typical 3–5 MW onshore turbine; engineering assumption',
    grade: 'assumption',
    min: 10,
    max: 250,
  },
  shearExponent: {
    value: 1 / 7,
    unit: '',
    label: 'Wind shear exponent α',
    typical: { min: 0.1, max: 0.3 },
    source: 'Peterson & Hennessey (1978): 1/7 for neutral stability; docs/models/green-power.md',
    grade: 'B',
    min: 0,
    max: 1,
  },
  cutInMps: {
    value: 3,
    unit: 'm/s',
    label: 'Cut-in speed',
    typical: { min: 2.5, max: 4 },
    source: 'generic IEC class II/III curve; engineering assumption',
    grade: 'assumption',
    min: 0,
    max: 10,
  },
  ratedMps: {
    value: 11,
    unit: 'm/s',
    label: 'Rated speed',
    typical: { min: 9, max: 13 },
    source: 'generic IEC class II/III curve; engineering assumption',
    grade: 'assumption',
    min: 4,
    max: 30,
  },
  cutOutMps: {
    value: 25,
    unit: 'm/s',
    label: 'Cut-out speed',
    typical: { min: 20, max: 30 },
    source: 'generic IEC class II/III curve; engineering assumption',
    grade: 'assumption',
    min: 10,
    max: 50,
  },
  availability: {
    value: 0.97,
    unit: '',
    label: 'Availability',
    typical: { min: 0.9, max: 0.99 },
    source: 'engineering assumption',
    grade: 'assumption',
    min: 0,
    exclusiveMin: true,
    max: 1,
  },
  losses: {
    value: 0.1,
    unit: '',
    label: 'Wake, electrical and other losses',
    typical: { min: 0.05, max: 0.2 },
    source: 'engineering assumption',
    grade: 'assumption',
    min: 0,
    max: 0.9,
  },
};

export function windDefaults(ratedKw: number, over: Partial<WindParams> = {}): WindParams {
  const t = Object.fromEntries(Object.entries(WIND_TABLE).map(([k, v]) => [k, v.value])) as Omit<
    WindParams,
    'ratedKw' | 'speedScale'
  >;
  return { ...t, ratedKw, ...over };
}

/**
 * Power-curve fraction of rated power at hub-height speed v (density-normalised).
 *
 * @example
 * turbineFraction(7, windDefaults(1)) // → (7³ − 3³)/(11³ − 3³) = 316/1304 = 0.2423
 */
export function turbineFraction(v: number, p: WindParams): number {
  if (v < p.cutInMps || v >= p.cutOutMps) return 0;
  if (v >= p.ratedMps) return 1;
  const c3 = p.cutInMps ** 3;
  return (v ** 3 - c3) / (p.ratedMps ** 3 - c3);
}

/**
 * Hourly AC output (kW) of a wind farm of `ratedKw`.
 *
 * @example
 * windOutputKw(new Float64Array(8760).fill(5), new Float64Array(8760).fill(101325), new Float64Array(8760).fill(15), windDefaults(1000))
 * // v_hub = 5 · 10^(1/7) = 6.95 m/s → …
 */
export function windOutputKw(
  windMps: Float64Array,
  pressurePa: Float64Array,
  tDryC: Float64Array,
  p: WindParams,
  out = new Float64Array(HOURS_PER_YEAR),
): Float64Array {
  const scale = (p.hubHeightM / 10) ** p.shearExponent * (p.speedScale ?? 1);
  const k = p.ratedKw * p.availability * (1 - p.losses);
  for (let h = 0; h < HOURS_PER_YEAR; h++) {
    const rho = pressurePa[h] / (287.05 * (tDryC[h] + 273.15));
    const v = windMps[h] * scale * Math.cbrt(rho / 1.225);
    out[h] = k * turbineFraction(v, p);
  }
  return out;
}

/**
 * Full-load hours of a wind farm on a climate year: annual output ÷ rated power (h).
 *
 * @example
 * windFullLoadHours(wind, pressure, tDry, windDefaults(1)) // → e.g. 342 h (3.9 % capacity factor)
 */
export function windFullLoadHours(
  windMps: Float64Array,
  pressurePa: Float64Array,
  tDryC: Float64Array,
  p: WindParams,
): number {
  const out = windOutputKw(windMps, pressurePa, tDryC, { ...p, ratedKw: 1 });
  let e = 0;
  for (let h = 0; h < HOURS_PER_YEAR; h++) e += out[h];
  return e;
}

/**
 * The speed scale at which the station's hourly wind gives `hours` full-load hours: the station keeps
 * its timing (hour-to-hour shape, calm hours stay calm) and a stronger site is represented by faster
 * winds through the same power curve. Output rises with the scale until cut-out starts to bite, so the
 * smallest scale that reaches the figure is found (scan, then bisection). Returns null if the station's
 * wind cannot reach it (many calm hours), with the most it can give.
 *
 * @example
 * speedScaleForFullLoadHours(wind, pressure, tDry, windDefaults(1), 2000) // → { scale: ≈ 2.6, … }
 */
export function speedScaleForFullLoadHours(
  windMps: Float64Array,
  pressurePa: Float64Array,
  tDryC: Float64Array,
  p: WindParams,
  hours: number,
): { scale: number; maxHours: number } | { scale: null; maxHours: number } {
  const flh = (k: number) => windFullLoadHours(windMps, pressurePa, tDryC, { ...p, speedScale: k });
  let lo = 0;
  let maxHours = 0;
  for (let k = 0.25; k <= 30 + 1e-9; k += 0.25) {
    const e = flh(k);
    maxHours = Math.max(maxHours, e);
    if (e >= hours) {
      let hi = k;
      for (let i = 0; i < 40 && hi - lo > 1e-6; i++) {
        const mid = 0.5 * (lo + hi);
        if (flh(mid) >= hours) hi = mid;
        else lo = mid;
      }
      return { scale: hi, maxHours };
    }
    lo = k;
  }
  return { scale: null, maxHours };
}
