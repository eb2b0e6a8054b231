import { irr, npv, paybackYears } from '../finance.ts';
import { BUILD_PARTS, type PreparedCluster, type PreparedGreen } from '../prepare/types.ts';
import type { EngineReference } from '../reference.ts';
import type { AnnualRow, FinanceResult } from '../result.ts';

/**
 * Finance stage: cash flows and investor metrics of one cluster (DESIGN.md §8). Capex falls in the year
 * it is built: building + M&E per rack or per kW of IT design power for every phase built that year,
 * including one that replaces a retired phase (phases in service before the first simulated year count
 * as built in it), optional IT equipment per kW, grid connection in the first year, PV/wind/storage for
 * every increase over the largest size built so far. Opex: electricity (after green premiums,
 * certificates and export revenue), water, staff, maintenance as a share of the M&E plant's capex, land lease, other
 * fixed opex, O&M of on-site renewables and storage. Revenue: rent × occupied racks × 12. A one-off
 * award (e.g. Gansu's headquarters relocation award, up to 5 M yuan — seed 001) is income in year one.
 * No tax or depreciation. Flows are at year end; NPV discounts year 1 by one period.
 */

type Costs = EngineReference['costs'];

/** Capex by kind so far, and the largest PV / wind / storage size built so far. */
interface Ledger {
  breakdown: Record<string, number>;
  built: { pv: number; wind: number; storage: number };
}

function addCapex(l: Ledger, k: string, v: number): number {
  if (v > 0) l.breakdown[k] = (l.breakdown[k] ?? 0) + v;
  return v;
}

/** Racks and kW of IT design power built in year `y` (the i-th simulated year). */
function builtIn(pc: PreparedCluster, y: number, i: number): { racks: number; kw: number } {
  let racks = 0;
  let kw = 0;
  for (const p of pc.phases) {
    const inService = p.retireYear === undefined || p.retireYear > y;
    if (p.year === y || (i === 0 && p.year < y && inService)) {
      racks += p.racks;
      kw += p.racks * p.kwPerRack;
    }
  }
  return { racks, kw };
}

/** Capex of PV and wind (the generation whose LCOE is reported) and of storage in year `y`. */
function onsiteCapex(g: PreparedGreen | null, l: Ledger, y: number, first: number) {
  // Every increase over the largest size built so far is charged in its year.
  const grow = (k: 'pv' | 'wind' | 'storage', fromYear: number, size: number) => {
    if (y < Math.max(fromYear, first)) return 0;
    const added = Math.max(0, size - l.built[k]);
    l.built[k] = Math.max(l.built[k], size);
    return added;
  };
  let gen = 0;
  if (g?.pv) gen += addCapex(l, 'PV', grow('pv', g.pv.fromYear, g.pv.dcKw(y)) * 1000 * g.pv.capexCnyPerW);
  if (g?.wind)
    gen += addCapex(l, 'wind', grow('wind', g.wind.fromYear, g.wind.ratedKw(y)) * 1000 * g.wind.capexCnyPerW);
  let storage = 0;
  if (g?.battery) {
    const kwh = grow('storage', g.battery.fromYear, g.battery.energyKwh(y));
    storage = addCapex(l, 'storage', kwh * 1000 * g.battery.capexCnyPerWh);
  }
  return { gen, storage };
}

/**
 * Capex of year `y`: the facility (all in per rack or per kW, or the build cost model's parts per kW of
 * IT plus fit-out per physical rack), IT equipment, grid connection (first year).
 */
function facilityCapex(pc: PreparedCluster, l: Ledger, y: number, i: number) {
  const f = pc.finance;
  const added = builtIn(pc, y, i);
  let capex = 0;
  const c = f.capex;
  if (c.kind === 'per-rack') capex += addCapex(l, 'building + M&E', added.racks * c.cnyPerRack(y));
  else if (c.kind === 'per-kw') capex += addCapex(l, 'building + M&E', added.kw * c.cnyPerKw(y));
  else {
    const perKw = c.cnyPerKw(y);
    for (const part of BUILD_PARTS) capex += addCapex(l, part, added.kw * perKw * c.shares[part]);
    capex += addCapex(l, 'fit-out', added.racks * c.fitOutCnyPerRack(y));
  }
  if (i === 0) capex += addCapex(l, 'grid connection', f.gridConnectionCny);
  const it = f.itCapexCnyPerKw ? addCapex(l, 'IT equipment', added.kw * f.itCapexCnyPerKw(y)) : 0;
  return { facility: capex, it };
}

/** The facility's capex so far (building, M&E and fit-out; not IT equipment, grid connection or on-site green). */
function facilityCapexTotal(l: Ledger): number {
  const b = l.breakdown;
  return [...BUILD_PARTS, 'fit-out', 'building + M&E'].reduce((a, k) => a + (b[k] ?? 0), 0);
}

/** O&M of on-site generation (PV + wind) and of storage in year `y`, as shares of their capex. */
function onsiteOm(g: PreparedGreen | null, l: Ledger, y: number, c: Costs) {
  const b = l.breakdown;
  const gen =
    (g?.pv && y >= g.pv.fromYear ? (b.PV ?? 0) * c.pvOmFractionPerYear.value : 0) +
    (g?.wind && y >= g.wind.fromYear ? (b.wind ?? 0) * c.windOmFractionPerYear.value : 0);
  const storage =
    g?.battery && y >= g.battery.fromYear ? (b.storage ?? 0) * c.storageOmFractionPerYear.value : 0;
  return { gen, storage };
}

/** Staff of a year: as given, or a headcount for every 10 MW of IT design power in service (or part of it). */
function staffCny(pc: PreparedCluster, row: AnnualRow): number {
  const s = pc.finance.staff;
  if (s.kind === 'given') return s.cnyPerYear(row.year);
  return Math.ceil(row.designItKw / 10_000 - 1e-9) * s.heads(row.year) * s.cnyPerHead(row.year);
}

/** Opex of a year besides on-site O&M, by line: electricity, water, staff, maintenance, land, other. */
function facilityOpex(pc: PreparedCluster, l: Ledger, row: AnnualRow, criticalShare: number) {
  const f = pc.finance;
  const y = row.year;
  const b = l.breakdown;
  // Maintenance is a share of the M&E plant: the power and cooling parts of the build, or the cost
  // guide's critical share of an all-in capex
  const plant = (b.power ?? 0) + (b.cooling ?? 0) + (b['building + M&E'] ?? 0) * criticalShare;
  return {
    electricity: row.electricityCostCny,
    water: row.waterM3 * f.waterPriceCnyPerM3(y),
    staff: staffCny(pc, row),
    maintenance: f.maintenanceFractionOfCapex(y) * plant,
    land: f.landLeaseCnyPerYear?.(y) ?? 0,
    other: f.otherOpexCnyPerYear?.(y) ?? 0,
  };
}

/** LCOE of on-site generation over the asset life: years beyond the simulation repeat its mean output and O&M. */
function onsiteLcoe(
  pc: PreparedCluster,
  annual: AnnualRow[],
  l: Ledger,
  c: Costs,
  dis: { cost: number; mwh: number },
) {
  const g = pc.green;
  if (!g || !(g.pv || g.wind) || !(dis.mwh > 0)) return null;
  const r = pc.finance.discountRate;
  const life = c.assetLifeYears.value;
  const n = annual.length;
  const meanMwh = annual.reduce((s, a) => s + a.pvMwh + a.windMwh, 0) / n;
  const om =
    (l.breakdown.PV ?? 0) * c.pvOmFractionPerYear.value +
    (l.breakdown.wind ?? 0) * c.windOmFractionPerYear.value;
  let dc = dis.cost;
  let dm = dis.mwh;
  for (let k = n; k < life; k++) {
    const d = (1 + r) ** -(k + 1);
    dc += om * d;
    dm += meanMwh * d;
  }
  return dc / dm;
}

/** What the costs over the simulated years include, in words. */
function costNote(pc: PreparedCluster, l: Ledger, c: Costs): string {
  const f = pc.finance;
  const g = pc.green;
  const kinds = Object.keys(l.breakdown);
  const opex = [
    'electricity',
    'water',
    'staff',
    'maintenance',
    ...(f.landLeaseCnyPerYear ? ['land lease'] : []),
    ...(f.otherOpexCnyPerYear ? ['other opex'] : []),
    ...(g && (g.pv || g.wind || g.battery) ? ['renewables/storage O&M'] : []),
  ];
  return `Costs over the simulated years: ${kinds.length ? `capex (${kinds.join(', ')}) + ` : ''}${opex.join(' + ')}; ${
    f.landLeaseCnyPerYear ? '' : 'no land (not in the build cost; give finance.landLeaseCnyPerYear); '
  }less the salvage value at the end (straight-line over a ${f.facilityLifeYears}-year facility life, ${c.assetLifeYears.value} years for PV, wind and storage; none for IT equipment); no tax. Revenue: rent ${f.rent.kind === 'per-kw' ? 'per occupied kW of IT design power' : 'per occupied rack'}, power included.`;
}

export function financeStage(pc: PreparedCluster, annual: AnnualRow[], ref: EngineReference): FinanceResult {
  const f = pc.finance;
  const r = f.discountRate;
  const c = ref.costs;
  const l: Ledger = { breakdown: {}, built: { pv: 0, wind: 0, storage: 0 } };
  const flows: number[] = [];
  const t = {
    capex: 0,
    cost: 0,
    disCost: 0,
    rackYears: 0,
    disRackYears: 0,
    standardRackYears: 0,
    disStandardRackYears: 0,
    itMwh: 0,
  };
  const opexLines: Record<string, number> = {};
  const vintages: Array<{ i: number; cny: number; life: number }> = [];
  const onsiteDis = { cost: 0, mwh: 0 };
  let maxKw = 0;
  annual.forEach((row, i) => {
    maxKw = Math.max(maxKw, row.designItKw);
    const y = row.year;
    const d = (1 + r) ** -(i + 1);
    const facility = facilityCapex(pc, l, y, i);
    const onsite = onsiteCapex(pc.green, l, y, annual[0].year);
    const capex = facility.facility + facility.it + onsite.storage + onsite.gen;
    vintages.push({ i, cny: facility.facility, life: f.facilityLifeYears });
    vintages.push({ i, cny: onsite.storage + onsite.gen, life: c.assetLifeYears.value });
    const om = onsiteOm(pc.green, l, y, c);
    t.capex += capex;
    const lines = facilityOpex(pc, l, row, c.dcCriticalShare.value);
    for (const [k, v] of Object.entries(lines)) opexLines[k] = (opexLines[k] ?? 0) + v;
    opexLines['renewables/storage O&M'] = (opexLines['renewables/storage O&M'] ?? 0) + om.gen + om.storage;
    const opex = Object.values(lines).reduce((a, v) => a + v, 0) + (om.gen + om.storage);
    const rent =
      f.rent.kind === 'per-rack'
        ? f.rent.cny(y) * row.racksInService * row.occupancy * 12
        : f.rent.cny(y) * row.designItKw * row.occupancy * 12;
    const revenue = rent + (i === 0 ? f.incentiveAwardCny : 0);
    t.cost += capex + opex;
    t.disCost += (capex + opex) * d;
    const occupiedRacks = row.racksInService * row.occupancy;
    t.rackYears += occupiedRacks;
    t.disRackYears += occupiedRacks * d;
    const occupiedStandard = row.standardRacks * row.occupancy;
    t.standardRackYears += occupiedStandard;
    t.disStandardRackYears += occupiedStandard * d;
    t.itMwh += row.itEnergyMwh;
    onsiteDis.cost += (onsite.gen + om.gen) * d;
    onsiteDis.mwh += (row.pvMwh + row.windMwh) * d;
    flows.push(revenue - opex - capex);
  });
  // Salvage (as HOMER counts it): what is left of each year's capex at the end, straight-line over its life
  const n = annual.length;
  const salvage = vintages.reduce((a, v) => a + (v.cny * Math.max(0, v.life - (n - v.i))) / v.life, 0);
  if (n > 0 && salvage > 0) {
    flows[n - 1] += salvage;
    t.cost -= salvage;
    t.disCost -= salvage * (1 + r) ** -n;
  }
  const hasCapex = t.capex > 0;
  return {
    capexCny: hasCapex ? t.capex : null,
    capexBreakdownCny: l.breakdown,
    opexBreakdownCny: opexLines,
    salvageCny: salvage,
    npvCny: npv(r, flows),
    irr: hasCapex ? irr(flows) : null,
    paybackYears: hasCapex ? paybackYears(flows) : null,
    discountedPaybackYears: hasCapex ? paybackYears(flows, r) : null,
    costPerRackYearCny: t.rackYears > 0 ? t.cost / t.rackYears : null,
    levelizedCostPerRackYearCny: t.disRackYears > 0 ? t.disCost / t.disRackYears : null,
    costPerStandardRackYearCny: t.standardRackYears > 0 ? t.cost / t.standardRackYears : null,
    levelizedCostPerStandardRackYearCny:
      t.disStandardRackYears > 0 ? t.disCost / t.disStandardRackYears : null,
    capexPerMwItCny: hasCapex && maxKw > 0 ? facilityCapexTotal(l) / (maxKw / 1000) : null,
    costPerMwhItCny: t.itMwh > 0 ? t.cost / t.itMwh : null,
    lcoeOnsiteCnyPerMwh: onsiteLcoe(pc, annual, l, c, onsiteDis),
    discountRate: r,
    cashFlowCny: flows,
    note: costNote(pc, l, c),
  };
}
