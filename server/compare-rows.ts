import { type ClusterRanking, type CostDrivers, compareClusters } from '../models/compare.ts';
import type { ClusterResult, RunResult } from '../models/result.ts';

/** Columns of a comparison row (key, unit, label), for tables and CSV headers. */
export const COMPARE_COLUMNS = [
  { key: 'pue', unit: '', label: 'PUE over the horizon (Σ facility / Σ IT energy)' },
  { key: 'lastYearPue', unit: '', label: 'PUE in the last year' },
  { key: 'wueLPerKwh', unit: 'L/kWh', label: 'WUE in the last year' },
  { key: 'itEnergyMwh', unit: 'MWh', label: 'IT energy over the horizon' },
  { key: 'electricityCostCny', unit: 'CNY', label: 'Electricity cost over the horizon' },
  {
    key: 'averagePriceCnyPerKwh',
    unit: 'CNY/kWh',
    label: 'Average grid price (energy and capacity charges per grid kWh)',
  },
  { key: 'costPerRackYearCny', unit: 'CNY/rack-year', label: 'Cost per occupied physical rack-year' },
  {
    key: 'levelizedCostPerRackYearCny',
    unit: 'CNY/rack-year',
    label: 'Levelized cost per occupied physical rack-year (discounted)',
  },
  {
    key: 'costPerStandardRackYearCny',
    unit: 'CNY/std-rack-year',
    label: 'Cost per occupied standard-rack-year (2.5 kW)',
  },
  { key: 'npvCny', unit: 'CNY', label: 'Net present value' },
  { key: 'irr', unit: '1/yr', label: 'Internal rate of return' },
  { key: 'greenShare', unit: '', label: 'Green share of facility energy (certificates included)' },
  { key: 'carbonLocationTco2', unit: 'tCO2', label: 'Location-based emissions over the horizon' },
  { key: 'peakFacilityKw', unit: 'kW', label: 'Peak facility power' },
  { key: 'targetsMet', unit: '', label: 'Policy targets met' },
  { key: 'targetsMissed', unit: '', label: 'Policy targets missed' },
] as const;

/** The annual figures models/compare.ts sums over the years. */
const RANKED_KEYS = [
  'itEnergyMwh',
  'facilityEnergyMwh',
  'energyChargeCny',
  'capacityChargeCny',
  'averagePriceCnyPerKwh',
  'greenShare',
  'carbonLocationTco2',
  'racksInService',
  'occupancy',
  'standardRacks',
  'billedEnergyMwh',
  'energyComponentCny',
  'lineLossCny',
  'tdCny',
  'systemOperationCny',
  'fundsCny',
  'incentiveCny',
] as const;
type RankedKey = (typeof RANKED_KEYS)[number];

/** One cluster of a run as a comparison needs it. */
export interface CompareCluster {
  clusterId: string;
  name: string;
  finance: Pick<
    ClusterResult['finance'],
    'costPerRackYearCny' | 'levelizedCostPerRackYearCny' | 'costPerStandardRackYearCny' | 'npvCny' | 'irr'
  >;
  targetsMet: number;
  targetsMissed: number;
  lastYearPue: number | null;
  wueLPerKwh: number | null;
  /** Σ over the years. */
  itEnergyMwh: number;
  electricityCostCny: number;
  /** Highest of the years. */
  peakFacilityKw: number;
  /** Year by year (oldest first), what models/compare.ts sums: one array a figure. */
  annual: Record<RankedKey, number[]>;
}

/** What a run keeps for comparisons (written with its result): its scenario and clusters. */
export interface CompareInput {
  scenario: { name: string; startYear: number; years: number };
  clusters: CompareCluster[];
}

/** The part of a run's result that comparisons read (a few kB, instead of the whole result). */
export function compareInput(r: RunResult): CompareInput {
  const { name, startYear, years } = r.scenario;
  return {
    scenario: { name, startYear, years },
    clusters: r.clusters.map((c) => {
      const last = c.annual[c.annual.length - 1];
      let it = 0;
      let cost = 0;
      let peak = 0;
      for (const a of c.annual) {
        it += a.itEnergyMwh;
        cost += a.electricityCostCny;
        peak = Math.max(peak, a.peakFacilityKw);
      }
      return {
        clusterId: c.clusterId,
        name: c.name ?? c.clusterId,
        finance: {
          costPerRackYearCny: c.finance.costPerRackYearCny,
          levelizedCostPerRackYearCny: c.finance.levelizedCostPerRackYearCny,
          costPerStandardRackYearCny: c.finance.costPerStandardRackYearCny,
          npvCny: c.finance.npvCny,
          irr: c.finance.irr,
        },
        targetsMet: c.targets.filter((t) => t.met === true).length,
        targetsMissed: c.targets.filter((t) => t.met === false).length,
        lastYearPue: last?.pue ?? null,
        wueLPerKwh: last?.wueLPerKwh ?? null,
        itEnergyMwh: it,
        electricityCostCny: cost,
        peakFacilityKw: peak,
        annual: Object.fromEntries(RANKED_KEYS.map((k) => [k, c.annual.map((a) => a[k])])) as Record<
          RankedKey,
          number[]
        >,
      };
    }),
  };
}

/** A stored cluster as models/compare.ts reads a cluster (only the fields it reads are there). */
function asClusterResult(c: CompareCluster, id: string): ClusterResult {
  const annual = c.annual.itEnergyMwh.map((_, y) =>
    // a run stored before a key was kept (the bill's lines came with engine 0.3.0) reads 0 there
    Object.fromEntries(RANKED_KEYS.map((k) => [k, c.annual[k]?.[y] ?? 0])),
  );
  return { clusterId: id, name: c.name, finance: c.finance, annual } as unknown as ClusterResult;
}

/** One row of a comparison: a cluster of a run, ranked among all the rows. */
export interface CompareRow
  extends Omit<ClusterRanking, 'clusterId' | 'name'>,
    Omit<CompareCluster, 'finance' | 'annual'> {
  runId: string;
  scenario: string;
  years: string;
  /** Its cost gap to the cheapest row, split into drivers; null when no row has a cost to rank on. */
  drivers: Omit<CostDrivers, 'clusterId' | 'name'> | null;
}

/**
 * The clusters of finished runs side by side, ranked with the engine's investor comparison
 * (`compareClusters` of models/compare.ts, as the CLI's `compare` and the web's compare view): cost
 * per occupied rack-year, NPV, IRR, energy-weighted PUE (Σ facility / Σ IT), green share, carbon,
 * average grid price, their ranks and the cost drivers against the cheapest row — plus last-year PUE
 * and WUE, IT energy, electricity cost, peak facility power and targets met/missed. Rows keep the
 * order of the runs and of their clusters.
 */
export function compareRuns(runs: Array<{ runId: string; input: CompareInput }>) {
  const entries = runs.flatMap(({ runId, input }) => input.clusters.map((c) => ({ runId, input, c })));
  // Positions stand in for ids (a cluster may appear in several runs, or twice in one).
  const clusters = entries.map((e, i) => asClusterResult(e.c, String(i)));
  // compareClusters ranks two or more: a lone cluster is compared with itself (it ranks first, no gap).
  if (clusters.length === 1) clusters.push(asClusterResult(entries[0].c, 'itself'));
  const cmp = compareClusters(clusters);
  const ranked = new Map(cmp?.ranking.map((r) => [Number(r.clusterId), r]));
  const rows: CompareRow[] = entries.map(({ runId, input, c }, i) => {
    const r = ranked.get(i)!;
    const d = cmp?.drivers[i];
    return {
      runId,
      scenario: input.scenario.name,
      clusterId: c.clusterId,
      name: c.name,
      years: `${input.scenario.startYear}–${input.scenario.startYear + input.scenario.years - 1}`,
      pue: r.pue,
      lastYearPue: c.lastYearPue,
      wueLPerKwh: c.wueLPerKwh,
      itEnergyMwh: c.itEnergyMwh,
      electricityCostCny: c.electricityCostCny,
      averagePriceCnyPerKwh: r.averagePriceCnyPerKwh,
      costPerRackYearCny: r.costPerRackYearCny,
      levelizedCostPerRackYearCny: r.levelizedCostPerRackYearCny,
      costPerStandardRackYearCny: r.costPerStandardRackYearCny,
      priceMakeUp: r.priceMakeUp,
      npvCny: r.npvCny,
      irr: r.irr,
      greenShare: r.greenShare,
      carbonLocationTco2: r.carbonLocationTco2,
      peakFacilityKw: c.peakFacilityKw,
      targetsMet: c.targetsMet,
      targetsMissed: c.targetsMissed,
      rank: r.rank,
      drivers: d
        ? {
            gapCnyPerRackYear: d.gapCnyPerRackYear,
            priceEffect: d.priceEffect,
            capacityChargeEffect: d.capacityChargeEffect,
            pueEnergyEffect: d.pueEnergyEffect,
            greenAndOtherEffect: d.greenAndOtherEffect,
          }
        : null,
    };
  });
  const best = cmp?.best == null ? null : entries[Number(cmp.best)];
  return {
    columns: COMPARE_COLUMNS,
    rows,
    /** The cheapest row per occupied rack-year (null when none has an occupied rack-year). */
    best: best ? { runId: best.runId, clusterId: best.c.clusterId } : null,
    note: cmp?.note ?? '',
  };
}
