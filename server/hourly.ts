import { DAYS_IN_MONTH, HOURS_PER_YEAR } from '../models/calendar.ts';
import type { HourlySeries } from '../models/simulate.ts';
import { csvTable } from './csv.ts';

const COOLING_MODES = ['mechanical', 'partial', 'free'];
const HOURLY_HEADER = [
  'hour',
  'month',
  'day',
  'hourOfDay',
  'itKw',
  'facilityKw',
  'pue',
  'waterL',
  'gridKw',
  'greenKw',
  'priceCnyPerKwh',
  'coolingMode',
  'tDryC',
  'tWetC',
];

/** One cluster-year's hourly series as CSV: 8,760 rows under a header with units in the names. */
export function hourlyCsv(h: HourlySeries): string {
  const rows: unknown[][] = [HOURLY_HEADER];
  let hour = 0;
  for (let m = 0; m < 12; m++) {
    for (let d = 1; d <= DAYS_IN_MONTH[m]; d++) {
      for (let k = 0; k < 24; k++, hour++) {
        const it = h.itKw[hour];
        rows.push([
          hour,
          m + 1,
          d,
          k,
          it.toFixed(3),
          h.facilityKw[hour].toFixed(3),
          it > 0 ? (h.facilityKw[hour] / it).toFixed(4) : '',
          h.waterL[hour].toFixed(2),
          h.gridKw[hour].toFixed(3),
          h.greenKw[hour].toFixed(3),
          h.priceCnyPerKwh[hour].toFixed(5),
          COOLING_MODES[h.coolingMode[hour]],
          h.tDryC[hour].toFixed(2),
          h.tWetC[hour].toFixed(2),
        ]);
      }
    }
  }
  if (hour !== HOURS_PER_YEAR) throw new Error('hourly export: calendar mismatch');
  return csvTable(rows);
}

/** Annual figures an hourly export is checked against (the run's stored row of that cluster-year). */
export const HOURLY_CHECK_KEYS = [
  'itEnergyMwh',
  'facilityEnergyMwh',
  'electricityCostCny',
  'greenEnergyMwh',
] as const;
