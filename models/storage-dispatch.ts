import { MONTH_START_HOUR } from './calendar.ts';
import { dispatchKernel, kernelF64 } from './kernels/index.ts';
import type { BalanceInput, BalanceWork } from './storage.ts';
import type { Limits } from './storage-policy.ts';

/**
 * The hourly loops of the energy balance (storage.ts `energyBalance`): the battery's dispatch with the
 * grid, export and contract bookkeeping of each hour, and the contract pass for fixed-MWh contracts.
 * The dispatch is the engine's hottest loop: it runs as a WebAssembly kernel
 * (models/kernels/assembly/dispatch.ts), on arrays made in the kernels' memory.
 */

/** Hour after the last of each month (the contract pass runs month by month to keep monthly sums in locals). */
const MONTH_END = MONTH_START_HOUR.slice(1);

/** Zero on-site output by year length, in the kernels' memory: the loop reads it, not test for none. */
const noOutput = new Map<number, Float64Array>();
function zeros(n: number): Float64Array {
  let z = noOutput.get(n);
  if (!z) {
    z = kernelF64(n);
    noOutput.set(n, z);
  }
  return z;
}

/** Battery codes of the hourly loop: none, by its hour windows and levels, or only while green energy is stored. */
export const NO_BATTERY = 0;
export const BY_WINDOWS = 1;
export const GREEN_ONLY = 2;

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
 * The hour-by-hour dispatch (a WebAssembly kernel, models/kernels): on-site output serves the load, the
 * battery soaks up surplus, discharges and charges from the grid by its policy, the rest is exported or
 * curtailed. Writes grid import every
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
  dispatchKernel(
    inp.loadKw,
    inp.onsiteKw ?? zeros(inp.loadKw.length),
    window,
    w.levels,
    packScalars(
      w.par,
      lim,
      soc0,
      soc0 * inp.initialGreenFraction,
      inp.exportCapKw,
      share,
      inp.hourlyDetail !== false,
      battery,
    ),
    w.grid,
    w.served,
    w.green,
    w.contracted,
    w.soc,
    w.greenMonths,
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

/** The loop's scalars in `par`, in the order the kernel reads them (models/kernels/assembly/dispatch.ts). */
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
