import { DAYS_IN_MONTH, HOURS_PER_YEAR, MONTH_START_HOUR } from '../calendar.ts';
import type { LpSolver } from '../lp.ts';
import type { PreparedCluster, PreparedGreen } from '../prepare/types.ts';
import {
  type BalanceInput,
  type BalanceWork,
  type BatteryParams,
  energyBalance,
  fadedCapacityKwh,
} from '../storage.ts';
import {
  DEMAND_FLOOR_OF_CONTRACT,
  HIGH_LOAD_KWH_PER_KVA,
  HIGH_LOAD_SHARE,
  hourlyPriceCnyPerKwh,
  type TariffInput,
} from '../tariff.ts';
import type { TariffYear } from './bill.ts';

/** Green supply of one year (MWh, CNY), as the annual row reports it. */
export interface GreenAnnual {
  pvMwh: number;
  windMwh: number;
  onsiteGreenMwh: number;
  curtailedMwh: number;
  exportedMwh: number;
  batteryChargeMwh: number;
  batteryDischargeMwh: number;
  batteryCycles: number;
  contractedGreenMwh: number;
  certificatesMwh: number;
  greenEnergyMwh: number;
  importMwh: number;
  hours80: number;
  greenCostCny: number;
  exportRevenueCny: number;
}

/** State carried from one year to the next: the battery's charge, its green share and its cycles. */
export interface SupplyState {
  socKwh: number;
  socGreen: number;
  cumCycles: number;
  /** Output of 1 kW of PV / wind in each hour (site stage), or null without them. */
  pvUnit: Float64Array | null;
  windUnit: Float64Array | null;
  onsite: Float64Array | null;
  /** PV and wind capacity (kW) `onsite` holds, and their output (MWh): unchanged capacity is not recomputed. */
  onsiteFor: { pvKw: number; windKw: number; pvMwh: number; windMwh: number } | null;
  /** Hourly buffers of the energy balance, reused every year (null without green supply). */
  work: BalanceWork | null;
  /** The LP solver of a battery dispatched optimally (RunOptions.lp), else null. */
  lp: LpSolver | null;
}

export interface SupplyYear {
  green: GreenAnnual;
  /** Grid import each hour (what the tariff bills), kW. */
  gridKw: Float64Array;
  /** Green supply each hour, kW, when asked for (`hourly`); null otherwise or when only an annual green share is given. */
  greenKw: Float64Array | null;
  /** Green supply by month (12 values), kWh; null when only an annual green share is given. */
  greenByMonthKwh: Float64Array | null;
  /**
   * The dispatch hour by hour when `hourly` asks for it and the cluster has a green block: the
   * battery's state of charge at the end of each hour (and at the start of the year), contracted green
   * power, kW (views of the balance's buffers: copy them before the next year). Null otherwise.
   */
  detail: { socKwh: Float64Array | null; startSocKwh: number; contractedKw: Float64Array | null } | null;
}

function emptyGreen(facilityEnergyMwh: number): GreenAnnual {
  return {
    pvMwh: 0,
    windMwh: 0,
    onsiteGreenMwh: 0,
    curtailedMwh: 0,
    exportedMwh: 0,
    batteryChargeMwh: 0,
    batteryDischargeMwh: 0,
    batteryCycles: 0,
    contractedGreenMwh: 0,
    certificatesMwh: 0,
    greenEnergyMwh: 0,
    importMwh: facilityEnergyMwh,
    hours80: 0,
    greenCostCny: 0,
    exportRevenueCny: 0,
  };
}

/** On-site output of the year's PV and wind capacity into `st.onsite`; returns (PV, wind) MWh. */
function onsiteOutput(g: PreparedGreen, st: SupplyState, year: number): { pvMwh: number; windMwh: number } {
  const onsite = st.onsite;
  if (!onsite) return { pvMwh: 0, windMwh: 0 };
  const pvKw = g.pv && year >= g.pv.fromYear ? g.pv.dcKw(year) : 0;
  const windKw = g.wind && year >= g.wind.fromYear ? g.wind.ratedKw(year) : 0;
  const last = st.onsiteFor;
  if (last && last.pvKw === pvKw && last.windKw === windKw) return last;
  onsite.fill(0);
  const pvKwh = st.pvUnit ? addScaled(onsite, st.pvUnit, pvKw) : 0;
  const windKwh = st.windUnit ? addScaled(onsite, st.windUnit, windKw) : 0;
  st.onsiteFor = { pvKw, windKw, pvMwh: pvKwh / 1000, windMwh: windKwh / 1000 };
  return st.onsiteFor;
}

/** `out[h] += k · unit[h]` for every hour; returns Σ k · unit[h]. */
function addScaled(out: Float64Array, unit: Float64Array, k: number): number {
  let s = 0;
  for (let h = 0; h < out.length; h++) {
    const v = k * unit[h];
    out[h] += v;
    s += v;
  }
  return s;
}

/** The year's battery (faded by age and cycles so far), or null before it is built. */
function batteryOf(g: PreparedGreen, st: SupplyState, year: number): BatteryParams | null {
  const gb = g.battery;
  if (!gb || year < gb.fromYear) return null;
  return {
    energyKwh: fadedCapacityKwh(
      gb.energyKwh(year),
      year - gb.fromYear,
      st.cumCycles,
      gb.fadePerYear,
      gb.fadePerCycle,
    ),
    powerKw: gb.powerKw(year),
    roundTripEfficiency: gb.roundTripEfficiency,
    depthOfDischarge: gb.depthOfDischarge,
    policy: gb.policy,
  };
}

/**
 * The energy component of each hour's price (what a contracted energy price replaces): the all-in
 * price less the same tariff with a zero energy price (line loss, T&D, system operation, funds, each
 * × ratio where the calendar floats it). Under a delivered price the energy component is the delivered
 * price less the month's other components.
 *
 * @example
 * // energy 0.30 × ratio + T&D 0.10 → 0.30 × ratio in every hour
 */
export function energyComponentCnyPerKwh(
  tariff: TariffInput,
  year: number,
  prices: Float64Array,
  periods: Uint8Array,
): Float64Array {
  const out = new Float64Array(HOURS_PER_YEAR);
  const noEnergy: TariffInput = {
    ...tariff,
    months: tariff.months.map((m) => ({ ...m, components: { ...m.components, energy: 0 } })),
  };
  if (tariff.incentive.kind === 'delivered-price') {
    const delivered = tariff.incentive.cnyPerKwh;
    let h = 0;
    noEnergy.months.forEach((m, i) => {
      const c = m.components;
      const v = Math.max(0, delivered - (c.lineLoss + c.td + c.systemOperation + c.funds));
      const end = h + DAYS_IN_MONTH[i] * 24;
      out.fill(v, h, end);
      h = end;
    });
    return out;
  }
  const rest = hourlyPriceCnyPerKwh(noEnergy, year, periods);
  for (let h = 0; h < HOURS_PER_YEAR; h++) out[h] = Math.max(0, prices[h] - rest[h]);
  return out;
}

/**
 * The demand charge the optimal dispatch minimises, month by month: the rate × the share billed (90 %
 * in a month of ≥ 260 kWh per kVA of the import without the battery — the battery's few losses are
 * not allowed to tip the rule in the program; the bill applies it to the real import), and the floor
 * of 40 % of the contract. Rate 0 without a demand charge (a capacity charge does not depend on the
 * dispatch).
 */
export function optimalDemand(
  input: TariffInput,
  loadKw: Float64Array,
  onsiteKw: Float64Array | null,
): { demandCnyPerKw: Float64Array; floorKw: Float64Array } {
  const demandCnyPerKw = new Float64Array(12);
  const floorKw = new Float64Array(12);
  const tp = input.twoPart;
  if (tp.kind !== 'demand') return { demandCnyPerKw, floorKw };
  for (let m = 0; m < 12; m++) {
    let kwh = 0;
    for (let h = MONTH_START_HOUR[m]; h < MONTH_START_HOUR[m + 1]; h++)
      kwh += Math.max(0, loadKw[h] - (onsiteKw ? onsiteKw[h] : 0));
    const high = tp.kva > 0 && kwh >= HIGH_LOAD_KWH_PER_KVA * tp.kva;
    demandCnyPerKw[m] = tp.cnyPerKwMonth[m] * (high ? HIGH_LOAD_SHARE : 1);
    floorKw[m] = DEMAND_FLOOR_OF_CONTRACT * tp.kva;
  }
  return { demandCnyPerKw, floorKw };
}

/** The contract of the year: a share of the load's import, fixed MWh, or (without one) the green share. */
function contractOf(pc: PreparedCluster, g: PreparedGreen, year: number): BalanceInput['contracted'] {
  if (g.contracted?.share) return { kind: 'share', share: g.contracted.share(year) };
  if (g.contracted?.mwh) return { kind: 'mwh', mwh: g.contracted.mwh(year) };
  return { kind: 'share', share: pc.greenShare(year) };
}

/** Without on-site plant or contracts in `green`: the green share bought on the annual energy. */
function shareOnly(
  pc: PreparedCluster,
  facilityKw: Float64Array,
  facilityEnergyMwh: number,
  year: number,
): SupplyYear {
  const ga = emptyGreen(facilityEnergyMwh);
  const share = pc.greenShare(year);
  ga.contractedGreenMwh = facilityEnergyMwh * share;
  ga.greenEnergyMwh = ga.contractedGreenMwh;
  let n80 = 0;
  if (share >= 0.8) for (let h = 0; h < HOURS_PER_YEAR; h++) if (facilityKw[h] > 0) n80++;
  ga.hours80 = n80;
  return { green: ga, gridKw: facilityKw, greenKw: null, greenByMonthKwh: null, detail: null };
}

/**
 * On-site supply and storage → contracts and grid, for one year: PV and wind output, the battery's
 * dispatch, contracted green power on the load's import, certificates and export; what is left is the
 * grid import the bill stage prices. A contracted price replaces only the energy component of the
 * tariff for the contracted energy, hour by hour; T&D and funds are still due on it
 * (docs/models/green-power.md). The green supply of every hour only when `hourly` asks for it (its
 * months always).
 */
export function supplyStage(
  pc: PreparedCluster,
  year: number,
  facilityKw: Float64Array,
  facilityEnergyMwh: number,
  tariff: TariffYear,
  st: SupplyState,
  hourly = true,
): SupplyYear {
  const g = pc.green;
  if (!g) return shareOnly(pc, facilityKw, facilityEnergyMwh, year);
  const ga = emptyGreen(facilityEnergyMwh);
  const out = onsiteOutput(g, st, year);
  ga.pvMwh = out.pvMwh;
  ga.windMwh = out.windMwh;
  const battery = batteryOf(g, st, year);
  const startSocKwh = st.socKwh;
  const bal = energyBalance(
    {
      loadKw: facilityKw,
      onsiteKw: st.onsite,
      periods: tariff.periods,
      pricesCnyPerKwh: tariff.prices,
      window: battery && tariff.batteryWindow(battery.policy, battery.roundTripEfficiency),
      battery,
      initialSocKwh: st.socKwh,
      initialGreenFraction: st.socGreen,
      exportCapKw: g.exportCapKw(year),
      contracted: contractOf(pc, g, year),
      optimal:
        battery?.policy === 'optimal' && st.lp
          ? { lp: st.lp, ...optimalDemand(tariff.input, facilityKw, st.onsite) }
          : null,
      // Hourly contracted power is read only to price a contracted energy price; SOC never.
      hourlyDetail: hourly || Boolean(g.contracted?.price),
    },
    st.work ?? undefined,
  );
  st.socKwh = bal.endSocKwh;
  st.socGreen = bal.endGreenFraction;
  st.cumCycles += bal.cycles;
  ga.onsiteGreenMwh = bal.onsiteUsedMwh;
  ga.curtailedMwh = bal.curtailedMwh;
  ga.exportedMwh = bal.exportMwh;
  ga.batteryChargeMwh = bal.chargeMwh;
  ga.batteryDischargeMwh = bal.dischargeMwh;
  ga.batteryCycles = bal.cycles;
  ga.contractedGreenMwh = bal.contractedMwh;
  ga.greenEnergyMwh = bal.greenMwh;
  ga.importMwh = bal.gridMwh;
  ga.hours80 = bal.hoursAtLeast80;
  ga.certificatesMwh = g.certificates ? g.certificates.mwh(year) : 0;
  ga.greenCostCny =
    bal.contractedMwh * (g.contracted ? g.contracted.premium(year) : 0) +
    (g.certificates ? ga.certificatesMwh * g.certificates.price(year) : 0);
  ga.exportRevenueCny = bal.exportMwh * 1000 * g.exportPrice(year);
  if (g.contracted?.price && bal.contractedMwh > 0) {
    const contractKwh = g.contracted.price(year) / 1000; // CNY/kWh
    const energy = energyComponentCnyPerKwh(tariff.input, year, tariff.prices, tariff.periods);
    let adj = 0;
    const contracted = bal.contractedKw as Float64Array; // asked for above
    for (let h = 0; h < HOURS_PER_YEAR; h++) adj += contracted[h] * (contractKwh - energy[h]);
    ga.greenCostCny += adj;
  }
  return {
    green: ga,
    gridKw: bal.gridKw,
    greenKw: hourly ? bal.greenKw : null,
    greenByMonthKwh: bal.greenByMonthKwh,
    detail: hourly ? { socKwh: bal.socKwh, startSocKwh, contractedKw: bal.contractedKw } : null,
  };
}
