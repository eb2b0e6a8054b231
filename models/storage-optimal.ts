import { INF, type LpSolver, lpBuilder } from './lp.ts';
import type { Limits } from './storage-policy.ts';

/**
 * The battery's optimal dispatch (issue 22, point 5; `policy: "optimal"`): with perfect foresight of
 * the year's load, on-site output and prices, the charge and discharge of every hour that minimise
 * the bill — Σ price × grid import + Σ months demand rate × billed demand, the billed demand at least
 * the month's floor (40 % of the contract, models/tariff.ts) — as one linear program over the year,
 * as REopt dispatches storage (Anderson et al., "REopt: A Platform for Energy System Integration and
 * Optimization", NREL/TP-7A40-70022, 2017), solved with HiGHS (models/lp.ts). Per hour h:
 *   variables  cs_h ∈ [0, min(surplus_h, P)] (charge from on-site surplus), cg_h ∈ [0, P] (from the
 *              grid), d_h ∈ [0, min(deficit_h, P)] (discharge to the load), soc_h ∈ [E_min, E_max];
 *              B_m ≥ floor_m (billed demand of month m, where a demand charge applies);
 *   rows       cs_h + cg_h + d_h ≤ P (the rule policies' limit too);
 *              soc_h = soc_{h−1} + √η (cs_h + cg_h) − d_h / √η (soc_{−1} the year's starting charge);
 *              deficit_h − d_h + cg_h ≤ B_m (the import of every hour of month m);
 *   objective  Σ price_h (deficit_h − d_h + cg_h) + Σ_m rate_m B_m  (CNY; the constant part included).
 * On-site output serves the load first (storing it and giving it back later only loses energy). The
 * end-of-year charge is free. Every rule policy's hours satisfy these rows, so the optimum bills no
 * more than any of them (tested). One program over the whole year: it solved faster here than twelve
 * monthly ones (≈ 1.8 s against 12 × 0.4 s for 8,760 hours), and only the whole year is exact — a
 * month's program cannot see what its last charge is worth in the next month.
 */

/** What the program needs besides the battery's limits. */
export interface OptimalInput {
  loadKw: Float64Array;
  onsiteKw: Float64Array | null;
  pricesCnyPerKwh: Float64Array;
  /** Hour after the last of each month (the demand charge's months). */
  monthEnd: ArrayLike<number>;
  /** Demand rate of each month, CNY per kW of billed demand (× 0.9 in a month of ≥ 260 kWh/kVA); 0 without one. */
  demandCnyPerKw: ArrayLike<number>;
  /** The billed demand's floor of each month, kW (40 % of the contract). */
  floorKw: ArrayLike<number>;
  /** State of charge at the start, kWh (held inside the limits). */
  soc0: number;
}

/** The optimal hours: charge from surplus and from the grid, discharge (kW), and the program's bill (CNY). */
export interface OptimalSchedule {
  surplusChargeKw: Float64Array;
  gridChargeKw: Float64Array;
  dischargeKw: Float64Array;
  billCny: number;
}

/**
 * Solve the year's dispatch program. Throws `battery optimal dispatch: <HiGHS status>` when HiGHS
 * finds no optimum (which a feasible year never gives: doing nothing is always feasible).
 *
 * @example
 * // 48 h, valley 0.3 (00–08) and peak 1.0 CNY/kWh, 100 kW load, 100 kWh / 50 kW, η 0.81, empty:
 * optimalDispatch(twoDays, { eMax: 100, eMin: 0, pMax: 50, sq: 0.9 }, lp).billCny // → 3566.67
 */
export function optimalDispatch(inp: OptimalInput, lim: Limits, lp: LpSolver): OptimalSchedule {
  const n = inp.loadKw.length;
  const b = lpBuilder(4 * n + 16, 12 * n);
  const { eMax, eMin, pMax, sq } = lim;
  const soc0 = Math.min(eMax, Math.max(eMin, inp.soc0));
  const months = inp.monthEnd.length;
  const peak: number[] = [];
  for (let m = 0; m < months; m++)
    peak.push(inp.demandCnyPerKw[m] > 0 ? b.col(inp.demandCnyPerKw[m], inp.floorKw[m], INF) : -1);
  const cs = new Int32Array(n).fill(-1);
  const cg = new Int32Array(n);
  const d = new Int32Array(n);
  let prev = -1;
  let m = 0;
  let offset = 0;
  for (let h = 0; h < n; h++) {
    while (m < months - 1 && h >= inp.monthEnd[m]) m++;
    const load = inp.loadKw[h];
    const gen = inp.onsiteKw ? inp.onsiteKw[h] : 0;
    const used = Math.min(load, gen);
    const surplus = gen - used;
    const deficit = load - used;
    const price = inp.pricesCnyPerKwh[h];
    offset += price * deficit;
    if (surplus > 0) cs[h] = b.col(0, 0, Math.min(surplus, pMax));
    cg[h] = b.col(price, 0, pMax);
    d[h] = b.col(-price, 0, Math.min(deficit, pMax));
    const soc = b.col(0, eMin, eMax);
    const csCol = cs[h];
    if (csCol >= 0) b.row(-INF, pMax, [csCol, cg[h], d[h]], [1, 1, 1]);
    else b.row(-INF, pMax, [cg[h], d[h]], [1, 1]);
    // soc_h − soc_{h−1} − √η (cs + cg) + d/√η = 0 (soc_{−1} a constant on the right)
    const cols = prev >= 0 ? [soc, prev, cg[h], d[h]] : [soc, cg[h], d[h]];
    const coefs = prev >= 0 ? [1, -1, -sq, 1 / sq] : [1, -sq, 1 / sq];
    if (csCol >= 0) {
      cols.push(csCol);
      coefs.push(-sq);
    }
    const rhs = prev >= 0 ? 0 : soc0;
    b.row(rhs, rhs, cols, coefs);
    prev = soc;
    // The import of the hour under the month's billed demand: cg − d − B ≤ −deficit.
    if (peak[m] >= 0) b.row(-INF, -deficit, [cg[h], d[h], peak[m]], [1, -1, -1]);
  }
  b.offset(offset);
  const sol = lp.solve(b.build());
  if (sol.status !== 'optimal') throw new Error(`battery optimal dispatch: ${sol.statusText}`);
  const out: OptimalSchedule = {
    surplusChargeKw: new Float64Array(n),
    gridChargeKw: new Float64Array(n),
    dischargeKw: new Float64Array(n),
    billCny: sol.objective,
  };
  for (let h = 0; h < n; h++) {
    // HiGHS' values may sit a tolerance outside their bounds: held at ≥ 0.
    out.surplusChargeKw[h] = cs[h] >= 0 ? Math.max(0, sol.x[cs[h]]) : 0;
    out.gridChargeKw[h] = Math.max(0, sol.x[cg[h]]);
    out.dischargeKw[h] = Math.max(0, sol.x[d[h]]);
  }
  return out;
}

/**
 * The hourly loop of an optimal schedule, with the bookkeeping of the rule policies' loop
 * (storage-dispatch.ts `dispatchHours`: on-site used, surplus charged, discharge, grid charge, export
 * and curtailment, green share of the stored energy, contracted power, monthly green supply) and the
 * same sums in `acc`; each hour's planned flows are held inside the battery's limits as the hour finds
 * it (the program's own tolerances). `par` as `dispatchHours` packs it.
 */
export function followSchedule(
  load: Float64Array,
  onsite: Float64Array,
  plan: OptimalSchedule,
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
  const detail = par[8] === 1;
  let soc = par[4];
  let greenStored = par[5];
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
    let greenMonth = 0;
    for (; h < end; h++) {
      const L = load[h];
      const G = onsite[h];
      const used = L < G ? L : G;
      let surplus = G - used;
      let deficit = L - used;
      const cs = Math.max(0, Math.min(plan.surplusChargeKw[h], surplus, pMax, (eMax - soc) / sq));
      soc += cs * sq;
      greenStored += cs * sq;
      surplus -= cs;
      let dischargeGreen = 0;
      const d = Math.max(0, Math.min(plan.dischargeKw[h], deficit, pMax - cs, (soc - eMin) * sq));
      if (d > 0) {
        const gf = soc > 0 ? greenStored / soc : 0;
        soc -= d / sq;
        greenStored = Math.max(0, greenStored - (d / sq) * gf);
        dischargeGreen = d * gf;
        deficit -= d;
        dischargeSum += d;
      }
      const cg = Math.max(0, Math.min(plan.gridChargeKw[h], pMax - cs - d, (eMax - soc) / sq));
      soc += cg * sq;
      gridChargeSum += cg;
      const charge = cs + cg;
      const exp = surplus < exportCap ? surplus : exportCap;
      const curtail = surplus - exp;
      const g = deficit + cg;
      grid[h] = g;
      if (detail) socArr[h] = soc;
      if (contractHere) {
        const c = share * deficit;
        const gh = used + dischargeGreen + c;
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
      usedSum += used;
      if (surplus > 0) {
        exportSum += exp;
        curtailSum += curtail;
      }
      if (charge > 0) chargeSum += charge;
      gridSum += g;
    }
    greenMonths[m] = greenMonth;
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
