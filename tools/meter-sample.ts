/**
 * Writes docs/examples/meter-sample-lanzhou.csv: a year of daily meter readings for a site in Lanzhou,
 * made from a simulated year (the engine's hourly IT and facility load of a 6 MW water-cooled chiller
 * plant with a waterside economizer, large facility class, 2025), with ±1.5 % noise on each day's
 * facility energy (a fixed seed) and one bad month: in August the overhead (facility − IT) is 6 % above what the
 * plant model says (a fault the check should show as operation, not weather). The outdoor temperature
 * is the station's daily mean. Run: npx tsx tools/meter-sample.ts [out.csv]
 */
import { writeFileSync } from 'node:fs';
import { DAYS_IN_MONTH } from '../models/calendar.ts';
import { parseScenario } from '../models/scenario.ts';
import { prepareRun, simulate } from '../models/simulate.ts';
import { engineReference } from '../seeds/index.ts';

const out = process.argv[2] ?? new URL('../docs/examples/meter-sample-lanzhou.csv', import.meta.url).pathname;
const ref = engineReference();
const scenario = parseScenario({
  name: 'meter sample',
  startYear: 2025,
  years: 1,
  clusters: [
    {
      cluster: 'lanzhou',
      buildout: [{ year: 2025, itPowerKw: '6 MW', kwPerRack: '5 kW' }],
      occupancy: 0.7,
      cooling: { design: 'water-cooled-chiller-wse', facilityClass: 'large' },
    },
  ],
});
const r = simulate(prepareRun(scenario, ref), ref, { keepHourly: () => true });
const h = r.hourly[0];
// a fixed-seed generator (mulberry32) so the sample is the same on every machine
let seed = 20250101;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const lines = ['timestamp,it_kwh,facility_kwh,water_m3,outdoor_temp_c'];
let hour = 0;
for (let m = 0; m < 12; m++)
  for (let d = 1; d <= DAYS_IN_MONTH[m]; d++) {
    let it = 0;
    let fac = 0;
    let water = 0;
    let t = 0;
    for (let k = 0; k < 24; k++, hour++) {
      it += h.itKw[hour];
      fac += h.facilityKw[hour];
      water += h.waterL[hour] / 1000;
      t += h.tDryC[hour] / 24;
    }
    const noise = 1 + 0.015 * (2 * rand() - 1);
    const fault = m === 7 ? 1.06 : 1;
    const facility = it + (fac - it) * noise * fault;
    lines.push(
      `2025-${String(m + 1).padStart(2, '0')}-${String(d).padStart(2, '0')},${Math.round(it)},${Math.round(Math.max(facility, it))},${water.toFixed(1)},${t.toFixed(1)}`,
    );
  }
writeFileSync(out, `${lines.join('\n')}\n`);
process.stderr.write(`wrote ${out} (${lines.length - 1} daily rows)\n`);
