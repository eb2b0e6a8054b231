import { HOURS_PER_YEAR, MONTH_START_HOUR } from './calendar.ts';
import type { LpSolver } from './lp.ts';
import { followSchedule, optimalDispatch } from './storage-optimal.ts';
import { CHARGE, DISCHARGE, type Limits } from './storage-policy.ts';

/**
 * The hourly loops of the energy balance (storage.ts `energyBalance`): the battery's dispatch with the
 * grid, export and contract bookkeeping of each hour, and the contract pass for fixed-MWh contracts.
 * One function per loop on purpose: this is the engine's hottest code, and moving the battery's hourly
 * step into a helper on a state object gave the same numbers ≈ 20 % slower.
 */

/** Hour after the last of each month (the loops run month by month to keep monthly sums in locals). */
const MONTH_END = Int32Array.from(MONTH_START_HOUR.slice(1));

export const DISPATCH_POLICIES = ['arbitrage', 'peak-shaving', 'surplus', 'optimal'] as const;
export type DispatchPolicy = (typeof DISPATCH_POLICIES)[number];

/** The battery of a year (after fade) and how it is dispatched. */
export interface BatteryParams {
  energyKwh: number;
  powerKw: number;
  roundTripEfficiency: number;
  depthOfDischarge: number;
  policy: DispatchPolicy;
}

export interface BalanceInput {
  loadKw: Float64Array;
  /** On-site renewable AC output (PV + wind), or null. */
  onsiteKw: Float64Array | null;
  /** Tariff period code of each hour (for peak-shaving). */
  periods: Uint8Array;
  /** All-in price of each hour, CNY/kWh (needed by `arbitrage`). */
  pricesCnyPerKwh?: Float64Array;
  /**
   * The battery policy's window codes for these prices or periods (storage-policy.ts), when the caller
   * keeps them (the engine does, in its cache, per price or period series); otherwise they are worked
   * out from `pricesCnyPerKwh` or `periods` on every call.
   */
  window?: Uint8Array | null;
  battery: BatteryParams | null;
  /** State of charge at 1 January, kWh (carried over from the previous year). */
  initialSocKwh: number;
  /** Green share of the stored energy at 1 January. */
  initialGreenFraction: number;
  exportCapKw: number;
  /** Contracted green power: a share of each hour's import serving the load, or fixed MWh a year spread pro rata. */
  contracted: { kind: 'none' } | { kind: 'share'; share: number } | { kind: 'mwh'; mwh: number };
  /**
   * What the `optimal` policy needs (storage-optimal.ts): the LP solver and the month's demand charge
   * (rate × share, CNY/kW, 0 without one) and its floor (kW).
   */
  optimal?: { lp: LpSolver; demandCnyPerKw: ArrayLike<number>; floorKw: ArrayLike<number> } | null;
  /**
   * Write the green supply, contracted power and state of charge of every hour (default true). Without
   * them the result's `greenKw`, `contractedKw` and `socKwh` are null (green supply by month is always
   * there): the engine asks for them only in the years it reads them, as each store an hour costs
   * ≈ 7 % of the dispatch loop.
   */
  hourlyDetail?: boolean;
}

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
  greenMonths: Float64Array;
  /** The policy's monthly levels (storage-policy.ts): discharge levels at [m], charge levels at [12 + m]. */
  levels: Float64Array;
  /** The annual sums the dispatch fills (read before the next call), and the loop's own copy. */
  sums: DispatchSums;
  acc: Float64Array;
  par: Float64Array;
  /** The policy's window codes, when worked out in the call. */
  window: Uint8Array;
  /** Zero on-site output: the loop reads an array every hour rather than test for none. */
  zeros: Float64Array;
}

export function balanceWork(n = HOURS_PER_YEAR): BalanceWork {
  return {
    grid: new Float64Array(n),
    served: new Float64Array(n),
    contracted: new Float64Array(n),
    green: new Float64Array(n),
    soc: new Float64Array(n),
    net: new Float64Array(n),
    greenMonths: new Float64Array(12),
    levels: new Float64Array(24),
    sums: dispatchSums(),
    acc: new Float64Array(12),
    par: new Float64Array(10),
    window: new Uint8Array(n),
    zeros: new Float64Array(n),
  };
}

/** Battery codes of the hourly loop: none, by its hour windows and levels, or only while green energy is stored. */
const NO_BATTERY = 0;
const BY_WINDOWS = 1;
const GREEN_ONLY = 2;

/** Annual sums of the hourly dispatch, kWh, and where it ended. */
export interface DispatchSums {
  used: number;
  exported: number;
  curtailed: number;
  charge: number;
  discharge: number;
  gridCharge: number;
  grid: number;
  soc: number;
  greenStored: number;
  /** Contracted and green supply (kWh) and hours at ≥ 80 % green, when the contract share was known. */
  contracted: number;
  green: number;
  hours80: number;
}

/**
 * The hour-by-hour dispatch: on-site output serves the load, the battery soaks up surplus, discharges
 * and charges from the grid by its policy, the rest is exported or curtailed. Writes grid import every
 * hour and green supply (on-site used + green discharge) by month. With a known contract share (not
 * NaN) it adds the contracted power (share × import serving the load) to the green supply in the same
 * pass; otherwise it writes the import serving the load and the green supply of every hour for
 * `contractPass`. Green supply, contracted power and state of charge of every hour only with
 * `hourlyDetail`. `window` is the policy's code of every hour (storage-policy.ts), its monthly levels
 * are in `w.levels`.
 */
export function dispatch(
  inp: BalanceInput,
  lim: Limits,
  share: number,
  window: Uint8Array,
  w: BalanceWork,
  out: DispatchSums,
): void {
  const b = inp.battery;
  const battery = !b ? NO_BATTERY : b.policy === 'surplus' ? GREEN_ONLY : BY_WINDOWS;
  const soc0 = b ? Math.min(lim.eMax, Math.max(lim.eMin, inp.initialSocKwh)) : 0;
  const acc = w.acc;
  // The scalars both hourly loops read (w.par), packed once whichever loop runs.
  const scalars = packScalars(
    w.par,
    lim,
    soc0,
    soc0 * inp.initialGreenFraction,
    inp.exportCapKw,
    share,
    inp.hourlyDetail !== false,
    battery,
  );
  if (b?.policy === 'optimal') {
    const o = inp.optimal;
    if (!o)
      throw new Error(
        'green.battery.policy: "optimal" needs an LP solver — the caller loads HiGHS (loadLpSolver, models/lp.ts) and passes RunOptions.lp',
      );
    if (!inp.pricesCnyPerKwh) throw new Error('energyBalance: optimal needs pricesCnyPerKwh (8760)');
    const plan = optimalDispatch(
      {
        loadKw: inp.loadKw,
        onsiteKw: inp.onsiteKw,
        pricesCnyPerKwh: inp.pricesCnyPerKwh,
        monthEnd: MONTH_END,
        demandCnyPerKw: o.demandCnyPerKw,
        floorKw: o.floorKw,
        soc0,
      },
      lim,
      o.lp,
    );
    followSchedule(
      inp.loadKw,
      inp.onsiteKw ?? w.zeros,
      plan,
      scalars,
      w.grid,
      w.served,
      w.green,
      w.contracted,
      w.soc,
      w.greenMonths,
      MONTH_END,
      acc,
    );
  } else
    dispatchHours(
      inp.loadKw,
      inp.onsiteKw ?? w.zeros,
      window,
      w.levels,
      scalars,
      w.grid,
      w.served,
      w.green,
      w.contracted,
      w.soc,
      w.greenMonths,
      MONTH_END,
      acc,
    );
  out.used = acc[0];
  out.exported = acc[1];
  out.curtailed = acc[2];
  out.charge = acc[3];
  out.discharge = acc[4];
  out.gridCharge = acc[5];
  out.grid = acc[6];
  out.soc = acc[7];
  out.greenStored = acc[8];
  out.contracted = acc[9];
  out.green = acc[10];
  out.hours80 = acc[11];
}

/** The loop's scalars in `par` (a number parameter would be checked and converted at every use in the loop). */
function packScalars(
  par: Float64Array,
  lim: Limits,
  soc0: number,
  green0: number,
  exportCap: number,
  share: number,
  detail: boolean,
  battery: number,
): Float64Array {
  par[0] = lim.eMax;
  par[1] = lim.eMin;
  par[2] = lim.pMax;
  par[3] = lim.sq;
  par[4] = soc0;
  par[5] = green0;
  par[6] = exportCap;
  par[7] = share;
  par[8] = detail ? 1 : 0;
  par[9] = battery;
  return par;
}

/**
 * The hourly loop of `dispatch`, on numbers and typed arrays only: optimised code that reads no object
 * fields cannot be thrown away when an object's layout changes elsewhere (V8 "code dependencies"),
 * which left this loop unoptimised in some processes and 2–3× slower. `onsite` is an array of zeros
 * when there is no on-site supply: a nullable array cost a full truth test every hour (≈ 6 % of the
 * loop). Sums go to `acc` in the order of `dispatch`'s copy.
 */
function dispatchHours(
  load: Float64Array,
  onsite: Float64Array,
  window: Uint8Array,
  levels: Float64Array,
  par: Float64Array,
  grid: Float64Array,
  served: Float64Array,
  green: Float64Array,
  contracted: Float64Array,
  socArr: Float64Array,
  greenMonths: Float64Array,
  monthEnd: Int32Array,
  acc: Float64Array,
): void {
  const eMax = par[0];
  const eMin = par[1];
  const pMax = par[2];
  const sq = par[3];
  const exportCap = par[6];
  const share = par[7];
  const contractHere = !Number.isNaN(share);
  const detail = par[8] === 1; // write green supply, contracted power and state of charge every hour
  const battery = par[9];
  const greenOnly = battery === GREEN_ONLY;
  let soc = par[4];
  let greenStored = par[5]; // kWh of green energy in the battery
  let usedSum = 0;
  let exportSum = 0;
  let curtailSum = 0;
  let chargeSum = 0;
  let dischargeSum = 0;
  let gridChargeSum = 0;
  let gridSum = 0;
  let contractedSum = 0;
  let greenSum = 0;
  let hours80 = 0;
  let h = 0;
  for (let m = 0; m < 12; m++) {
    const end = monthEnd[m];
    const dischargeLevel = levels[m]; // the battery serves the deficit above it
    const chargeLevel = levels[12 + m]; // grid charging keeps the import at or below it
    let greenMonth = 0;
    for (; h < end; h++) {
      const L = load[h];
      const G = onsite[h];
      const used = L < G ? L : G;
      let surplus = G - used;
      let deficit = L - used;
      let charge = 0; // kW into the battery (AC side)
      let gridCharge = 0;
      let discharge = 0; // kW out of the battery (AC side)
      let dischargeGreen = 0;
      if (battery !== NO_BATTERY) {
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
        const win = window[h]; // DISCHARGE | CHARGE bits: what the policy allows this hour
        if (deficit > 0 && (win & DISCHARGE) !== 0) {
          const want = greenOnly && !(greenStored > 1e-9) ? 0 : Math.max(0, deficit - dischargeLevel);
          if (want > 0) {
            const d = Math.min(want, pMax - charge, Math.max(0, (soc - eMin) * sq));
            if (d > 0) {
              const gf = soc > 0 ? greenStored / soc : 0;
              soc -= d / sq;
              greenStored = Math.max(0, greenStored - (d / sq) * gf);
              discharge = d;
              dischargeGreen = d * gf;
              deficit -= d;
              dischargeSum += d;
            }
          }
        }
        // 2. grid charging, where the policy allows it this hour, up to the month's charge level
        if ((win & CHARGE) !== 0) {
          let room = Math.min(pMax - charge - discharge, (eMax - soc) / sq);
          if (room > 0) {
            room = Math.min(room, Math.max(0, chargeLevel - deficit));
            gridCharge = room;
            if (gridCharge > 0) {
              soc += gridCharge * sq;
              charge += gridCharge;
              gridChargeSum += gridCharge;
            }
          }
        }
      }
      const exp = surplus < exportCap ? surplus : exportCap;
      const curtail = surplus - exp;
      const g = deficit + gridCharge;
      grid[h] = g;
      if (detail) socArr[h] = soc;
      if (contractHere) {
        const c = share * deficit;
        const gh = used + dischargeGreen + c; // ≤ load: used + discharge + served = load
        if (detail) {
          contracted[h] = c;
          green[h] = gh;
        }
        contractedSum += c;
        greenSum += gh;
        greenMonth += gh;
        if (L > 0 && gh >= 0.8 * L) hours80++;
      } else {
        served[h] = deficit;
        green[h] = used + dischargeGreen;
      }
      // Sums that are most hours zero are added where they are not (adding +0 changes no sum).
      usedSum += used;
      if (surplus > 0) {
        exportSum += exp;
        curtailSum += curtail;
      }
      if (charge > 0) chargeSum += charge;
      gridSum += g;
    }
    greenMonths[m] = greenMonth; // (without a known share, contractPass sums the months)
  }
  acc[0] = usedSum;
  acc[1] = exportSum;
  acc[2] = curtailSum;
  acc[3] = chargeSum;
  acc[4] = dischargeSum;
  acc[5] = gridChargeSum;
  acc[6] = gridSum;
  acc[7] = soc;
  acc[8] = greenStored;
  acc[9] = contractedSum;
  acc[10] = greenSum;
  acc[11] = hours80;
}

/** Sums of a dispatch, all zero: the object `dispatch` fills (made by the caller, so the loop allocates nothing). */
export function dispatchSums(): DispatchSums {
  return {
    used: 0,
    exported: 0,
    curtailed: 0,
    charge: 0,
    discharge: 0,
    gridCharge: 0,
    grid: 0,
    soc: 0,
    greenStored: 0,
    contracted: 0,
    green: 0,
    hours80: 0,
  };
}

/**
 * Contracted green power when its share depends on the year's total (fixed MWh spread pro rata over
 * the import serving the load): share × served each hour, added to the green supply (and its months).
 */
export function contractPass(load: Float64Array, share: number, w: BalanceWork, t: DispatchSums): void {
  const { green, served, contracted, greenMonths } = w;
  let contractedSum = 0;
  let hours80 = 0;
  let greenSum = 0;
  let h = 0;
  for (let m = 0; m < 12; m++) {
    let greenMonth = 0;
    for (; h < MONTH_END[m]; h++) {
      const c = share * served[h];
      contracted[h] = c;
      const gh = green[h] + c; // ≤ load: used + discharge + served = load
      green[h] = gh;
      contractedSum += c;
      greenSum += gh;
      greenMonth += gh;
      if (load[h] > 0 && gh >= 0.8 * load[h]) hours80++;
    }
    greenMonths[m] = greenMonth;
  }
  t.contracted = contractedSum;
  t.green = greenSum;
  t.hours80 = hours80;
}
