import { csvParseRows } from 'd3-dsv';

/**
 * An operator's meter file: rows of a timestamp and energy, water and supply readings per interval
 * (15-minute, hourly, daily or monthly), read from CSV and checked row by row. Nothing here knows
 * about a site; `models/operator.ts` turns the readings into metrics.
 *
 * Timestamps are ISO 8601: `2025-01-01T00:00+08:00`, `2025-01-01 00:00` (no offset: local time in
 * China, UTC+8, which has no daylight saving), `2025-01-01` (a day) or `2025-01` (a month). A row's
 * timestamp is the start of its interval.
 */

/** The columns a meter file may have: name (as in the header, units in the name), meaning, required. */
export const METER_COLUMNS = [
  { name: 'timestamp', label: 'Start of the interval (ISO 8601)', required: true },
  { name: 'it_kwh', label: 'IT energy, kWh', required: true },
  { name: 'facility_kwh', label: 'Total facility energy, kWh', required: true },
  { name: 'cooling_kwh', label: 'Cooling energy, kWh (for pPUE of cooling)', required: false },
  { name: 'water_m3', label: 'Site water use, m³', required: false },
  { name: 'onsite_green_kwh', label: 'On-site renewable energy used, kWh', required: false },
  {
    name: 'contracted_green_kwh',
    label: 'Contracted green power (green-power trading), kWh',
    required: false,
  },
  { name: 'certificates_mwh', label: 'Green certificates (GEC) retired, MWh', required: false },
  { name: 'racks_in_service', label: 'Racks in service', required: false },
  {
    name: 'outdoor_temp_c',
    label: 'Outdoor dry-bulb temperature, °C (mean of the interval)',
    required: false,
  },
  { name: 'reused_heat_kwh', label: 'Heat reused outside the data centre, kWh', required: false },
] as const;

export type MeterColumn = Exclude<(typeof METER_COLUMNS)[number]['name'], 'timestamp'>;
export const VALUE_COLUMNS = METER_COLUMNS.map((c) => c.name).filter(
  (n) => n !== 'timestamp',
) as MeterColumn[];

/** Interval of the rows, minutes; a month is 'month' (its length varies). */
export type MeterInterval = 15 | 60 | 1440 | 'month';
export const METER_INTERVALS: readonly MeterInterval[] = [15, 60, 1440, 'month'];

/** A defect of one row (line 1 is the header) and column (null: the whole row). */
export interface MeterDefect {
  line: number;
  column: string | null;
  message: string;
}

/** Parsed readings, one entry per row in time order; absent columns are null. */
export interface MeterData {
  interval: MeterInterval;
  /** Start of each row's interval, ms since the epoch (UTC). */
  t: Float64Array;
  /** The CSV line of each row (for messages). */
  line: Int32Array;
  values: Record<MeterColumn, Float64Array | null>;
  /** Columns of the header that dcplan does not read (kept out, said in the result). */
  ignored: string[];
}

/** Local time of the files without an offset: China Standard Time, UTC+8, no daylight saving. */
export const CHINA_UTC_OFFSET_MIN = 480;

const TS =
  /^(\d{4})-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A timestamp as ms since the epoch (UTC) and the precision it was written with, or null when it is
 * not ISO 8601 or names a date that does not exist.
 *
 * @example
 * parseTimestamp('2025-01-01 08:00') // → { ms: Date.UTC(2025, 0, 1, 0, 0), unit: 'minute' } (08:00 in China is 00:00 UTC)
 */
export function parseTimestamp(s: string): { ms: number; unit: 'month' | 'day' | 'minute' } | null {
  const m = TS.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, hh, mi, ss, tz] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = hh === undefined ? 0 : Number(hh);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = ss === undefined ? 0 : Number(ss);
  if (month < 1 || month > 12 || hour > 24 || minute > 59 || second > 59) return null;
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > dim) return null;
  if (hour === 24 && (minute > 0 || second > 0)) return null;
  let offsetMin = CHINA_UTC_OFFSET_MIN;
  if (tz === 'Z') offsetMin = 0;
  else if (tz) {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMin * 60_000;
  return { ms, unit: d === undefined ? 'month' : hh === undefined ? 'day' : 'minute' };
}

/** The interval implied by the median step between rows (months recognised by their length). */
function detectInterval(t: Float64Array): MeterInterval | null {
  if (t.length < 2) return null;
  const steps = Array.from({ length: t.length - 1 }, (_, i) => (t[i + 1] - t[i]) / 60_000).sort(
    (a, b) => a - b,
  );
  const median = steps[Math.floor(steps.length / 2)];
  if (median >= 28 * 1440 && median <= 31 * 1440) return 'month';
  for (const i of [15, 60, 1440] as const) if (median === i) return i;
  return null;
}

/** Start of the interval after `ms` (for 'month': the first of the next month, local time). */
export function nextStart(ms: number, interval: MeterInterval): number {
  if (interval !== 'month') return ms + interval * 60_000;
  const local = new Date(ms + CHINA_UTC_OFFSET_MIN * 60_000);
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - CHINA_UTC_OFFSET_MIN * 60_000;
}

/** Options of reading a meter file. */
export interface MeterReadOptions {
  /** The interval of the rows; detected from the timestamps when not given. */
  interval?: MeterInterval;
  /** Most defects listed one by one (the rest are counted). */
  maxDefects?: number;
}

/** A refused file: every defect found (up to `maxDefects`, with the total). */
export interface MeterRefusal {
  defects: MeterDefect[];
  total: number;
}

const isBlank = (s: string | undefined) => s === undefined || s.trim() === '';

/**
 * Read a meter CSV. Returns the data, or every defect found: a missing required column, an unknown
 * or repeated column, a row with the wrong number of fields, a timestamp that is not ISO 8601, a
 * timestamp out of order or repeated, a value that is not a number, negative, or impossible (facility
 * below IT; water with no cooling energy; a renewable supply above the facility's energy), an interval
 * other than 15 min, 1 h, 1 day or 1 month. Gaps (missing intervals) are not defects: `operator.ts`
 * reports them as coverage.
 *
 * @example
 * readMeterCsv('timestamp,it_kwh,facility_kwh\n2025-01,1000,1300\n2025-02,900,1180\n') // → { data: { interval: 'month', … } }
 */
export function readMeterCsv(
  text: string,
  opts: MeterReadOptions = {},
): { data: MeterData; refusal: null } | { data: null; refusal: MeterRefusal } {
  const max = opts.maxDefects ?? 20;
  const defects: MeterDefect[] = [];
  let total = 0;
  const defect = (line: number, column: string | null, message: string) => {
    total++;
    if (defects.length < max) defects.push({ line, column, message });
  };
  const refuse = () => ({ data: null, refusal: { defects, total } }) as const;
  const rows = csvParseRows(text.replace(/^\uFEFF/, ''));
  // csvParseRows drops no lines but a trailing newline; a row of one empty field is a blank line
  const header = (rows[0] ?? []).map((h) => h.trim());
  if (!header.length || (header.length === 1 && header[0] === '')) {
    defect(1, null, 'the file is empty: give a header line (timestamp,it_kwh,facility_kwh,…) and rows');
    return refuse();
  }
  const known = new Set<string>(METER_COLUMNS.map((c) => c.name));
  const index: Partial<Record<string, number>> = {};
  const ignored: string[] = [];
  header.forEach((h, i) => {
    const name = h.toLowerCase();
    if (index[name] !== undefined) defect(1, h, `column "${h}" appears twice`);
    else if (known.has(name)) index[name] = i;
    else ignored.push(h);
  });
  for (const c of METER_COLUMNS)
    if (c.required && index[c.name] === undefined)
      defect(
        1,
        c.name,
        `required column "${c.name}" is missing (${c.label}); the header has: ${header.join(', ')}`,
      );
  if (total) return refuse();

  const n = rows.length - 1;
  const t = new Float64Array(n);
  const line = new Int32Array(n);
  const values = Object.fromEntries(
    VALUE_COLUMNS.map((c) => [c, index[c] === undefined ? null : new Float64Array(n)]),
  ) as Record<MeterColumn, Float64Array | null>;
  let k = 0;
  const units = new Set<string>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r];
    const ln = r + 1;
    if (row.length === 1 && isBlank(row[0])) continue; // a blank line
    if (row.length !== header.length) {
      defect(ln, null, `has ${row.length} fields; the header has ${header.length}`);
      continue;
    }
    const ts = parseTimestamp(row[index.timestamp!]);
    if (!ts) {
      defect(
        ln,
        'timestamp',
        `"${row[index.timestamp!]}" is not an ISO 8601 time (e.g. 2025-01-01T00:00+08:00, 2025-01-01 00:00, 2025-01-01, 2025-01)`,
      );
      continue;
    }
    units.add(ts.unit);
    let ok = true;
    const v: Partial<Record<MeterColumn, number>> = {};
    for (const c of VALUE_COLUMNS) {
      const i = index[c];
      if (i === undefined) continue;
      const raw = row[i].trim();
      if (raw === '' && c !== 'it_kwh' && c !== 'facility_kwh') {
        defect(ln, c, 'is empty: give a number (0 if there was none)');
        ok = false;
        continue;
      }
      const x = Number(raw);
      if (raw === '' || !Number.isFinite(x)) {
        defect(ln, c, `"${raw}" is not a number`);
        ok = false;
      } else if (x < 0 && c !== 'outdoor_temp_c') {
        defect(ln, c, `${raw} is negative`);
        ok = false;
      } else v[c] = x;
    }
    if (ok) {
      const bad = (l: number, c: string, msg: string) => {
        defect(l, c, msg);
        ok = false;
      };
      const it = v.it_kwh!;
      const fac = v.facility_kwh!;
      if (fac < it)
        bad(ln, 'facility_kwh', `${fac} kWh is below the IT energy ${it} kWh: facility energy includes IT`);
      if (v.cooling_kwh !== undefined && fac >= it && v.cooling_kwh > fac - it + 1e-9)
        bad(ln, 'cooling_kwh', `${v.cooling_kwh} kWh is more than facility − IT (${fac - it} kWh)`);
      if (v.water_m3 !== undefined && v.water_m3 > 0 && v.cooling_kwh !== undefined && v.cooling_kwh === 0)
        bad(ln, 'water_m3', `${v.water_m3} m³ of water with no cooling energy in the interval`);
      const green = (v.onsite_green_kwh ?? 0) + (v.contracted_green_kwh ?? 0);
      if (green > fac + 1e-9)
        bad(
          ln,
          'contracted_green_kwh',
          `on-site and contracted green power (${green} kWh) exceed the facility's energy (${fac} kWh)`,
        );
      if (v.outdoor_temp_c !== undefined && (v.outdoor_temp_c < -60 || v.outdoor_temp_c > 60))
        bad(ln, 'outdoor_temp_c', `${v.outdoor_temp_c} °C is outside −60…60 °C`);
    }
    if (!ok) continue;
    if (k > 0 && ts.ms <= t[k - 1]) {
      defect(
        ln,
        'timestamp',
        ts.ms === t[k - 1]
          ? `repeats the time of line ${line[k - 1]} (a duplicate row)`
          : `is earlier than line ${line[k - 1]}: rows must be in time order`,
      );
      continue;
    }
    t[k] = ts.ms;
    line[k] = ln;
    for (const c of VALUE_COLUMNS) if (values[c]) values[c]![k] = v[c] as number;
    k++;
  }
  if (k === 0 && !total) defect(2, null, 'the file has a header but no rows');
  if (total) return refuse();
  const tt = t.slice(0, k);
  const interval = opts.interval ?? (units.size === 1 && units.has('month') ? 'month' : detectInterval(tt));
  if (interval === null) {
    defect(
      line[1] ?? 2,
      'timestamp',
      k < 2
        ? 'one row cannot show its interval: give --interval (15, 60, 1440 or month)'
        : 'rows are not 15 minutes, 1 hour, 1 day or 1 month apart (the most common step): give --interval',
    );
    return refuse();
  }
  // every step must be a whole number of intervals
  for (let i = 1; i < k; i++) {
    let s = tt[i - 1];
    let steps = 0;
    while (s < tt[i] && steps <= 1e6) {
      s = nextStart(s, interval);
      steps++;
    }
    if (s !== tt[i])
      defect(
        line[i],
        'timestamp',
        `is not a whole number of ${interval === 'month' ? 'months' : `${interval}-minute intervals`} after line ${line[i - 1]}`,
      );
  }
  if (total) return refuse();
  const out = Object.fromEntries(
    VALUE_COLUMNS.map((c) => [c, values[c] ? values[c]!.slice(0, k) : null]),
  ) as Record<MeterColumn, Float64Array | null>;
  return { data: { interval, t: tt, line: line.slice(0, k), values: out, ignored }, refusal: null };
}
