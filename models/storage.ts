import { HOURS_PER_YEAR, monthOfHour } from './calendar.ts';
import type { Param } from './electrical.ts';
import { arbitrageWindows, type Limits, peakShavingThresholds } from './storage-policy.ts';
import { CRITICAL, PEAK } from './tariff.ts';

/**
 * Hourly energy balance of a facility with on-site renewables, a battery and contracted green power
 * (DESIGN.md §5). Every hour:
 *   load = grid import + on-site used + battery discharge − battery charge from the grid
 *   on-site output = on-site used + charge from surplus + export + curtailment
 * so  load = grid + on-site − export − curtailment + discharge − charge  (tested every hour).
 * The battery keeps its state of charge within [(1 − DoD)·E, E]; a round-trip efficiency η is split
 * √η on charge and √η on discharge. Energy charged from surplus renewables stays green when discharged.
 *
 * Dispatch policies (one interface, chosen by name):
 * - `arbitrage`: dispatched on each hour's price, day by day: charge from the grid in the day's
 *   cheapest hours and discharge in hours priced above the day's mean, and only where the spread beats
 *   the round-trip loss (p_charge < η · p_discharge) — so a flat price never cycles the battery;
 * - `peak-shaving`: discharge the load above a monthly threshold — the lowest level the battery can
 *   hold on every day of the month given its power and usable energy — and recharge below it outside
 *   peak hours, to cut the demand charge on the monthly peak;
 * - `surplus`: charge only from on-site surplus, discharge whenever the load exceeds on-site output.
 * All policies first soak up on-site surplus.
 */

export const DISPATCH_POLICIES = ['arbitrage', 'peak-shaving', 'surplus'] as const;
export type DispatchPolicy = (typeof DISPATCH_POLICIES)[number];

export interface BatteryParams {
  energyKwh: number;
  powerKw: number;
  roundTripEfficiency: number;
  depthOfDischarge: number;
  policy: DispatchPolicy;
}

export const BATTERY_TABLE: Record<
  'roundTripEfficiency' | 'depthOfDischarge' | 'fadePerYear' | 'fadePerCycle',
  Param
> = {
  roundTripEfficiency: {
    value: 0.88,
    unit: '',
    label: 'Round-trip efficiency (AC–AC)',
    min: 0.8,
    max: 0.92,
    source: 'typical LFP system incl. converter; engineering assumption',
    grade: 'assumption',
  },
  depthOfDischarge: {
    value: 0.9,
    unit: '',
    label: 'Usable depth of discharge',
    min: 0.8,
    max: 1,
    source: 'typical LFP operating window; engineering assumption',
    grade: 'assumption',
  },
  fadePerYear: {
    value: 0.02,
    unit: '1/yr',
    label: 'Capacity fade per year (calendar)',
    min: 0.01,
    max: 0.03,
    source: 'typical LFP calendar fade; engineering assumption',
    grade: 'assumption',
  },
  fadePerCycle: {
    value: 0.00003,
    unit: '1/cycle',
    label: 'Capacity fade per equivalent full cycle',
    min: 0.00001,
    max: 0.0001,
    source: 'LFP ≈ 6,000 cycles to 80 % (0.2/6000 ≈ 3.3e-5); engineering assumption',
    grade: 'assumption',
  },
};

export interface BalanceInput {
  loadKw: Float64Array;
  /** On-site renewable AC output (PV + wind), or null. */
  onsiteKw: Float64Array | null;
  /** Tariff period code of each hour (for peak-shaving). */
  periods: Uint8Array;
  /** All-in price of each hour, CNY/kWh (needed by `arbitrage`). */
  pricesCnyPerKwh?: Float64Array;
  battery: BatteryParams | null;
  /** State of charge at 1 January, kWh (carried over from the previous year). */
  initialSocKwh: number;
  /** Green share of the stored energy at 1 January. */
  initialGreenFraction: number;
  exportCapKw: number;
  /** Contracted green power: a share of each hour's import serving the load, or fixed MWh a year spread pro rata. */
  contracted: { kind: 'none' } | { kind: 'share'; share: number } | { kind: 'mwh'; mwh: number };
}

export interface BalanceYear {
  /** Grid import each hour, kW (what the tariff bills). */
  gridKw: Float64Array;
  /** Green supply each hour (on-site used + green discharge + contracted), kW. */
  greenKw: Float64Array;
  /** Contracted green power each hour, kW (a share of the import that serves the load). */
  contractedKw: Float64Array;
  socKwh: Float64Array;
  onsiteMwh: number;
  onsiteUsedMwh: number;
  exportMwh: number;
  curtailedMwh: number;
  chargeMwh: number;
  dischargeMwh: number;
  gridChargeMwh: number;
  contractedMwh: number;
  greenMwh: number;
  gridMwh: number;
  loadMwh: number;
  /** Equivalent full cycles = discharge ÷ usable capacity. */
  cycles: number;
  /** Hours in which green supply met ≥ 80 % of the load. */
  hoursAtLeast80: number;
  endSocKwh: number;
  endGreenFraction: number;
  /** Largest energy-balance residual of any hour, kW (≈ 1e-9). */
  maxResidualKw: number;
}

const MONTH_OF_HOUR = monthOfHour();

/**
 * Hourly buffers an energy balance writes into. A caller that balances many years passes one set and
 * reads the result's arrays before the next call (they are the same arrays); without it each call
 * allocates its own.
 */
export interface BalanceWork {
  grid: Float64Array;
  /** Import serving the load (written only for a fixed-MWh contract, whose share needs its total). */
  served: Float64Array;
  contracted: Float64Array;
  green: Float64Array;
  soc: Float64Array;
  net: Float64Array;
  chargeOk: Uint8Array;
  dischargeOk: Uint8Array;
  /** Prices (the same object for a repeated tariff-year) and η the arbitrage masks were built for. */
  maskPrices: Float64Array | null;
  maskEta: number;
}

export function balanceWork(n = HOURS_PER_YEAR): BalanceWork {
  return {
    grid: new Float64Array(n),
    served: new Float64Array(n),
    contracted: new Float64Array(n),
    green: new Float64Array(n),
    soc: new Float64Array(n),
    net: new Float64Array(n),
    chargeOk: new Uint8Array(n),
    dischargeOk: new Uint8Array(n),
    maskPrices: null,
    maskEta: Number.NaN,
  };
}

/** Policy codes of the hourly loop (an integer compare per hour instead of a string). */
const NO_BATTERY = 0;
const ARBITRAGE = 1;
const PEAK_SHAVING = 2;
const SURPLUS = 3;

/** Annual sums of the hourly dispatch, kWh, and where it ended. */
interface DispatchSums {
  onsite: number;
  used: number;
  exported: number;
  curtailed: number;
  charge: number;
  discharge: number;
  gridCharge: number;
  grid: number;
  load: number;
  maxResidual: number;
  soc: number;
  greenStored: number;
  /** Contracted and green supply (kWh) and hours at ≥ 80 % green, when the contract share was known. */
  contracted: number;
  green: number;
  hours80: number;
}

/**
 * The hour-by-hour dispatch: on-site output serves the load, the battery soaks up surplus, discharges
 * and charges from the grid by its policy, the rest is exported or curtailed. Writes grid import, green
 * supply (on-site used + green discharge) and state of charge. With a known contract share (not NaN)
 * it also writes the contracted power (share × import serving the load) and adds it to the green supply
 * in the same pass; otherwise it writes the import serving the load for `contractPass`.
 */
function dispatch(
  inp: BalanceInput,
  lim: Limits,
  threshold: Float64Array,
  share: number,
  w: BalanceWork,
): DispatchSums {
  const b = inp.battery;
  const policy = !b
    ? NO_BATTERY
    : b.policy === 'arbitrage'
      ? ARBITRAGE
      : b.policy === 'peak-shaving'
        ? PEAK_SHAVING
        : SURPLUS;
  const { eMax, eMin, pMax, sq } = lim;
  const load = inp.loadKw;
  const onsite = inp.onsiteKw;
  const periods = inp.periods;
  const exportCap = inp.exportCapKw;
  const { grid, served, green, contracted, soc: socArr, chargeOk, dischargeOk } = w;
  const contractHere = !Number.isNaN(share);
  let soc = b ? Math.min(eMax, Math.max(eMin, inp.initialSocKwh)) : 0;
  let greenStored = soc * inp.initialGreenFraction; // kWh of green energy in the battery
  let onsiteSum = 0;
  let usedSum = 0;
  let exportSum = 0;
  let curtailSum = 0;
  let chargeSum = 0;
  let dischargeSum = 0;
  let gridChargeSum = 0;
  let gridSum = 0;
  let loadSum = 0;
  let maxResidual = 0;
  let contractedSum = 0;
  let greenSum = 0;
  let hours80 = 0;
  const n = load.length;
  for (let h = 0; h < n; h++) {
    const L = load[h];
    const G = onsite ? onsite[h] : 0;
    const used = L < G ? L : G;
    let surplus = G - used;
    let deficit = L - used;
    let charge = 0; // kW into the battery (AC side)
    let gridCharge = 0;
    let discharge = 0; // kW out of the battery (AC side)
    let dischargeGreen = 0;
    if (policy !== NO_BATTERY) {
      // 1. soak up surplus renewables
      if (surplus > 0) {
        const c = Math.min(surplus, pMax, (eMax - soc) / sq);
        if (c > 0) {
          soc += c * sq;
          greenStored += c * sq;
          charge += c;
          surplus -= c;
        }
      }
      if (deficit > 0) {
        let want = 0;
        if (policy === ARBITRAGE) want = dischargeOk[h] ? deficit : 0;
        else if (policy === SURPLUS) want = greenStored > 1e-9 ? deficit : 0;
        else want = Math.max(0, deficit - threshold[MONTH_OF_HOUR[h]]);
        if (want > 0) {
          const d = Math.min(want, pMax - charge, Math.max(0, (soc - eMin) * sq));
          if (d > 0) {
            const gf = soc > 0 ? greenStored / soc : 0;
            soc -= d / sq;
            greenStored = Math.max(0, greenStored - (d / sq) * gf);
            discharge = d;
            dischargeGreen = d * gf;
            deficit -= d;
          }
        }
      }
      // 2. grid charging, where the policy allows it this hour
      if (
        policy === ARBITRAGE
          ? chargeOk[h] === 1
          : policy === PEAK_SHAVING && periods[h] !== PEAK && periods[h] !== CRITICAL
      ) {
        let room = Math.min(pMax - charge - discharge, (eMax - soc) / sq);
        if (room > 0) {
          if (policy === PEAK_SHAVING)
            room = Math.min(room, Math.max(0, threshold[MONTH_OF_HOUR[h]] - deficit));
          gridCharge = room;
          if (gridCharge > 0) {
            soc += gridCharge * sq;
            charge += gridCharge;
          }
        }
      }
    }
    const exp = surplus < exportCap ? surplus : exportCap;
    const curtail = surplus - exp;
    const g = deficit + gridCharge;
    grid[h] = g;
    socArr[h] = soc;
    if (contractHere) {
      const c = share * deficit;
      contracted[h] = c;
      const gh = used + dischargeGreen + c; // ≤ load: used + discharge + served = load
      green[h] = gh;
      contractedSum += c;
      greenSum += gh;
      if (L > 0 && gh >= 0.8 * L) hours80++;
    } else {
      served[h] = deficit;
      green[h] = used + dischargeGreen;
    }
    // energy balance residual
    const residual = Math.abs(L - (g + G - exp - curtail + discharge - charge));
    if (residual > maxResidual) maxResidual = residual;
    onsiteSum += G;
    usedSum += used;
    exportSum += exp;
    curtailSum += curtail;
    chargeSum += charge;
    dischargeSum += discharge;
    gridChargeSum += gridCharge;
    gridSum += g;
    loadSum += L;
  }
  return {
    onsite: onsiteSum,
    used: usedSum,
    exported: exportSum,
    curtailed: curtailSum,
    charge: chargeSum,
    discharge: dischargeSum,
    gridCharge: gridChargeSum,
    grid: gridSum,
    load: loadSum,
    maxResidual,
    soc,
    greenStored,
    contracted: contractedSum,
    green: greenSum,
    hours80,
  };
}

/**
 * Contracted green power when its share depends on the year's total (fixed MWh spread pro rata over
 * the import serving the load): share × served each hour, added to the green supply.
 */
function contractPass(load: Float64Array, share: number, w: BalanceWork, t: DispatchSums): void {
  const { green, served, contracted } = w;
  let contractedSum = 0;
  let hours80 = 0;
  let greenSum = 0;
  for (let h = 0; h < load.length; h++) {
    const c = share * served[h];
    contracted[h] = c;
    const gh = green[h] + c; // ≤ load: used + discharge + served = load
    green[h] = gh;
    contractedSum += c;
    greenSum += gh;
    if (load[h] > 0 && gh >= 0.8 * load[h]) hours80++;
  }
  t.contracted = contractedSum;
  t.green = greenSum;
  t.hours80 = hours80;
}

/**
 * Simulate one year of the energy balance. Pass `work` (from `balanceWork()`) to reuse hourly buffers
 * across calls: the result's arrays are then those buffers.
 *
 * @example
 * energyBalance({ loadKw, onsiteKw: pv, periods, battery: { energyKwh: 4000, powerKw: 1000, roundTripEfficiency: 0.88,
 *   depthOfDischarge: 0.9, policy: 'arbitrage' }, initialSocKwh: 0, initialGreenFraction: 0, exportCapKw: 0,
 *   contracted: { kind: 'share', share: 0.5 } }).greenMwh
 */
export function energyBalance(inp: BalanceInput, work?: BalanceWork): BalanceYear {
  const n = HOURS_PER_YEAR;
  const w = work ?? balanceWork(n);
  const b = inp.battery;
  const lim: Limits = {
    eMax: b ? b.energyKwh : 0,
    eMin: b ? b.energyKwh * (1 - b.depthOfDischarge) : 0,
    pMax: b ? b.powerKw : 0,
    sq: b ? Math.sqrt(b.roundTripEfficiency) : 1,
  };
  const threshold =
    b && b.policy === 'peak-shaving'
      ? peakShavingThresholds(inp.loadKw, inp.onsiteKw, lim, w.net)
      : new Float64Array(12).fill(Number.POSITIVE_INFINITY);
  if (b && b.policy === 'arbitrage') {
    const pr = inp.pricesCnyPerKwh;
    if (!pr || pr.length !== n) throw new Error('energyBalance: arbitrage needs pricesCnyPerKwh (8760)');
    if (w.maskPrices !== pr || w.maskEta !== b.roundTripEfficiency) {
      arbitrageWindows(pr, b.roundTripEfficiency, w.chargeOk, w.dischargeOk);
      w.maskPrices = pr;
      w.maskEta = b.roundTripEfficiency;
    }
  }
  // Contracted green power, delivered over the grid and matched to each hour's import that serves the
  // load (the load's deficit after on-site output and battery discharge). Battery grid-charging is not
  // load: it stays grey, and so does its discharge, so contracted energy is counted once — in the green
  // share, the premium and market-based carbon alike. A share is applied during the dispatch; fixed MWh
  // need the year's served import first.
  const c = inp.contracted;
  const t = dispatch(
    inp,
    lim,
    threshold,
    c.kind === 'share' ? c.share : c.kind === 'none' ? 0 : Number.NaN,
    w,
  );
  if (c.kind === 'mwh') {
    const servedSum = t.grid - t.gridCharge;
    contractPass(inp.loadKw, servedSum > 0 ? Math.min(1, (c.mwh * 1000) / servedSum) : 0, w, t);
  }
  const { green, contracted } = w;
  const usable = lim.eMax - lim.eMin;
  return {
    gridKw: w.grid,
    greenKw: green,
    contractedKw: contracted,
    socKwh: w.soc,
    onsiteMwh: t.onsite / 1000,
    onsiteUsedMwh: t.used / 1000,
    exportMwh: t.exported / 1000,
    curtailedMwh: t.curtailed / 1000,
    chargeMwh: t.charge / 1000,
    dischargeMwh: t.discharge / 1000,
    gridChargeMwh: t.gridCharge / 1000,
    contractedMwh: t.contracted / 1000,
    greenMwh: t.green / 1000,
    gridMwh: t.grid / 1000,
    loadMwh: t.load / 1000,
    cycles: usable > 0 ? t.discharge / usable : 0,
    hoursAtLeast80: t.hours80,
    endSocKwh: t.soc,
    endGreenFraction: t.soc > 0 ? t.greenStored / t.soc : 0,
    maxResidualKw: t.maxResidual,
  };
}

/**
 * Battery capacity after calendar and cycle fade: E0 · (1 − fadeYear·years − fadeCycle·cycles), floored at 60 %.
 *
 * @example
 * fadedCapacityKwh(1000, 5, 1000, 0.02, 0.00003) // → 1000 · (1 − 0.10 − 0.03) = 870
 */
export function fadedCapacityKwh(
  e0Kwh: number,
  years: number,
  cycles: number,
  fadePerYear: number,
  fadePerCycle: number,
): number {
  return e0Kwh * Math.max(0.6, 1 - fadePerYear * years - fadePerCycle * cycles);
}
