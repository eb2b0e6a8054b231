import { HOURS_PER_YEAR } from './calendar.ts';
import type { InputRow as Param } from './input-row.ts';
import {
  type BalanceInput,
  type BalanceWork,
  type BatteryParams,
  balanceWork,
  contractPass,
  dispatch,
} from './storage-dispatch.ts';

export {
  type BalanceInput,
  type BalanceWork,
  type BatteryParams,
  balanceWork,
  DISPATCH_POLICIES,
  type DispatchPolicy,
} from './storage-dispatch.ts';

import {
  arbitrageWindows,
  type Limits,
  peakShavingThresholds,
  peakShavingWindows,
  surplusWindows,
} from './storage-policy.ts';

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
 * - `surplus`: charge only from on-site surplus, discharge whenever the load exceeds on-site output;
 * - `optimal`: the hours that minimise the year's bill with perfect foresight (a linear program solved
 *   with HiGHS: storage-optimal.ts; needs `BalanceInput.optimal`).
 * The rule policies first soak up on-site surplus.
 */

export const BATTERY_TABLE: Record<
  'roundTripEfficiency' | 'depthOfDischarge' | 'fadePerYear' | 'fadePerCycle',
  Param
> = {
  roundTripEfficiency: {
    value: 0.88,
    unit: '',
    label: 'Round-trip efficiency (AC–AC)',
    typical: { min: 0.8, max: 0.92 },
    source: 'typical LFP system incl. converter; engineering assumption',
    grade: 'assumption',
    min: 0,
    exclusiveMin: true,
    max: 1,
  },
  depthOfDischarge: {
    value: 0.9,
    unit: '',
    label: 'Usable depth of discharge',
    typical: { min: 0.8, max: 1 },
    source: 'typical LFP operating window; engineering assumption',
    grade: 'assumption',
    min: 0,
    exclusiveMin: true,
    max: 1,
  },
  fadePerYear: {
    value: 0.02,
    unit: '1/yr',
    label: 'Capacity fade per year (calendar)',
    typical: { min: 0.01, max: 0.03 },
    source: 'typical LFP calendar fade; engineering assumption',
    grade: 'assumption',
    min: 0,
    max: 0.2,
  },
  fadePerCycle: {
    value: 0.00003,
    unit: '1/cycle',
    label: 'Capacity fade per equivalent full cycle',
    typical: { min: 0.00001, max: 0.0001 },
    source: 'LFP ≈ 6,000 cycles to 80 % (0.2/6000 ≈ 3.3e-5); engineering assumption',
    grade: 'assumption',
    min: 0,
    max: 0.01,
  },
};

export interface BalanceYear {
  /** Grid import each hour, kW (what the tariff bills). */
  gridKw: Float64Array;
  /** Green supply each hour (on-site used + green discharge + contracted), kW; null without `hourlyDetail`. */
  greenKw: Float64Array | null;
  /** Green supply by month (12 values), kWh. */
  greenByMonthKwh: Float64Array;
  /** Contracted green power each hour, kW (a share of the import that serves the load); null without `hourlyDetail`. */
  contractedKw: Float64Array | null;
  /** State of charge at the end of each hour, kWh; null without `hourlyDetail`. */
  socKwh: Float64Array | null;
  onsiteUsedMwh: number;
  exportMwh: number;
  curtailedMwh: number;
  chargeMwh: number;
  dischargeMwh: number;
  gridChargeMwh: number;
  contractedMwh: number;
  greenMwh: number;
  gridMwh: number;
  /** Equivalent full cycles = discharge ÷ usable capacity. */
  cycles: number;
  /** Hours in which green supply met ≥ 80 % of the load. */
  hoursAtLeast80: number;
  endSocKwh: number;
  endGreenFraction: number;
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
  const window = policyWindow(inp, b, lim, w);
  // Contracted green power, delivered over the grid and matched to each hour's import that serves the
  // load (the load's deficit after on-site output and battery discharge). Battery grid-charging is not
  // load: it stays grey, and so does its discharge, so contracted energy is counted once — in the green
  // share, the premium and market-based carbon alike. A share is applied during the dispatch; fixed MWh
  // need the year's served import first.
  const c = inp.contracted;
  const t = w.sums;
  dispatch(inp, lim, c.kind === 'share' ? c.share : c.kind === 'none' ? 0 : Number.NaN, window, w, t);
  if (c.kind === 'mwh') {
    const servedSum = t.grid - t.gridCharge;
    contractPass(inp.loadKw, servedSum > 0 ? Math.min(1, (c.mwh * 1000) / servedSum) : 0, w, t);
  }
  const detail = inp.hourlyDetail !== false;
  const usable = lim.eMax - lim.eMin;
  return {
    gridKw: w.grid,
    greenKw: detail || c.kind === 'mwh' ? w.green : null,
    greenByMonthKwh: w.greenMonths,
    contractedKw: detail || c.kind === 'mwh' ? w.contracted : null,
    socKwh: detail ? w.soc : null,
    onsiteUsedMwh: t.used / 1000,
    exportMwh: t.exported / 1000,
    curtailedMwh: t.curtailed / 1000,
    chargeMwh: t.charge / 1000,
    dischargeMwh: t.discharge / 1000,
    gridChargeMwh: t.gridCharge / 1000,
    contractedMwh: t.contracted / 1000,
    greenMwh: t.green / 1000,
    gridMwh: t.grid / 1000,
    cycles: usable > 0 ? t.discharge / usable : 0,
    hoursAtLeast80: t.hours80,
    endSocKwh: t.soc,
    endGreenFraction: t.soc > 0 ? t.greenStored / t.soc : 0,
  };
}

/**
 * The battery policy's window code of every hour — the caller's (`inp.window`), or worked out from the
 * input's prices or periods into `w.window` — and its monthly levels into `w` (storage-policy.ts).
 * Without a battery the dispatch reads no window: it gets the surplus one.
 */
function policyWindow(inp: BalanceInput, b: BatteryParams | null, lim: Limits, w: BalanceWork): Uint8Array {
  const { levels } = w;
  if (b?.policy === 'peak-shaving') {
    const threshold = peakShavingThresholds(inp.loadKw, inp.onsiteKw, lim, w.net);
    levels.set(threshold, 0);
    levels.set(threshold, 12);
    if (inp.window) return inp.window;
    peakShavingWindows(inp.periods, w.window);
    return w.window;
  }
  levels.fill(0, 0, 12);
  levels.fill(Number.POSITIVE_INFINITY, 12, 24);
  if (b?.policy === 'arbitrage') {
    const pr = inp.pricesCnyPerKwh;
    if (!pr || pr.length !== HOURS_PER_YEAR)
      throw new Error('energyBalance: arbitrage needs pricesCnyPerKwh (8760)');
    if (inp.window) return inp.window;
    arbitrageWindows(pr, b.roundTripEfficiency, w.window);
    return w.window;
  }
  surplusWindows(w.window);
  return w.window;
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
