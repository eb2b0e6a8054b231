import { HOURS_PER_YEAR } from '../calendar.ts';
import { stagedPlant } from '../chiller.ts';
import type { ElectricalParams } from '../electrical.ts';
import { type CircuitArrays, facilityKernel } from '../kernels/index.ts';
import type { CoolingDesign } from './design.ts';
import type { ChillerCircuit, CoolingProfile } from './profile.ts';

/**
 * Facility power and water of a simulated year (`facilityLoad`): the hourly IT load times the profile's
 * per-kW-of-heat factors, plus UPS, distribution and lighting losses and the chillers' compressor power.
 * The hourly loop is a WebAssembly kernel (models/kernels/assembly/facility.ts); this file works out
 * its constants and reads its sums.
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
 * modules (fixed, linear and square shares), lighting of the installed halls, distribution; and the
 * design heat of the installed halls (full IT, full UPS loss, distribution, lighting), kW.
 */
function lossCoefficients(e: ElectricalParams, sizing: FacilitySizing) {
  const rated = sizing.energisedItKw;
  const fullLoss = rated > 0 ? rated * (1 / e.upsEfficiency - 1) : 0;
  const a0 = fullLoss * e.upsFixedShare + sizing.installedItKw * e.lightingFraction; // kW, fixed
  const a1 = rated > 0 ? (fullLoss * (1 - e.upsFixedShare - e.upsSquareShare)) / rated : 0; // per kW IT
  const a2 = rated > 0 ? (fullLoss * e.upsSquareShare) / (rated * rated) : 0; // per kW² IT
  const dist = 1 / (1 - e.distributionLoss) - 1; // per kW IT
  const designHeat = sizing.installedItKw * (1 / e.upsEfficiency + dist + e.lightingFraction);
  return { a0, a1, a2, dist, designHeat };
}

const NONE = new Float64Array(0);

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
): CircuitArrays {
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
  facilityKernel(
    itKw,
    Float64Array.of(a0, a1, a2, dist),
    profile.coolingKwPerKwHeat,
    profile.waterLPerKwhHeat,
    profile.mode,
    W,
    A,
    out.facilityKw,
    out.waterL ?? NONE,
    out.months ?? new Float64Array(36),
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
