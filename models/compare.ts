import type { AnnualRow, ClusterResult } from './result.ts';

/** The parts of a delivered price, in bill order, with the annual row's CNY column of each. */
export const PRICE_PARTS = [
  { key: 'energy', column: 'energyComponentCny', label: 'Energy', zh: '电能量' },
  { key: 'lineLoss', column: 'lineLossCny', label: 'Line loss', zh: '线损' },
  { key: 'td', column: 'tdCny', label: 'T&D', zh: '输配电' },
  { key: 'systemOperation', column: 'systemOperationCny', label: 'System operation', zh: '系统运行' },
  { key: 'funds', column: 'fundsCny', label: 'Funds', zh: '政府性基金' },
  { key: 'capacity', column: 'capacityChargeCny', label: 'Demand/capacity charge', zh: '基本电费' },
  { key: 'incentive', column: 'incentiveCny', label: 'Incentive', zh: '优惠' },
] as const satisfies ReadonlyArray<{ key: string; column: keyof AnnualRow; label: string; zh: string }>;
export type PricePart = (typeof PRICE_PARTS)[number]['key'];

/**
 * The delivered grid price and its make-up over some years, CNY per billed kWh: each part's CNY summed
 * over the years ÷ the billed energy (so a year weighs by its energy). The parts add up to `delivered`
 * (the incentive is negative).
 *
 * @example
 * priceMakeUp(cluster.annual) // → { energy: 0.318, lineLoss: 0.007, td: 0.106, …, delivered: 0.595 }
 */
export function priceMakeUp(annual: readonly AnnualRow[]): Record<PricePart | 'delivered', number> {
  let kwh = 0;
  const sum = Object.fromEntries(PRICE_PARTS.map((p) => [p.key, 0])) as Record<PricePart, number>;
  for (const a of annual) {
    kwh += a.billedEnergyMwh * 1000;
    for (const p of PRICE_PARTS) sum[p.key] += a[p.column];
  }
  const out = { delivered: 0 } as Record<PricePart | 'delivered', number>;
  for (const p of PRICE_PARTS) {
    out[p.key] = kwh > 0 ? sum[p.key] / kwh : 0;
    out.delivered += out[p.key];
  }
  return out;
}

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
  /** Per occupied physical rack-year (the rank's basis). */
  costPerRackYearCny: number | null;
  levelizedCostPerRackYearCny: number | null;
  /** Per occupied standard-rack-year (2.5 kW of IT design power). */
  costPerStandardRackYearCny: number | null;
  npvCny: number | null;
  irr: number | null;
  pue: number | null;
  greenShare: number;
  carbonLocationTco2: number;
  averagePriceCnyPerKwh: number;
  /** The delivered price's make-up over the simulated years, CNY per billed kWh. */
  priceMakeUp: Record<PricePart | 'delivered', number>;
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

/** Gaps per rack-year below this share of the cost are closer than the inputs' precision: a tie. */
export const TIE_SHARE = 0.01;

/** A sentence on how close the top two are: a tie within 1 %, else the gap in CNY and per cent. */
function closeness(ranking: ClusterRanking[]): string {
  const ranked = ranking
    .filter((r) => r.costPerRackYearCny !== null)
    .sort((a, b) => a.rank.cost - b.rank.cost);
  if (ranked.length < 2) return '';
  const [a, b] = ranked;
  const gap = b.costPerRackYearCny! - a.costPerRackYearCny!;
  const share = gap / a.costPerRackYearCny!;
  const pct = `${(100 * share).toFixed(share < 0.01 ? 2 : 1)} %`;
  return share < TIE_SHARE
    ? `${a.name} and ${b.name} are within ${pct} per rack-year (${Math.round(gap).toLocaleString('en-US')} CNY): a tie at the precision of the inputs — the ranking between them can turn on any estimate. `
    : `${a.name} is cheapest, ${pct} (${Math.round(gap).toLocaleString('en-US')} CNY per rack-year) ahead of ${b.name}. `;
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
    costPerStandardRackYearCny: c.finance.costPerStandardRackYearCny,
    npvCny: c.finance.npvCny,
    irr: c.finance.irr,
    pue: pues[i],
    greenShare: greens[i],
    carbonLocationTco2: t[i].co2,
    averagePriceCnyPerKwh: avgPrice[i],
    priceMakeUp: priceMakeUp(c.annual),
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
    note: `${closeness(ranking)}Cost gaps per occupied rack-year against the cheapest cluster, split into price (tariff level, TOU and incentives), capacity/demand charges, energy via PUE, and the rest (green premiums, certificates, capex, water, staff). Ranks: 1 = best.`,
  };
}
