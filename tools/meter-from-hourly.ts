/**
 * Turn a run's hourly export (GET /api/runs/{id}/hourly.csv?cluster=…&year=…) into a meter file for
 * `dcplan check`: the simulated year read as if it had been metered. Columns: timestamp (China time),
 * it_kwh, facility_kwh, water_m3, outdoor_temp_c. Run: npx tsx tools/meter-from-hourly.ts hourly.csv 2025 > meters.csv
 */
import { readFileSync } from 'node:fs';
import { csvParse } from 'd3-dsv';

const [file, yearArg] = process.argv.slice(2);
if (!file || !/^\d{4}$/.test(yearArg ?? '')) {
  process.stderr.write('usage: npx tsx tools/meter-from-hourly.ts <hourly.csv> <year>\n');
  process.exit(2);
}
const rows = csvParse(readFileSync(file, 'utf8'));
const p2 = (v: string | undefined) => String(v ?? '').padStart(2, '0');
const out = ['timestamp,it_kwh,facility_kwh,water_m3,outdoor_temp_c'];
for (const r of rows)
  out.push(
    `${yearArg}-${p2(r.month)}-${p2(r.day)} ${p2(r.hourOfDay)}:00,${r.itKw},${r.facilityKw},${(Number(r.waterL) / 1000).toFixed(4)},${r.tDryC}`,
  );
process.stdout.write(`${out.join('\n')}\n`);
