import { DAYS_IN_MONTH, HOURS_PER_YEAR, MONTH_START_HOUR } from '../calendar.ts';
import { type ClimateYear, deriveClimateYear } from '../climate.ts';
import { type CoolingDesign, coolingDesign, facilityLoad, prepareCooling } from '../cooling.ts';
import { CHINA_UTC_OFFSET_MIN, type MeterData } from './meter.ts';

/**
 * Expected versus measured: the site's plant simulated by the engine's cooling and electrical model,
 * driven hour by hour by the metered IT load (not by racks × utilisation), on the site's weather —
 * the seeded station's typical year, with the operator's own outdoor temperatures where the meter file
 * has them — and on the typical year alone (weather-normalised). Month by month, an operator sees
 * whether a bad month was the weather (expected PUE high too) or the operation (measured above
 * expected). Calibration fits up to three plant parameters to the measured months by least squares.
 */

/** The metered IT load of one calendar year (China time), kW per hour of the year. */
export interface MeteredYear {
  year: number;
  itKw: Float64Array;
  /** 1 where the hour has metered IT energy. */
  has: Uint8Array;
  /** Metered outdoor temperature per hour (NaN where none). */
  tempC: Float64Array | null;
  /** Rows outside `year` (not in the comparison). */
  outside: number;
  /** How the rows were spread over hours ('hourly' rows as they are; daily and monthly rows flat). */
  spread: 'as metered' | 'flat within each day' | 'flat within each month';
}

/** Hour of the year (0–8759, China time) of a UTC instant in `year`, or −1 outside it. */
function hourOfYear(ms: number, year: number): number {
  const local = ms + CHINA_UTC_OFFSET_MIN * 60_000;
  const h = Math.floor((local - Date.UTC(year, 0, 1)) / 3_600_000);
  return h >= 0 && h < HOURS_PER_YEAR ? h : -1;
}

/**
 * Spread a meter file's IT energy (and outdoor temperature) over the hours of the calendar year most
 * of its rows fall in: 15-minute rows summed to hours, hourly rows as they are, daily and monthly rows
 * spread evenly over their hours (the only assumption available without finer data). In a leap year
 * 31 December is beyond the 8,760 hours of a typical year and is left out.
 */
export function meteredYear(d: MeterData): MeteredYear {
  const years = new Map<number, number>();
  for (const t of d.t) {
    const y = new Date(t + CHINA_UTC_OFFSET_MIN * 60_000).getUTCFullYear();
    years.set(y, (years.get(y) ?? 0) + 1);
  }
  const year = [...years].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
  const itKw = new Float64Array(HOURS_PER_YEAR);
  const has = new Uint8Array(HOURS_PER_YEAR);
  const temp = d.values.outdoor_temp_c ? new Float64Array(HOURS_PER_YEAR).fill(Number.NaN) : null;
  const tempN = temp ? new Float64Array(HOURS_PER_YEAR) : null;
  let outside = 0;
  const hoursOf = (i: number): number => {
    if (d.interval === 15 || d.interval === 60) return 1;
    if (d.interval === 1440) return 24;
    const local = new Date(d.t[i] + CHINA_UTC_OFFSET_MIN * 60_000);
    return DAYS_IN_MONTH[local.getUTCMonth()] * 24;
  };
  for (let i = 0; i < d.t.length; i++) {
    const h0 = hourOfYear(d.t[i], year);
    if (h0 < 0) {
      outside++;
      continue;
    }
    const n = hoursOf(i);
    const it = d.values.it_kwh![i] / n; // kWh of each hour (a 15-minute row adds its quarter)
    for (let h = h0; h < Math.min(HOURS_PER_YEAR, h0 + n); h++) {
      itKw[h] += it;
      has[h] = 1;
      if (temp && tempN) {
        const x = d.values.outdoor_temp_c![i];
        temp[h] = Number.isNaN(temp[h]) ? x : temp[h] + x;
        tempN[h]++;
      }
    }
  }
  if (temp && tempN) for (let h = 0; h < HOURS_PER_YEAR; h++) if (tempN[h] > 1) temp[h] /= tempN[h];
  const spread =
    d.interval === 1440
      ? 'flat within each day'
      : d.interval === 'month'
        ? 'flat within each month'
        : 'as metered';
  return { year, itKw, has, tempC: temp, outside, spread };
}

/**
 * The site's weather for the comparison: the station's typical year with the metered outdoor
 * temperature in the hours that have one (hourly rows: that hour; daily and monthly rows: the
 * station's hours shifted by the difference of the means, keeping the station's daily shape),
 * humidity from the station's dew point held (so the air's moisture is the station's).
 */
export function siteWeather(station: ClimateYear, m: MeteredYear): ClimateYear {
  if (!m.tempC) return station;
  const t = Float64Array.from(station.tDryC);
  const rh = Float64Array.from(station.rhPct);
  for (let h = 0; h < HOURS_PER_YEAR; h++) {
    const x = m.tempC[h];
    if (Number.isNaN(x)) continue;
    t[h] = m.spread === 'as metered' ? x : station.tDryC[h] + (x - meanOf(station.tDryC, h, m.spread));
    // keep the station's dew point: RH from the new dry bulb (Magnus, over water)
    const td = station.tDewC[h];
    const es = (c: number) => Math.exp((17.62 * c) / (243.12 + c));
    rh[h] = Math.min(100, Math.max(1, (100 * es(td)) / es(t[h])));
  }
  return deriveClimateYear(station.site, `${station.source}, with the metered outdoor temperature`, {
    tDryC: t,
    rhPct: rh,
    pressurePa: station.pressurePa,
    ghiWhM2: station.ghiWhM2,
    dniWhM2: station.dniWhM2,
    dhiWhM2: station.dhiWhM2,
    windMps: station.windMps,
  });
}

/** Mean of the station's dry bulb over the day or month of hour h. */
function meanOf(x: Float64Array, h: number, spread: MeteredYear['spread']): number {
  let a = 0;
  let b = 0;
  if (spread === 'flat within each day') {
    a = Math.floor(h / 24) * 24;
    b = a + 24;
  } else {
    let m = 0;
    while (m < 11 && MONTH_START_HOUR[m + 1] <= h) m++;
    a = MONTH_START_HOUR[m];
    b = MONTH_START_HOUR[m + 1];
  }
  let s = 0;
  for (let i = a; i < b; i++) s += x[i];
  return s / (b - a);
}

/** The plant of the site: cooling design, facility class, parameter overrides, IT design power. */
export interface SitePlant {
  design: string;
  facilityClass?: string;
  overrides?: Record<string, number>;
  /** IT design power of the halls, kW (sizes the plant, UPS and lighting). */
  designItKw: number;
  /** UPS capacity energised (online modules), kW of IT. */
  upsOnlineKw: number;
}

/** Expected facility energy by month for the metered IT load, on a climate. */
export interface ExpectedMonths {
  /** Σ IT kWh and Σ expected facility kWh of the hours with data, by month (12 each). */
  itKwh: Float64Array;
  facilityKwh: Float64Array;
}

/**
 * Expected facility energy by month for the metered IT hours (hours without data count nowhere).
 *
 * @example
 * expectedMonths(meteredYear(data), lanzhou, { design: 'water-cooled-chiller-wse', designItKw: 10000 })
 */
export function expectedMonths(
  m: MeteredYear,
  climate: ClimateYear,
  plant: SitePlant,
  design?: CoolingDesign,
): ExpectedMonths {
  const d = design ?? coolingDesign(plant.design, plant.overrides ?? {}, plant.facilityClass);
  const profile = prepareCooling(d, climate);
  const facilityKw = new Float64Array(HOURS_PER_YEAR);
  facilityLoad(m.itKw, { installedItKw: plant.designItKw, energisedItKw: plant.upsOnlineKw }, d, profile, {
    facilityKw,
    waterL: null,
  });
  const itKwh = new Float64Array(12);
  const facilityKwh = new Float64Array(12);
  for (let mo = 0; mo < 12; mo++)
    for (let h = MONTH_START_HOUR[mo]; h < MONTH_START_HOUR[mo + 1]; h++)
      if (m.has[h]) {
        itKwh[mo] += m.itKw[h];
        facilityKwh[mo] += facilityKw[h];
      }
  return { itKwh, facilityKwh };
}
