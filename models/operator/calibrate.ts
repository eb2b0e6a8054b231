import type { ClimateYear } from '../climate.ts';
import { coolingDesign } from '../cooling.ts';
import { expectedMonths, type MeteredYear, type SitePlant } from './expected.ts';

/**
 * Calibration of the site's plant to its measured months: up to three plant parameters fitted by least
 * squares on monthly PUE (Nelder–Mead on the parameters scaled to their usual ranges), on half the
 * months, tested on the other half. The candidates are the parameters an operator's plant most often
 * differs in — the fixed electrical load (lighting and misc., a share of IT design power), the
 * economizer's heat-exchanger approach, the chillers' rated COP (water- or air-cooled), the indirect
 * evaporative effectiveness — of which those that move this site's monthly PUE by at least
 * `MIN_EFFECT` across their usual range are fitted (the others cannot be told from the data).
 */

/** A parameter a calibration may fit, with the range it searches (the row's usual range). */
export interface FitParam {
  key: string;
  label: string;
  unit: string;
  min: number;
  max: number;
  /** The design's value before calibration. */
  start: number;
}

export interface Calibration {
  /** Fitted parameters (empty when nothing could be fitted). */
  params: Array<FitParam & { value: number; atBound: boolean }>;
  /** Months (1–12) the fit used and the months it was tested on. */
  fitMonths: number[];
  testMonths: number[];
  /** Root-mean-square monthly PUE error: before calibration (all months), on the fit months, on the held-out months. */
  rmseBefore: number;
  rmseFit: number | null;
  rmseTest: number | null;
  /** Whether the fit may be used (enough months, held-out error within bounds). */
  claim: boolean;
  reason: string;
  /** Objective evaluations. */
  evaluations: number;
}

const CANDIDATES = ['lightingFraction', 'hxApproachC', 'ratedCopWater', 'ratedCopAir', 'iecEffectiveness'];
/** A parameter must move the monthly PUE by this much (RMS) across its usual range to be fitted. */
export const MIN_EFFECT = 0.002;
/** Fewest months with data a calibration accepts (half fit, half test). */
export const MIN_MONTHS = 6;
/** The held-out error a claimed fit may have: at most this, and at most twice the fit error plus 0.005. */
export const MAX_TEST_RMSE = 0.03;
/** PUE error that moving a parameter across its whole usual range is weighed as (the ridge term). */
export const RIDGE = 0.001;

const rms = (xs: number[]) => (xs.length ? Math.sqrt(xs.reduce((a, x) => a + x * x, 0) / xs.length) : 0);

/** Modelled monthly PUE (null where a month has no metered IT energy) for plant overrides. */
function modelled(
  m: MeteredYear,
  climate: ClimateYear,
  plant: SitePlant,
  over: Record<string, number>,
): Array<number | null> {
  const e = expectedMonths(m, climate, { ...plant, overrides: { ...(plant.overrides ?? {}), ...over } });
  return Array.from(e.itKwh, (it, i) => (it > 0 ? e.facilityKwh[i] / it : null));
}

/**
 * Nelder–Mead minimisation of f over the unit cube (coordinates clamped to [0, 1]); standard
 * coefficients (reflection 1, expansion 2, contraction ½, shrink ½).
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: number[],
  maxEval = 200,
  tol = 1e-9,
): { x: number[]; fx: number; evaluations: number } {
  const n = x0.length;
  const clamp = (x: number[]) => x.map((v) => Math.min(1, Math.max(0, v)));
  let evaluations = 0;
  const F = (x: number[]) => {
    evaluations++;
    return f(clamp(x));
  };
  let simplex = [
    x0,
    ...x0.map((_, i) => x0.map((v, j) => (j === i ? (v > 0.5 ? v - 0.25 : v + 0.25) : v))),
  ].map(clamp);
  let values = simplex.map(F);
  while (evaluations < maxEval) {
    const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    simplex = order.map(([, i]) => simplex[i]);
    values = order.map(([v]) => v);
    if (Math.abs(values[n] - values[0]) <= tol) break;
    const centroid = Array.from(
      { length: n },
      (_, j) => simplex.slice(0, n).reduce((a, p) => a + p[j], 0) / n,
    );
    const at = (t: number) => clamp(centroid.map((c, j) => c + t * (simplex[n][j] - c)));
    const xr = at(-1);
    const fr = F(xr);
    if (fr < values[0]) {
      const xe = at(-2);
      const fe = F(xe);
      if (fe < fr) [simplex[n], values[n]] = [xe, fe];
      else [simplex[n], values[n]] = [xr, fr];
    } else if (fr < values[n - 1]) {
      [simplex[n], values[n]] = [xr, fr];
    } else {
      const xc = fr < values[n] ? at(-0.5) : at(0.5);
      const fc = F(xc);
      if (fc < Math.min(fr, values[n])) [simplex[n], values[n]] = [xc, fc];
      else {
        for (let i = 1; i <= n; i++) {
          simplex[i] = clamp(simplex[i].map((v, j) => simplex[0][j] + 0.5 * (v - simplex[0][j])));
          values[i] = F(simplex[i]);
        }
      }
    }
  }
  const best = values.indexOf(Math.min(...values));
  return { x: clamp(simplex[best]), fx: values[best], evaluations };
}

/**
 * Calibrate the plant to measured monthly PUE (index 0 = January; null where there is no measurement).
 * Odd months (January, March, …) fit, even months test — interleaved, so both halves see summer and
 * winter. Refuses to claim a fit with fewer than `MIN_MONTHS` measured months, with no parameter the
 * data can move, or when the held-out error exceeds `MAX_TEST_RMSE` or twice the fit error + 0.005.
 *
 * @example
 * calibrate(meteredYear(data), measured, climate, plant).params // → [{ key: 'lightingFraction', value: 0.021, … }]
 */
export function calibrate(
  m: MeteredYear,
  measured: Array<number | null>,
  climate: ClimateYear,
  plant: SitePlant,
): Calibration {
  const design = coolingDesign(plant.design, plant.overrides ?? {}, plant.facilityClass);
  const months = measured.flatMap((v, i) => (v !== null && Number.isFinite(v) ? [i] : []));
  const base = modelled(m, climate, plant, {});
  const err = (mod: Array<number | null>, idx: number[]) =>
    rms(idx.flatMap((i) => (mod[i] === null ? [] : [(mod[i] as number) - (measured[i] as number)])));
  const rmseBefore = err(base, months);
  const none = (reason: string): Calibration => ({
    params: [],
    fitMonths: [],
    testMonths: [],
    rmseBefore,
    rmseFit: null,
    rmseTest: null,
    claim: false,
    reason,
    evaluations: 0,
  });
  if (months.length < MIN_MONTHS)
    return none(
      `calibration needs at least ${MIN_MONTHS} months with measured PUE (half to fit, half to test); the data have ${months.length}`,
    );
  const fitMonths = months.filter((_, k) => k % 2 === 0);
  const testMonths = months.filter((_, k) => k % 2 === 1);
  // candidates that exist for the design and move this site's PUE
  const cands: FitParam[] = [];
  for (const key of CANDIDATES) {
    const row = design.table[key];
    if (!row) continue;
    const min = row.typical?.min ?? row.min ?? row.value * 0.5;
    const max = row.typical?.max ?? row.max ?? row.value * 1.5;
    if (!(max > min)) continue;
    const lo = modelled(m, climate, plant, { [key]: min });
    const hi = modelled(m, climate, plant, { [key]: max });
    const effect = rms(months.map((i) => (hi[i] ?? 0) - (lo[i] ?? 0)));
    if (effect >= MIN_EFFECT)
      cands.push({ key, label: row.label, unit: row.unit, min, max, start: design.p[key] });
  }
  if (!cands.length)
    return none(
      `no plant parameter moves this site's monthly PUE by ${MIN_EFFECT} or more across its usual range: nothing to fit`,
    );
  const params = cands.slice(0, 3);
  const toValues = (x: number[]) =>
    Object.fromEntries(params.map((p, i) => [p.key, p.min + x[i] * (p.max - p.min)]));
  const x0 = params.map((p) => Math.min(1, Math.max(0, (p.start - p.min) / (p.max - p.min))));
  // A small ridge term keeps a parameter the data barely move at its design value: moving one across
  // its whole usual range costs as much as a 0.001 RMS error on every fit month.
  const objective = (x: number[]) => {
    const mod = modelled(m, climate, plant, toValues(x));
    const sse = fitMonths.reduce((a, i) => a + ((mod[i] ?? 0) - (measured[i] as number)) ** 2, 0);
    const ridge = fitMonths.length * RIDGE ** 2 * x.reduce((a, v, i) => a + (v - x0[i]) ** 2, 0);
    return sse + ridge;
  };
  const best = nelderMead(objective, x0, 60 * params.length);
  const fitted = toValues(best.x);
  const mod = modelled(m, climate, plant, fitted);
  const rmseFit = err(mod, fitMonths);
  const rmseTest = err(mod, testMonths);
  const limit = Math.min(MAX_TEST_RMSE, 2 * rmseFit + 0.005);
  const claim = rmseTest <= limit;
  return {
    params: params.map((p, i) => ({
      ...p,
      value: fitted[p.key],
      atBound: best.x[i] <= 1e-6 || best.x[i] >= 1 - 1e-6,
    })),
    fitMonths: fitMonths.map((i) => i + 1),
    testMonths: testMonths.map((i) => i + 1),
    rmseBefore,
    rmseFit,
    rmseTest,
    claim,
    reason: claim
      ? `fitted on ${fitMonths.length} months, tested on ${testMonths.length}: held-out RMS error ${rmseTest.toFixed(4)} ≤ ${limit.toFixed(4)}`
      : `the fit does not hold on the held-out months (RMS error ${rmseTest.toFixed(4)} > ${limit.toFixed(4)}): not claimed — the plant differs in ways these parameters cannot capture, or the operation changed during the year`,
    evaluations: best.evaluations,
  };
}
