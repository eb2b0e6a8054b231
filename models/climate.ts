import { DAYS_IN_MONTH, HOURS_PER_YEAR } from './calendar.ts';
import { dewPointC, humidityRatio, rhFromDewPointPct, wetBulbFromHumidityRatioC } from './psychrometrics.ts';

/**
 * Climate year: hourly weather of one site for one (typical) year, with the psychrometric quantities
 * the cooling model needs computed once. Built either from a full EPW file (`server/import/epw.ts`) or
 * rebuilt from the compact statistics shipped in `seeds/climate/` (`rebuildClimateYear`).
 */

export interface ClimateSite {
  id: string;
  name: string;
  wmo?: string;
  latDeg: number;
  lonDeg: number;
  elevationM: number;
  /** Time zone of the hourly series, hours east of UTC (China: 8). */
  utcOffsetHours: number;
}

/** The raw hourly inputs of a climate year (Float64Array(8760) each). */
export interface RawClimateHours {
  tDryC: Float64Array;
  rhPct: Float64Array;
  pressurePa: Float64Array;
  ghiWhM2: Float64Array;
  dniWhM2: Float64Array;
  dhiWhM2: Float64Array;
  windMps: Float64Array;
}

export interface ClimateYear extends RawClimateHours {
  site: ClimateSite;
  /** Where the data came from (file name, or "rebuilt from …"). */
  source: string;
  tDewC: Float64Array;
  tWetC: Float64Array;
  /** kg water per kg dry air. */
  humidityRatio: Float64Array;
}

/**
 * Complete a climate year from raw hourly data: clamp RH to [1, 100] % (CSWD files exceed 100 % in up to
 * 67 h, dcplan sources (docs/sources.md)) and compute humidity ratio, dew point and wet-bulb once.
 *
 * @example
 * deriveClimateYear(site, 'x.epw', raw).tWetC[0] // wet-bulb of hour 0, °C
 */
export function deriveClimateYear(site: ClimateSite, source: string, raw: RawClimateHours): ClimateYear {
  const n = HOURS_PER_YEAR;
  for (const [k, v] of Object.entries(raw)) {
    if (!(v instanceof Float64Array) || v.length !== n)
      throw new Error(`climate.${k}: must be Float64Array(${n})`);
  }
  const rh = new Float64Array(n);
  const w = new Float64Array(n);
  const tDew = new Float64Array(n);
  const tWet = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    const t = raw.tDryC[h];
    const r = Math.min(100, Math.max(1, raw.rhPct[h]));
    rh[h] = r;
    w[h] = humidityRatio(t, r, raw.pressurePa[h]);
    tDew[h] = dewPointC(t, r);
    tWet[h] = wetBulbFromHumidityRatioC(t, w[h], raw.pressurePa[h]);
  }
  return { ...raw, rhPct: rh, site, source, tDewC: tDew, tWetC: tWet, humidityRatio: w };
}

/**
 * Compact statistics of a climate year, from which `rebuildClimateYear` makes a deterministic typical
 * year. Daily values (365) keep the day-to-day weather in place; monthly mean diurnal profiles (12 × 24)
 * give the shape of each day.
 */
export interface ClimateStats {
  site: ClimateSite;
  /** Human-readable origin, e.g. "CSWD EPW CHN_Gansu.Lanzhou.528890 (sha256 …), statistics". */
  source: string;
  daily: {
    /** Daily mean, minimum and maximum dry-bulb, °C (0.1). */
    tMeanC: number[];
    tMinC: number[];
    tMaxC: number[];
    /** Daily mean dew point, °C (0.1). */
    tDewMeanC: number[];
    /** Daily mean station pressure, Pa (10). */
    pressurePa: number[];
    /** Daily irradiation, Wh/m² (1). */
    ghiWhM2: number[];
    dniWhM2: number[];
    dhiWhM2: number[];
    /** Daily mean wind speed, m/s (0.01). */
    windMps: number[];
  };
  monthly: {
    /** Mean of (T(h) − daily mean) ÷ daily range, by month and hour (12 × 24). */
    tShape: number[][];
    /** Mean of (Td(h) − daily mean dew point), °C, by month and hour. */
    tDewAnomalyC: number[][];
    /** Share of the day's irradiation falling in each hour (Σ over the month's hours ÷ Σ daily), by month. */
    ghiShare: number[][];
    dniShare: number[][];
    dhiShare: number[][];
    /** Mean wind at the hour ÷ the month's mean wind. */
    windShape: number[][];
    /**
     * Quantiles of the month's hourly wind speed, m/s (0.01), at the probabilities `WIND_QUANTILE_P`
     * (12 × 31): the distribution a cubic power curve lives on. Optional for statistics made before it.
     */
    windQuantiles?: number[][];
  };
  /**
   * The design extremes of the year: the hours with the highest wet-bulb and the highest dry-bulb
   * (`DESIGN_HOURS` of each), with their dry-bulb and dew point as in the file, so that design-hour
   * peak power matches the full year. Optional for statistics made before it.
   */
  extremes?: Array<{ hour: number; tDryC: number; tDewC: number }>;
}

/** Probabilities at which the monthly wind quantiles are kept: every 5 % to 90 %, then finer in the tail. */
export const WIND_QUANTILE_P: readonly number[] = [
  ...Array.from({ length: 19 }, (_, i) => i * 0.05),
  0.91,
  0.92,
  0.93,
  0.94,
  0.95,
  0.96,
  0.97,
  0.98,
  0.99,
  0.995,
  1,
].map((v) => Number(v.toFixed(3)));

/** How many of the hottest hours (by wet-bulb, and by dry-bulb) the statistics keep exactly. */
export const DESIGN_HOURS = 48;

/** Quantile of sorted values at probability p (linear between order statistics). */
function quantileSorted(v: readonly number[], p: number): number {
  const x = p * (v.length - 1);
  const i = Math.min(v.length - 2, Math.floor(x));
  if (v.length === 1) return v[0];
  return v[i] + (v[i + 1] - v[i]) * (x - i);
}

/** Value of a quantile table (at `WIND_QUANTILE_P`) at probability p, linear between the kept points. */
function fromQuantiles(q: readonly number[], p: number): number {
  const P = WIND_QUANTILE_P;
  let k = 1;
  while (k < P.length - 1 && P[k] < p) k++;
  const t = (p - P[k - 1]) / (P[k] - P[k - 1]);
  return q[k - 1] + (q[k] - q[k - 1]) * Math.min(1, Math.max(0, t));
}

const round = (v: number, step: number) => Math.round(v / step) * step;
const r1 = (v: number) => Number(round(v, 0.1).toFixed(1));
const r4 = (v: number) => Number(v.toFixed(4));

function monthOfDay(): number[] {
  const out: number[] = [];
  DAYS_IN_MONTH.forEach((n, m) => {
    for (let i = 0; i < n; i++) out.push(m);
  });
  return out;
}

/** Sums by month (and hour) over the days of each month, from which the monthly shapes are made. */
interface MonthSums {
  tShape: number[][];
  tDewAn: number[][];
  ghi: number[][];
  dni: number[][];
  dhi: number[][];
  wind: number[][];
  /** Daily totals summed by month. */
  ghiM: number[];
  dniM: number[];
  dhiM: number[];
  windM: number[];
  days: number[];
}

function monthSums(): MonthSums {
  const z = () => Array.from({ length: 12 }, () => new Array<number>(24).fill(0));
  const zm = () => new Array(12).fill(0);
  return {
    tShape: z(),
    tDewAn: z(),
    ghi: z(),
    dni: z(),
    dhi: z(),
    wind: z(),
    ghiM: zm(),
    dniM: zm(),
    dhiM: zm(),
    windM: zm(),
    days: zm(),
  };
}

/** Day d (in month m): its rounded daily values appended to `daily`, its hours added to `s`. */
function addDay(year: ClimateYear, d: number, m: number, daily: ClimateStats['daily'], s: MonthSums): void {
  s.days[m]++;
  let tSum = 0;
  let tMin = Infinity;
  let tMax = -Infinity;
  let dewSum = 0;
  let pSum = 0;
  let g = 0;
  let b = 0;
  let f = 0;
  let wSum = 0;
  for (let h = 0; h < 24; h++) {
    const i = d * 24 + h;
    const t = year.tDryC[i];
    tSum += t;
    tMin = Math.min(tMin, t);
    tMax = Math.max(tMax, t);
    dewSum += year.tDewC[i];
    pSum += year.pressurePa[i];
    g += year.ghiWhM2[i];
    b += year.dniWhM2[i];
    f += year.dhiWhM2[i];
    wSum += year.windMps[i];
  }
  const tMean = tSum / 24;
  const dewMean = dewSum / 24;
  const range = tMax - tMin;
  for (let h = 0; h < 24; h++) {
    const i = d * 24 + h;
    if (range > 0) s.tShape[m][h] += (year.tDryC[i] - tMean) / range;
    s.tDewAn[m][h] += year.tDewC[i] - dewMean;
    s.ghi[m][h] += year.ghiWhM2[i];
    s.dni[m][h] += year.dniWhM2[i];
    s.dhi[m][h] += year.dhiWhM2[i];
    s.wind[m][h] += year.windMps[i];
  }
  s.ghiM[m] += g;
  s.dniM[m] += b;
  s.dhiM[m] += f;
  s.windM[m] += wSum;
  daily.tMeanC.push(r1(tMean));
  daily.tMinC.push(r1(tMin));
  daily.tMaxC.push(r1(tMax));
  daily.tDewMeanC.push(r1(dewMean));
  daily.pressurePa.push(Math.round(pSum / 24 / 10) * 10);
  daily.ghiWhM2.push(Math.round(g));
  daily.dniWhM2.push(Math.round(b));
  daily.dhiWhM2.push(Math.round(f));
  daily.windMps.push(Number((wSum / 24).toFixed(2)));
}

/** The monthly mean diurnal shapes (12 × 24) from the month sums. */
function monthlyShapes(s: MonthSums): Omit<ClimateStats['monthly'], 'windQuantiles'> {
  const share = (x: number[][], tot: number[]) =>
    x.map((row, m) => row.map((v) => (tot[m] > 0 ? r4(v / tot[m]) : 0)));
  return {
    tShape: s.tShape.map((row, m) => row.map((v) => r4(v / s.days[m]))),
    tDewAnomalyC: s.tDewAn.map((row, m) => row.map((v) => r4(v / s.days[m]))),
    ghiShare: share(s.ghi, s.ghiM),
    dniShare: share(s.dni, s.dniM),
    dhiShare: share(s.dhi, s.dhiM),
    windShape: s.wind.map((row, m) => row.map((v) => (s.windM[m] > 0 ? r4((v * 24) / s.windM[m]) : 1))),
  };
}

/** Quantiles of each month's hourly wind speed at `WIND_QUANTILE_P`, m/s (0.01). */
function windQuantilesByMonth(year: ClimateYear): number[][] {
  const out: number[][] = [];
  for (let m = 0, h0 = 0; m < 12; m++) {
    const n = DAYS_IN_MONTH[m] * 24;
    const v = Array.from(year.windMps.subarray(h0, h0 + n)).sort((a, b) => a - b);
    out.push(WIND_QUANTILE_P.map((p) => Number(quantileSorted(v, p).toFixed(2))));
    h0 += n;
  }
  return out;
}

/** The `DESIGN_HOURS` highest wet-bulb and dry-bulb hours, in hour order, with dry-bulb and dew point. */
function designExtremes(year: ClimateYear): NonNullable<ClimateStats['extremes']> {
  const top = (a: Float64Array) =>
    Array.from(a.keys())
      .sort((x, y) => a[y] - a[x] || x - y)
      .slice(0, DESIGN_HOURS);
  const extremeHours = [...new Set([...top(year.tWetC), ...top(year.tDryC)])].sort((a, b) => a - b);
  return extremeHours.map((hour) => ({
    hour,
    tDryC: r1(year.tDryC[hour]),
    tDewC: r1(year.tDewC[hour]),
  }));
}

/**
 * Summarise a climate year into compact statistics (see `ClimateStats`).
 *
 * @example
 * summarizeClimate(lanzhouEpw).daily.tMeanC.length // → 365
 */
export function summarizeClimate(year: ClimateYear): ClimateStats {
  const mOfD = monthOfDay();
  const daily: ClimateStats['daily'] = {
    tMeanC: [],
    tMinC: [],
    tMaxC: [],
    tDewMeanC: [],
    pressurePa: [],
    ghiWhM2: [],
    dniWhM2: [],
    dhiWhM2: [],
    windMps: [],
  };
  const sums = monthSums();
  for (let d = 0; d < 365; d++) addDay(year, d, mOfD[d], daily, sums);
  return {
    site: year.site,
    source: year.source,
    daily,
    monthly: { ...monthlyShapes(sums), windQuantiles: windQuantilesByMonth(year) },
    extremes: designExtremes(year),
  };
}

/**
 * Rebuild a deterministic typical year from compact statistics:
 * T(d,h) = Tmean_d + (Tmax_d − Tmin_d) · shape_m(h) (so each day keeps its mean exactly);
 * Td(d,h) = Tdmean_d + anomaly_m(h), capped at T(d,h); RH from T and Td; irradiance = daily sum × the
 * month's hourly share (annual irradiation kept to rounding); wind = daily mean × the month's hourly shape.
 *
 * @example
 * rebuildClimateYear(seeds.climate.lanzhou).tDryC.length // → 8760
 */
export function rebuildClimateYear(stats: ClimateStats): ClimateYear {
  const mOfD = monthOfDay();
  const n = HOURS_PER_YEAR;
  const raw: RawClimateHours = {
    tDryC: new Float64Array(n),
    rhPct: new Float64Array(n),
    pressurePa: new Float64Array(n),
    ghiWhM2: new Float64Array(n),
    dniWhM2: new Float64Array(n),
    dhiWhM2: new Float64Array(n),
    windMps: new Float64Array(n),
  };
  const { daily, monthly } = stats;
  for (const [k, v] of Object.entries(daily)) {
    if (!Array.isArray(v) || v.length !== 365)
      throw new Error(`climate stats daily.${k}: must have 365 values`);
  }
  for (let d = 0; d < 365; d++) {
    const m = mOfD[d];
    const range = daily.tMaxC[d] - daily.tMinC[d];
    for (let h = 0; h < 24; h++) {
      const i = d * 24 + h;
      const t = daily.tMeanC[d] + range * monthly.tShape[m][h];
      const td = Math.min(t, daily.tDewMeanC[d] + monthly.tDewAnomalyC[m][h]);
      raw.tDryC[i] = t;
      raw.rhPct[i] = rhFromDewPointPct(t, td);
      raw.pressurePa[i] = daily.pressurePa[d];
      raw.ghiWhM2[i] = daily.ghiWhM2[d] * monthly.ghiShare[m][h];
      raw.dniWhM2[i] = daily.dniWhM2[d] * monthly.dniShare[m][h];
      raw.dhiWhM2[i] = daily.dhiWhM2[d] * monthly.dhiShare[m][h];
      raw.windMps[i] = daily.windMps[d] * monthly.windShape[m][h];
    }
  }
  // Wind: keep each month's distribution. The hours keep the order of daily mean × diurnal shape, and
  // the k-th calmest hour of the month takes the month's quantile at k/(n − 1) (quantile mapping), so a
  // cubic power curve sees the file's spread, not a smoothed one.
  const wq = monthly.windQuantiles;
  if (wq) {
    for (let m = 0, h0 = 0; m < 12; m++) {
      const n = DAYS_IN_MONTH[m] * 24;
      const idx = Array.from({ length: n }, (_, k) => h0 + k).sort(
        (a, b) => raw.windMps[a] - raw.windMps[b] || a - b,
      );
      idx.forEach((h, k) => {
        raw.windMps[h] = Math.max(0, fromQuantiles(wq[m], n > 1 ? k / (n - 1) : 0.5));
      });
      h0 += n;
    }
  }
  // Design extremes: the hottest hours (wet-bulb and dry-bulb) as in the file.
  for (const x of stats.extremes ?? []) {
    if (!(x.hour >= 0 && x.hour < n)) throw new Error(`climate stats extremes: hour ${x.hour} out of range`);
    raw.tDryC[x.hour] = x.tDryC;
    raw.rhPct[x.hour] = rhFromDewPointPct(x.tDryC, Math.min(x.tDryC, x.tDewC));
  }
  return deriveClimateYear(stats.site, `rebuilt from statistics of ${stats.source}`, raw);
}
