import type { ClusterResult } from './result.ts';

/**
 * Investor comparison of the clusters of one run (DESIGN.md "Investors"): rank them on cost per
 * occupied rack-year, NPV, IRR, PUE, green share and carbon, and split each cluster's cost gap to the
 * cheapest into its drivers. Over the simulated years, with E the facility energy and p̄ the average
 * grid price (energy + capacity charges ÷ grid kWh):
 *   price effect      = (p̄_i − p̄_best) · E_best          — tariff level, TOU fit, incentives
 *   energy/PUE effect = p̄_i · (E_i − E_best)              — climate and cooling via PUE (IT energy equal)
 *   capacity charge   = C_i − C_best, shown inside the price effect's total as its own line
 *   green and other   = the rest (green premiums, certificates, export, capex, water, staff…)
 * each ÷ occupied rack-years. The parts add up to the gap exactly.
 */

export interface ClusterRanking {
  clusterId: string;
  name: string;
  costPerRackYearCny: number | null;
  levelizedCostPerRackYearCny: number | null;
  npvCny: number | null;
  irr: number | null;
  pue: number | null;
  greenShare: number;
  carbonLocationTco2: number;
  averagePriceCnyPerKwh: number;
  rank: { cost: number; npv: number | null; irr: number | null; pue: number; green: number; carbon: number };
}

export interface CostDrivers {
  clusterId: string;
  name: string;
  gapCnyPerRackYear: number;
  priceEffect: number;
  capacityChargeEffect: number;
  pueEnergyEffect: number;
  greenAndOtherEffect: number;
}

export interface Comparison {
  /** The cheapest cluster per occupied rack-year; null when no cluster has an occupied rack-year. */
  best: string | null;
  ranking: ClusterRanking[];
  drivers: CostDrivers[];
  note: string;
}

function totals(c: ClusterResult) {
  let it = 0;
  let fac = 0;
  let energyCharge = 0;
  let capCharge = 0;
  let gridKwh = 0;
  let green = 0;
  let co2 = 0;
  let rackYears = 0;
  for (const a of c.annual) {
    it += a.itEnergyMwh;
    fac += a.facilityEnergyMwh;
    energyCharge += a.energyChargeCny;
    capCharge += a.capacityChargeCny;
    gridKwh +=
      a.averagePriceCnyPerKwh > 0 ? (a.energyChargeCny + a.capacityChargeCny) / a.averagePriceCnyPerKwh : 0;
    green += a.greenShare * a.facilityEnergyMwh;
    co2 += a.carbonLocationTco2;
    rackYears += a.racksInService * a.occupancy;
  }
  const total = (c.finance.costPerRackYearCny ?? 0) * rackYears;
  return { it, fac, energyCharge, capCharge, gridKwh, green, co2, rackYears, total };
}

function ranks(values: Array<number | null>, better: 'low' | 'high'): Array<number | null> {
  const idx = values.map((v, i) => [v, i] as const).filter(([v]) => v !== null) as Array<
    readonly [number, number]
  >;
  idx.sort((a, b) => (better === 'low' ? a[0] - b[0] : b[0] - a[0]));
  const out: Array<number | null> = values.map(() => null);
  idx.forEach(([, i], k) => {
    out[i] = k + 1;
  });
  return out;
}

/**
 * Compare the clusters of a run; null with fewer than two clusters.
 *
 * @example
 * compareClusters(result.clusters)?.ranking[0].rank.cost // → 1 for the cheapest cluster
 */
export function compareClusters(clusters: ClusterResult[]): Comparison | null {
  if (clusters.length < 2) return null;
  const t = clusters.map(totals);
  const avgPrice = t.map((x) => (x.gridKwh > 0 ? (x.energyCharge + x.capCharge) / x.gridKwh : 0));
  const cost = clusters.map((c) => c.finance.costPerRackYearCny);
  const costRank = ranks(cost, 'low');
  const npvRank = ranks(
    clusters.map((c) => c.finance.npvCny),
    'high',
  );
  const irrRank = ranks(
    clusters.map((c) => c.finance.irr),
    'high',
  );
  const pues = t.map((x) => (x.it > 0 ? x.fac / x.it : null)); // no IT energy: not computed
  const greens = t.map((x) => (x.fac > 0 ? x.green / x.fac : 0));
  const pueRank = ranks(pues, 'low');
  const greenRank = ranks(greens, 'high');
  const co2Rank = ranks(
    t.map((x) => x.co2),
    'low',
  );
  const ranking: ClusterRanking[] = clusters.map((c, i) => ({
    clusterId: c.clusterId,
    name: c.name,
    costPerRackYearCny: c.finance.costPerRackYearCny,
    levelizedCostPerRackYearCny: c.finance.levelizedCostPerRackYearCny,
    npvCny: c.finance.npvCny,
    irr: c.finance.irr,
    pue: pues[i],
    greenShare: greens[i],
    carbonLocationTco2: t[i].co2,
    averagePriceCnyPerKwh: avgPrice[i],
    rank: {
      cost: costRank[i] ?? clusters.length,
      npv: npvRank[i],
      irr: irrRank[i],
      pue: pueRank[i] ?? clusters.length,
      green: greenRank[i] ?? clusters.length,
      carbon: co2Rank[i] ?? clusters.length,
    },
  }));
  ranking.sort((a, b) => a.rank.cost - b.rank.cost);
  const bestIdx = costRank.indexOf(1);
  if (bestIdx < 0) {
    // No cluster has a cost per occupied rack-year (occupancy 0, or nothing built within the horizon).
    return {
      best: null,
      ranking,
      drivers: [],
      note: 'No cluster has an occupied rack-year in the simulated years, so there is no cost per rack-year to rank on or split into drivers. Ranks: 1 = best.',
    };
  }
  const b = t[bestIdx];
  const drivers: CostDrivers[] = clusters.map((c, i) => {
    const x = t[i];
    const ry = x.rackYears || 1;
    const gap = x.total - b.total * (x.rackYears / (b.rackYears || 1));
    // energy: scale the best cluster's energy to this cluster's rack-years so unequal builds compare fairly
    const scale = b.rackYears > 0 ? x.rackYears / b.rackYears : 1;
    const capEffect = x.capCharge - b.capCharge * scale;
    const priceEffect = (avgPrice[i] - avgPrice[bestIdx]) * b.gridKwh * scale - capEffect;
    const pueEffect = avgPrice[i] * (x.gridKwh - b.gridKwh * scale);
    return {
      clusterId: c.clusterId,
      name: c.name,
      gapCnyPerRackYear: gap / ry,
      priceEffect: priceEffect / ry,
      capacityChargeEffect: capEffect / ry,
      pueEnergyEffect: pueEffect / ry,
      greenAndOtherEffect: (gap - priceEffect - capEffect - pueEffect) / ry,
    };
  });
  return {
    best: clusters[bestIdx].clusterId,
    ranking,
    drivers,
    note: 'Cost gaps per occupied rack-year against the cheapest cluster, split into price (tariff level, TOU and incentives), capacity/demand charges, energy via PUE, and the rest (green premiums, certificates, capex, water, staff). Ranks: 1 = best.',
  };
}
