import { errorFunction } from 'simple-statistics';
import { HOURS_PER_YEAR } from './calendar.ts';
import type { InputRow as Param } from './input-row.ts';

/**
 * Wind-farm output from the climate year's 10 m wind speed:
 *   v_hub = v_10 · (h_hub / 10 m)^α  (power law; α = 0.143 ≈ 1/7, the reference value of GB/T 18710-2002
 *   for neutral stability over open terrain — Peterson & Hennessey, J. Appl. Meteor. 17 (1978) 390–394)
 * through a wind-farm power curve: a generic turbine curve (cut-in, rated, cut-out; cubic between
 * cut-in and rated) smoothed by a Gaussian in wind speed of σ = 0.6 m/s + 0.2·v, the spread of the
 * speeds the turbines of a farm see at one time (Staffell & Pfenninger, Energy 114 (2016) 1224–1239,
 * as implemented in windpowerlib), with the wind speed density-normalised, V_n = V·(ρ/1.225)^(1/3)
 * (IEC 61400-12-1 for pitch-regulated turbines), then availability and losses. A generic curve, not a
 * named turbine: its shape parameters are labelled assumptions. The resource is then scaled to the
 * province's published utilisation hours (models/prepare/green.ts), so the station gives the timing and
 * the province the level.
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
  /** Farm power curve: the Gaussian spread of speeds σ = speedSpreadMps + speedSpreadFraction·v (0 and 0: one turbine). */
  speedSpreadMps: number;
  speedSpreadFraction: number;
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
    value: 0.143,
    unit: '',
    label: 'Wind shear exponent α',
    typical: { min: 0.1, max: 0.3 },
    source:
      'reference value 0.143 of GB/T 18710-2002 [gbt-18710-2002] (1/7, neutral stability: Peterson & Hennessey 1978); 26 Liaoning towers averaged 0.155',
    grade: 'B',
    min: 0,
    max: 1,
  },
  cutInMps: {
    value: 3,
    unit: 'm/s',
    label: 'Cut-in speed',
    typical: { min: 2.5, max: 4 },
    source: 'IEA Wind Task 37 3.4 MW reference onshore turbine (IEC class IIIA): cut-in 3.0 m/s',
    grade: 'B',
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
    source: 'IEA Wind Task 37 3.4 MW reference onshore turbine (IEC class IIIA): cut-out 25.0 m/s',
    grade: 'B',
    min: 10,
    max: 50,
  },
  speedSpreadMps: {
    value: 0.6,
    unit: 'm/s',
    label: 'Farm curve: speed spread at calm (σ₀)',
    typical: { min: 0, max: 1.5 },
    source: 'σ = 0.6 m/s + 0.2·v: Staffell & Pfenninger, Energy 114 (2016) 1224–1239 (windpowerlib)',
    grade: 'B',
    min: 0,
    max: 5,
  },
  speedSpreadFraction: {
    value: 0.2,
    unit: '',
    label: 'Farm curve: speed spread per m/s of wind',
    typical: { min: 0, max: 0.3 },
    source: 'σ = 0.6 m/s + 0.2·v: Staffell & Pfenninger, Energy 114 (2016) 1224–1239 (windpowerlib)',
    grade: 'B',
    min: 0,
    max: 1,
  },
  availability: {
    value: 1,
    unit: '',
    label: 'Availability (1: counted in the losses)',
    typical: { min: 0.9, max: 1 },
    source: 'counted in the losses below (NREL’s 11 % includes availability)',
    grade: 'B',
    min: 0,
    exclusiveMin: true,
    max: 1,
  },
  losses: {
    value: 0.11,
    unit: '',
    label: 'Availability, wake, electrical and other losses',
    typical: { min: 0.05, max: 0.25 },
    source: 'total losses of a land-based wind farm ≈ 11 % (NREL reV) [nrel-wind-losses]',
    grade: 'B',
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

/** Step of the farm curve's speed grid, m/s, and its top (no wind farm runs above it). */
const CURVE_STEP = 0.05;
const CURVE_TOP = 60;

/** Standard normal density and distribution function. */
const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
const Phi = (z: number) => 0.5 * (1 + errorFunction(z / Math.SQRT2));

/**
 * E[f(u)] for u ~ N(v, σ²) of the generic turbine curve f, in closed form: the plateau's probability
 * plus the cubic segment through the partial moments of the standard normal over [α, β]
 *   M0 = Φ(β) − Φ(α), M1 = φ(α) − φ(β), M2 = M0 + αφ(α) − βφ(β), M3 = (α²+2)φ(α) − (β²+2)φ(β),
 *   E[u³; c ≤ u < r] = v³M0 + 3v²σM1 + 3vσ²M2 + σ³M3.
 */
function smoothedFraction(v: number, sigma: number, p: WindParams): number {
  const c = p.cutInMps;
  const r = p.ratedMps;
  const a = (c - v) / sigma;
  const b = (r - v) / sigma;
  const m0 = Phi(b) - Phi(a);
  const m1 = phi(a) - phi(b);
  const m2 = m0 + a * phi(a) - b * phi(b);
  const m3 = (a * a + 2) * phi(a) - (b * b + 2) * phi(b);
  const u3 = v ** 3 * m0 + 3 * v * v * sigma * m1 + 3 * v * sigma * sigma * m2 + sigma ** 3 * m3;
  const cubic = (u3 - c ** 3 * m0) / (r ** 3 - c ** 3);
  const plateau = Phi((p.cutOutMps - v) / sigma) - Phi(b);
  return Math.max(0, cubic + plateau);
}

/**
 * The farm power curve as a fraction of rated power on a grid of density-normalised hub speeds
 * (0, 0.05, … 60 m/s): the turbine curve averaged over the speeds u ~ N(v, σ(v)²) the farm's turbines
 * see, σ(v) = speedSpreadMps + speedSpreadFraction·v (closed form, `smoothedFraction`). Null when σ ≡ 0:
 * the farm is one turbine and `turbineFraction` applies exactly.
 *
 * @example
 * farmCurve(windDefaults(1))![Math.round(11 / 0.05)] // → 0.7748 (at rated speed some turbines see less)
 */
export function farmCurve(p: WindParams): Float64Array | null {
  if (p.speedSpreadMps === 0 && p.speedSpreadFraction === 0) return null;
  const n = Math.round(CURVE_TOP / CURVE_STEP) + 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = i * CURVE_STEP;
    const sigma = p.speedSpreadMps + p.speedSpreadFraction * v;
    out[i] = sigma > 0 ? smoothedFraction(v, sigma, p) : turbineFraction(v, p);
  }
  return out;
}

/** The farm curve at speed v by linear interpolation on its grid (0 beyond the top). */
function curveAt(curve: Float64Array, v: number): number {
  const x = v / CURVE_STEP;
  const i = Math.floor(x);
  if (i >= curve.length - 1) return 0;
  const f = x - i;
  return curve[i] + f * (curve[i + 1] - curve[i]);
}

/**
 * Hourly AC output (kW) of a wind farm of `ratedKw`. `curve` is `farmCurve(p)`, passed in by a caller
 * that evaluates the same parameters many times.
 *
 * @example
 * windOutputKw(new Float64Array(8760).fill(5), new Float64Array(8760).fill(101325), new Float64Array(8760).fill(15), windDefaults(1000))
 * // v_hub = 5 · 10^0.143 = 6.95 m/s → the farm curve there × 0.89 × 1,000 kW
 */
export function windOutputKw(
  windMps: Float64Array,
  pressurePa: Float64Array,
  tDryC: Float64Array,
  p: WindParams,
  out = new Float64Array(HOURS_PER_YEAR),
  curve: Float64Array | null = farmCurve(p),
): Float64Array {
  const scale = (p.hubHeightM / 10) ** p.shearExponent * (p.speedScale ?? 1);
  const k = p.ratedKw * p.availability * (1 - p.losses);
  for (let h = 0; h < HOURS_PER_YEAR; h++) {
    const rho = pressurePa[h] / (287.05 * (tDryC[h] + 273.15));
    const v = windMps[h] * scale * Math.cbrt(rho / 1.225);
    out[h] = k * (curve ? curveAt(curve, v) : turbineFraction(v, p));
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
  curve: Float64Array | null = farmCurve(p),
): number {
  const out = windOutputKw(windMps, pressurePa, tDryC, { ...p, ratedKw: 1 }, undefined, curve);
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
  const curve = farmCurve(p);
  // The air-density factor of each hour does not depend on the scale: computed once, not at each of
  // the ≈ 25 trials. Each trial's arithmetic is `windFullLoadHours`' own, in its order (the same sum
  // to the last bit), without an hourly array per trial.
  const density = new Float64Array(HOURS_PER_YEAR);
  for (let h = 0; h < HOURS_PER_YEAR; h++) {
    const rho = pressurePa[h] / (287.05 * (tDryC[h] + 273.15));
    density[h] = Math.cbrt(rho / 1.225);
  }
  const height = (p.hubHeightM / 10) ** p.shearExponent;
  const perKw = 1 * p.availability * (1 - p.losses);
  const flh = (k: number) => {
    const scale = height * k;
    let e = 0;
    for (let h = 0; h < HOURS_PER_YEAR; h++) {
      const v = windMps[h] * scale * density[h];
      e += perKw * (curve ? curveAt(curve, v) : turbineFraction(v, p));
    }
    return e;
  };
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
