import { HOURS_PER_YEAR, MONTH_START_HOUR } from '../calendar.ts';
import { plantPowerKw, type StagedPlant, stagedPlant } from '../chiller.ts';
import type { ElectricalParams } from '../electrical.ts';
import { type CoolingDesign, FREE, PARTIAL } from './design.ts';
import type { ChillerCircuit, CoolingProfile } from './profile.ts';

/**
 * Facility power and water of a simulated year (`facilityLoad`): the hourly IT load times the profile's
 * per-kW-of-heat factors, plus UPS, distribution and lighting losses and the chillers' compressor power.
 */

/** Annual totals of one simulated year. */
export interface FacilitySummary {
  itEnergyKwh: number;
  facilityEnergyKwh: number;
  coolingEnergyKwh: number;
  electricalLossKwh: number;
  waterL: number;
  /** Σ facility ÷ Σ IT; 0 when there is no IT energy. */
  pue: number;
  wueLPerKwh: number;
  peakFacilityKw: number;
  peakItKw: number;
  /** Hours in full free cooling / partial economizer while IT load > 0. */
  freeCoolingHours: number;
  partialCoolingHours: number;
}

/** Installed and energised capacity of a year (kW of IT design power). */
export interface FacilitySizing {
  /** IT design power of the racks in service: halls, cooling plant and lighting are built for it. */
  installedItKw: number;
  /** IT design power whose UPS modules are energised (occupied racks, at least the stated minimum share). */
  energisedItKw: number;
}

/**
 * Electrical losses of an hour as a0 + (a1 + a2·IT)·IT + dist·IT (kW): UPS losses on the energised
 * modules (the three-term model of Rasmussen, APC WP 113: fixed, linear and square shares of the
 * full-load loss 1/η − 1), lighting of the installed halls, distribution; and the design heat of the
 * installed halls (full IT, full UPS loss, distribution, lighting), kW.
 *
 * @example
 * // η 0.945, 30/50/20 % split, distribution 1 %, lighting 0.1 %, 1,000 kW energised and installed, 500 kW IT
 * const c = lossCoefficients(e, { installedItKw: 1000, energisedItKw: 1000 });
 * c.a0 + (c.a1 + c.a2 * 500) * 500 + c.dist * 500 // → 40.97 kW (UPS 34.92 + distribution 5.05 + lighting 1.0)
 */
export function lossCoefficients(e: ElectricalParams, sizing: FacilitySizing) {
  const rated = sizing.energisedItKw;
  const fullLoss = rated > 0 ? rated * (1 / e.upsEfficiency - 1) : 0;
  const a0 = fullLoss * e.upsFixedShare + sizing.installedItKw * e.lightingFraction; // kW, fixed
  const a1 = rated > 0 ? (fullLoss * (1 - e.upsFixedShare - e.upsSquareShare)) / rated : 0; // per kW IT
  const a2 = rated > 0 ? (fullLoss * e.upsSquareShare) / (rated * rated) : 0; // per kW² IT
  const dist = 1 / (1 - e.distributionLoss) - 1; // per kW IT
  const designHeat = sizing.installedItKw * (1 / e.upsEfficiency + dist + e.lightingFraction);
  return { a0, a1, a2, dist, designHeat };
}

/** A chiller circuit's staged plant and hourly arrays; a null plant and empty arrays when there is none. */
interface CircuitHours {
  plant: StagedPlant | null;
  load: Float64Array;
  cap: Float64Array;
  eir: Float64Array;
  rej: Float64Array;
  rejW: Float64Array;
}

const NONE = new Float64Array(0);
/** The constants of no plant (zero capacity). */
const NO_PLANT = new Float64Array(8);
/** Hour after the last of each month (the loop runs month by month to keep monthly sums in locals). */
const MONTH_END = Int32Array.from(MONTH_START_HOUR.slice(1));

/** Where `facilityLoad` writes: hourly facility power, and water and monthly totals when given. */
export interface FacilityOut {
  facilityKw: Float64Array;
  /** Water per hour, L (not written when null: the year's total is in the summary either way). */
  waterL: Float64Array | null;
  /** Per month m: Σ IT kWh at [3m], Σ facility kWh at [3m + 1], facility peak kW at [3m + 2]. */
  months?: Float64Array;
}

/** The plant of a circuit: modules sized for the design heat of the installed halls. */
function circuitHours(
  cc: ChillerCircuit | null,
  designHeat: number,
  p: Record<string, number>,
): CircuitHours {
  if (!cc) return { plant: null, load: NONE, cap: NONE, eir: NONE, rej: NONE, rejW: NONE };
  const plant = stagedPlant({
    curves: cc.curves,
    ratedCop: cc.ratedCop,
    capacityKw: designHeat * cc.designLoadPerKwHeat * p.chillerSizing,
    modules: Math.max(1, Math.round(p.chillerModules)),
  });
  const { loadPerKwHeat, capFt, eirFt, rejectKwPerKw, rejectWaterLPerKwh } = cc;
  return { plant, load: loadPerKwHeat, cap: capFt, eir: eirFt, rej: rejectKwPerKw, rejW: rejectWaterLPerKwh };
}

/**
 * Facility power and water for one year of hourly IT load: UPS losses on the energised modules,
 * distribution losses, lighting of the built halls, fans, pumps and heat rejection for all that heat,
 * and compressor power from the chillers' curves at the hour's part load (staged modules sized for
 * the installed halls). Fills `out.facilityKw`, and `out.waterL` and `out.months` when given.
 *
 * @example
 * facilityLoad(itKw, { installedItKw: 10000, energisedItKw: 6500 }, design, profile, out).pue // → e.g. 1.2
 */
export function facilityLoad(
  itKw: Float64Array,
  sizing: FacilitySizing,
  design: CoolingDesign,
  profile: CoolingProfile,
  out: FacilityOut,
): FacilitySummary {
  if (itKw.length !== HOURS_PER_YEAR) throw new Error(`itKw: must have ${HOURS_PER_YEAR} hours`);
  const { a0, a1, a2, dist, designHeat } = lossCoefficients(design.electrical, sizing);
  const W = circuitHours(profile.water, designHeat, design.p);
  const A = circuitHours(profile.air, designHeat, design.p);
  const acc = new Float64Array(9);
  facilityHours(
    itKw,
    Float64Array.of(a0, a1, a2, dist, out.waterL ? 1 : 0),
    profile.coolingKwPerKwHeat,
    profile.waterLPerKwhHeat,
    profile.mode,
    W.plant,
    W.load,
    W.cap,
    W.eir,
    W.rej,
    W.rejW,
    A.plant,
    A.load,
    A.cap,
    A.eir,
    A.rej,
    A.rejW,
    out.facilityKw,
    out.waterL ?? NONE,
    out.months ?? new Float64Array(36),
    MONTH_END,
    acc,
  );
  const itE = acc[0];
  const facE = acc[1];
  const waterL = acc[4];
  return {
    itEnergyKwh: itE,
    facilityEnergyKwh: facE,
    coolingEnergyKwh: acc[2],
    electricalLossKwh: acc[3],
    waterL,
    pue: itE > 0 ? facE / itE : 0,
    wueLPerKwh: itE > 0 ? waterL / itE : 0,
    peakFacilityKw: acc[5],
    peakItKw: acc[8],
    freeCoolingHours: acc[6],
    partialCoolingHours: acc[7],
  };
}

/**
 * The hourly loop of `facilityLoad`, on numbers and typed arrays only (no object fields: see
 * `StagedPlant`). The two chiller circuits unrolled (water first, then air): no per-hour iteration over
 * a list of plants. Month by month, writes facility kW (and water L, when `losses[4]` is 1) per hour
 * and each month's Σ IT, Σ facility and facility peak into `months`; into `acc`: Σ IT, Σ facility,
 * Σ cooling, Σ losses, Σ water, peak facility kW, free- and partial-economizer hours with IT load,
 * peak IT kW.
 */
function facilityHours(
  itKw: Float64Array,
  losses: Float64Array,
  k: Float64Array,
  w: Float64Array,
  mode: Uint8Array,
  wPlant: StagedPlant | null,
  wLoad: Float64Array,
  wCap: Float64Array,
  wEir: Float64Array,
  wRej: Float64Array,
  wRejW: Float64Array,
  aPlant: StagedPlant | null,
  aLoad: Float64Array,
  aCap: Float64Array,
  aEir: Float64Array,
  aRej: Float64Array,
  aRejW: Float64Array,
  fac: Float64Array,
  water: Float64Array,
  months: Float64Array,
  monthEnd: Int32Array,
  acc: Float64Array,
): void {
  // Scalars come in typed arrays and are read once into locals: a number parameter would be checked
  // and converted at every use inside the loop. One by one, not destructured from an array literal:
  // the literal's elements kind changes between a plant's constants and no plant's zeros, and in some
  // processes V8 dropped the loop's optimised code on that "wrong map" and ran 2–3× slower.
  const a0 = losses[0];
  const a1 = losses[1];
  const a2 = losses[2];
  const dist = losses[3];
  const keepWater = losses[4] === 1;
  // Each plant's constants as locals (0 capacity: no plant), read once.
  const wp = wPlant ?? NO_PLANT;
  const wMod = wp[0];
  const wN = wp[1];
  const wCop = wp[2];
  const wMin = wp[3];
  const wA = wp[4];
  const wB = wp[5];
  const wC = wp[6];
  const wAtMin = wp[7];
  const ap = aPlant ?? NO_PLANT;
  const aMod = ap[0];
  const aN = ap[1];
  const aCop = ap[2];
  const aMin = ap[3];
  const aA = ap[4];
  const aB = ap[5];
  const aC = ap[6];
  const aAtMin = ap[7];
  // Plain running sums: every term is ≥ 0, so the relative error of a year's sum is below
  // (n − 1)·2⁻⁵³ ≈ 1e-12 (docs/ARCHITECTURE.md, "Sums"), far under the precision results carry.
  let sIt = 0;
  let sFac = 0;
  let sCool = 0;
  let sLoss = 0;
  let sW = 0;
  let peak = 0;
  let peakIt = 0;
  let free = 0;
  let partial = 0;
  let h = 0;
  for (let m = 0; m < 12; m++) {
    const end = monthEnd[m];
    let monthIt = 0;
    let monthFac = 0;
    let monthPeak = 0;
    for (; h < end; h++) {
      const it = itKw[h];
      const loss = a0 + (a1 + a2 * it) * it + dist * it;
      const heat = it + loss;
      let cool = heat * k[h];
      let wl = heat * w[h];
      if (wPlant !== null) {
        const q = heat * wLoad[h];
        if (q > 0) {
          const comp = plantPowerKw(wMod, wN, wCop, wMin, wA, wB, wC, wAtMin, q, wCap[h], wEir[h]);
          cool += comp * (1 + wRej[h]);
          wl += comp * wRejW[h];
        }
      }
      if (aPlant !== null) {
        const q = heat * aLoad[h];
        if (q > 0) {
          const comp = plantPowerKw(aMod, aN, aCop, aMin, aA, aB, aC, aAtMin, q, aCap[h], aEir[h]);
          cool += comp * (1 + aRej[h]);
          wl += comp * aRejW[h];
        }
      }
      const f = heat + cool;
      fac[h] = f;
      if (keepWater) water[h] = wl;
      if (f > monthPeak) monthPeak = f;
      if (it > peakIt) peakIt = it;
      if (it > 0) {
        const md = mode[h];
        if (md === FREE) free++;
        else if (md === PARTIAL) partial++;
      }
      sIt += it;
      sFac += f;
      sCool += cool;
      sLoss += loss;
      sW += wl;
      monthIt += it;
      monthFac += f;
    }
    months[3 * m] = monthIt;
    months[3 * m + 1] = monthFac;
    months[3 * m + 2] = monthPeak;
    if (monthPeak > peak) peak = monthPeak;
  }
  acc[0] = sIt;
  acc[1] = sFac;
  acc[2] = sCool;
  acc[3] = sLoss;
  acc[4] = sW;
  acc[5] = peak;
  acc[6] = free;
  acc[7] = partial;
  acc[8] = peakIt;
}
