import type { RunResult } from '../models/result.ts';

/** Columns of a comparison row (key, unit, label), for tables and CSV headers. */
export const COMPARE_COLUMNS = [
  { key: 'pue', unit: '', label: 'PUE over the horizon (Σ facility / Σ IT energy)' },
  { key: 'lastYearPue', unit: '', label: 'PUE in the last year' },
  { key: 'wueLPerKwh', unit: 'L/kWh', label: 'WUE in the last year' },
  { key: 'itEnergyMwh', unit: 'MWh', label: 'IT energy over the horizon' },
  { key: 'electricityCostCny', unit: 'CNY', label: 'Electricity cost over the horizon' },
  { key: 'averagePriceCnyPerKwh', unit: 'CNY/kWh', label: 'Electricity cost per facility kWh' },
  { key: 'costPerRackYearCny', unit: 'CNY/rack-year', label: 'Cost per standard rack-year' },
  { key: 'npvCny', unit: 'CNY', label: 'Net present value' },
  { key: 'irr', unit: '1/yr', label: 'Internal rate of return' },
  { key: 'greenShare', unit: '', label: 'Green share of facility energy' },
  { key: 'carbonLocationTco2', unit: 'tCO2', label: 'Location-based emissions over the horizon' },
  { key: 'peakFacilityKw', unit: 'kW', label: 'Peak facility power' },
  { key: 'targetsMet', unit: '', label: 'Policy targets met' },
  { key: 'targetsMissed', unit: '', label: 'Policy targets missed' },
] as const;

type AnnualKey =
  | 'itEnergyMwh'
  | 'facilityEnergyMwh'
  | 'electricityCostCny'
  | 'carbonLocationTco2'
  | 'greenEnergyMwh';
const total = (rows: RunResult['clusters'][number]['annual'], key: AnnualKey): number => {
  let s = 0;
  for (const a of rows) s += a[key];
  return s;
};

/**
 * Key metrics of one run's clusters over the whole horizon: energy-weighted PUE (Σ facility / Σ IT,
 * ISO/IEC 30134-2), last-year PUE and WUE, energy, cost and average price, cost per rack-year, NPV/IRR,
 * green share, location-based carbon, peak facility power and targets met/missed.
 */
export function compareRows(runId: string, r: RunResult) {
  return r.clusters.map((c) => {
    const last = c.annual[c.annual.length - 1];
    const it = total(c.annual, 'itEnergyMwh');
    const fac = total(c.annual, 'facilityEnergyMwh');
    const cost = total(c.annual, 'electricityCostCny');
    const green = total(c.annual, 'greenEnergyMwh');
    let peak = 0;
    for (const a of c.annual) peak = Math.max(peak, a.peakFacilityKw);
    return {
      runId,
      scenario: r.scenario.name,
      clusterId: c.clusterId,
      name: c.name,
      years: `${r.scenario.startYear}–${r.scenario.startYear + r.scenario.years - 1}`,
      pue: it > 0 ? fac / it : null,
      lastYearPue: last.pue,
      wueLPerKwh: last.wueLPerKwh,
      itEnergyMwh: it,
      electricityCostCny: cost,
      averagePriceCnyPerKwh: fac > 0 ? cost / (fac * 1000) : null,
      costPerRackYearCny: c.finance.costPerRackYearCny,
      npvCny: c.finance.npvCny,
      irr: c.finance.irr,
      greenShare: fac > 0 ? green / fac : null,
      carbonLocationTco2: total(c.annual, 'carbonLocationTco2'),
      peakFacilityKw: peak,
      targetsMet: c.targets.filter((t) => t.met === true).length,
      targetsMissed: c.targets.filter((t) => t.met === false).length,
    };
  });
}

/** One comparison row (one cluster of one run). */
export type CompareRow = ReturnType<typeof compareRows>[number];
