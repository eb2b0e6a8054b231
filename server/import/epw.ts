import { DAYS_IN_MONTH, HOURS_PER_YEAR } from '../../models/calendar.ts';
import { type ClimateYear, deriveClimateYear, type RawClimateHours } from '../../models/climate.ts';

/**
 * EnergyPlus weather (EPW) importer: 8 header lines (LOCATION gives name, latitude, longitude, time zone,
 * elevation), then hourly rows of 35 comma-separated fields (EnergyPlus Auxiliary Programs, "Weather
 * Converter Program", EPW data dictionary). Columns used (0-based): 6 dry-bulb °C, 7 dew point °C,
 * 8 RH %, 9 station pressure Pa, 13 GHI Wh/m², 14 DNI, 15 DHI, 21 wind speed m/s.
 * Leap-year files (8,784 rows) lose 29 February. Every data row has exactly 35 fields, plain decimal
 * numbers (no hexadecimal), a month 1–12, a day within the month and an hour 1–24. Errors name the line
 * and field.
 */

const FIELDS: Array<{
  key: keyof RawClimateHours | 'tDewC';
  col: number;
  label: string;
  missing: number;
  min: number;
  max: number;
}> = [
  { key: 'tDryC', col: 6, label: 'dry-bulb', missing: 99.9, min: -70, max: 70 },
  { key: 'tDewC', col: 7, label: 'dew point', missing: 99.9, min: -70, max: 70 },
  { key: 'rhPct', col: 8, label: 'relative humidity', missing: 999, min: 0, max: 110 },
  { key: 'pressurePa', col: 9, label: 'station pressure', missing: 999999, min: 31000, max: 120000 },
  { key: 'ghiWhM2', col: 13, label: 'global horizontal radiation', missing: 9999, min: 0, max: 1500 },
  { key: 'dniWhM2', col: 14, label: 'direct normal radiation', missing: 9999, min: 0, max: 1500 },
  { key: 'dhiWhM2', col: 15, label: 'diffuse horizontal radiation', missing: 9999, min: 0, max: 1500 },
  { key: 'windMps', col: 21, label: 'wind speed', missing: 999, min: 0, max: 60 },
];

/** Parse EPW text into a climate year. Throws one-line errors: `epw line 12: dry-bulb "abc" is not a number`. */
export function parseEpw(text: string, opts: { id?: string; name?: string } = {}): ClimateYear {
  if (typeof text !== 'string' || text.length === 0) throw new Error('epw: empty file');
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const loc = lines[0]?.split(',') ?? [];
  if (loc[0]?.trim().toUpperCase() !== 'LOCATION') throw new Error('epw line 1: expected a LOCATION header');
  // Plain decimal numbers only: Number() would also read "0x10" as 16, "1e999" as Infinity, " " as 0.
  const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$/;
  const num = (s: string | undefined, what: string, line: number) => {
    const t = s?.trim() ?? '';
    const v = Number(t);
    if (!DECIMAL.test(t) || !Number.isFinite(v))
      throw new Error(`epw line ${line}: ${what} "${s ?? ''}" is not a number`);
    return v;
  };
  const whole = (s: string | undefined, what: string, line: number, lo: number, hi: number) => {
    const v = num(s, what, line);
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new Error(`epw line ${line}: ${what} ${s?.trim()} is not a whole number ${lo}–${hi}`);
    return v;
  };
  const latDeg = num(loc[6], 'latitude', 1);
  const lonDeg = num(loc[7], 'longitude', 1);
  const utcOffsetHours = num(loc[8], 'time zone', 1);
  const elevationM = num(loc[9], 'elevation', 1);
  if (Math.abs(latDeg) > 90 || Math.abs(lonDeg) > 180)
    throw new Error('epw line 1: latitude/longitude out of range');
  const dataStart = lines.findIndex((l) => /^DATA PERIODS/i.test(l)) + 1;
  if (dataStart <= 0) throw new Error('epw: no DATA PERIODS header line');
  const rows = lines.length - dataStart;
  if (rows !== HOURS_PER_YEAR && rows !== HOURS_PER_YEAR + 24) {
    throw new Error(`epw: expected ${HOURS_PER_YEAR} hourly rows (or 8784 for a leap year), got ${rows}`);
  }
  const cols: Record<string, Float64Array> = {};
  for (const f of FIELDS) cols[f.key] = new Float64Array(HOURS_PER_YEAR);
  let h = 0;
  for (let i = dataStart; i < lines.length; i++) {
    const lineNo = i + 1;
    const parts = lines[i].split(',');
    if (parts.length !== 35) throw new Error(`epw line ${lineNo}: expected 35 fields, got ${parts.length}`);
    const month = whole(parts[1], 'month', lineNo, 1, 12);
    const day = whole(parts[2], 'day', lineNo, 1, month === 2 ? 29 : DAYS_IN_MONTH[month - 1]);
    whole(parts[3], 'hour', lineNo, 1, 24);
    if (rows > HOURS_PER_YEAR && month === 2 && day === 29) continue;
    if (h >= HOURS_PER_YEAR)
      throw new Error(`epw line ${lineNo}: more than ${HOURS_PER_YEAR} hours after removing 29 February`);
    for (const f of FIELDS) {
      const v = num(parts[f.col], f.label, lineNo);
      if (v >= f.missing) throw new Error(`epw line ${lineNo}: ${f.label} is missing (${parts[f.col]})`);
      if (v < f.min || v > f.max)
        throw new Error(`epw line ${lineNo}: ${f.label} ${v} outside ${f.min}–${f.max}`);
      cols[f.key][h] = v;
    }
    h++;
  }
  if (h !== HOURS_PER_YEAR) throw new Error(`epw: expected ${HOURS_PER_YEAR} hours, got ${h}`);
  const name = opts.name ?? (loc[1]?.trim() || 'EPW site');
  return deriveClimateYear(
    {
      id: opts.id ?? name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      name,
      wmo: loc[5]?.trim() || undefined,
      latDeg,
      lonDeg,
      elevationM,
      utcOffsetHours,
    },
    `EPW ${name}${loc[5] ? ` (WMO ${loc[5].trim()})` : ''}`,
    {
      tDryC: cols.tDryC,
      rhPct: cols.rhPct,
      pressurePa: cols.pressurePa,
      ghiWhM2: cols.ghiWhM2,
      dniWhM2: cols.dniWhM2,
      dhiWhM2: cols.dhiWhM2,
      windMps: cols.windMps,
    },
  );
}
