import type { InputRow } from './inputs.ts';
/**
 * Electrical losses between the grid and the IT load: UPS, power distribution, lighting and misc.
 *
 * UPS loss follows the three-term model of N. Rasmussen, "Electrical Efficiency Modeling of Data
 * Centers", APC White Paper 113 (2006): a no-load (fixed) loss, a loss proportional to load and a
 * square-law (I²R) loss, each a fraction of the rated power:
 *   loss(x) = P_rated · L_full · (s_fixed + s_prop · x + s_square · x²),  x = P_IT / P_rated,
 * with L_full = 1/η − 1 the full-load loss for the class efficiency η of Lei & Masanet (2022) Table B.1
 * (Lei & Masanet 2022), so the UPS has exactly that efficiency at rated load and the well-known lower efficiency
 * at part load. Distribution loss and lighting follow Lei & Masanet (2022): IT/(1 − d) − IT and a share of IT.
 */

/** A parameter with its unit, source and grade: a row of an input table (`models/inputs.ts`). */
export type Param = InputRow;

export type FacilityClass = 'hyperscale' | 'large' | 'small';
export const FACILITY_CLASSES: readonly FacilityClass[] = ['hyperscale', 'large', 'small'];

const LM =
  'Lei & Masanet, Resour. Conserv. Recycl. 182 (2022) 106323, Table B.1 [lei-masanet-2022]: midpoint';

function mid(lo: number, hi: number, unit: string, label: string, cls: string, scale = 1): Param {
  return {
    value: ((lo + hi) / 2) * scale,
    unit,
    label,
    min: lo * scale,
    max: hi * scale,
    source: `${LM} of ${lo}–${hi} (${cls})`,
    grade: 'B',
  };
}

/** Electrical parameters of each facility class. */
export function electricalTable(cls: FacilityClass): Record<string, Param> {
  const ups = { hyperscale: [90, 99], large: [80, 94], small: [77, 85] }[cls];
  const dist = { hyperscale: [0, 2], large: [2, 5], small: [2, 4] }[cls];
  const light = { hyperscale: [0, 0.2], large: [2, 5], small: [2, 4] }[cls];
  return {
    upsEfficiency: mid(ups[0], ups[1], '', 'UPS efficiency at rated load', cls, 0.01),
    distributionLoss: mid(dist[0], dist[1], '', 'Power distribution loss (share of IT)', cls, 0.01),
    lightingFraction: mid(light[0], light[1], '', 'Lighting and misc. (share of IT)', cls, 0.01),
    upsFixedShare: {
      value: 0.3,
      unit: '',
      label: 'Share of the full-load UPS loss that is fixed (no-load)',
      min: 0.2,
      max: 0.5,
      source:
        'Rasmussen, APC WP 113 (2006) three-term UPS model; the split of the full-load loss (30 % fixed, 50 % proportional, 20 % square-law) is an engineering assumption',
      grade: 'assumption',
    },
    upsSquareShare: {
      value: 0.2,
      unit: '',
      label: 'Share of the full-load UPS loss that is square-law (I²R)',
      min: 0.1,
      max: 0.3,
      source: 'Rasmussen, APC WP 113 (2006); split assumed as above',
      grade: 'assumption',
    },
    upsMinEnergisedFraction: {
      value: 0.5,
      unit: '',
      label: 'Smallest share of the installed UPS capacity kept energised (modular UPS, N+1 and bypass)',
      min: 0.2,
      max: 1,
      source:
        'modular UPS frames switch modules off down to the redundancy the installed load needs; half the frame kept on is an engineering assumption',
      grade: 'assumption',
    },
  };
}

export interface ElectricalParams {
  upsEfficiency: number;
  distributionLoss: number;
  lightingFraction: number;
  upsFixedShare: number;
  upsSquareShare: number;
}

/**
 * UPS + distribution + lighting losses (kW) at IT load `itKw` on a UPS rated at `ratedItKw`.
 *
 * @example
 * electricalLossKw(500, 1000, { upsEfficiency: 0.945, distributionLoss: 0.01, lightingFraction: 0.001,
 *   upsFixedShare: 0.3, upsSquareShare: 0.2 })
 * // → 40.47 = UPS 1000 × 0.058201 × (0.3 + 0.5·0.5 + 0.2·0.25) = 34.92 + distribution 500/0.99 − 500 = 5.05 + lighting 0.5
 */
export function electricalLossKw(itKw: number, ratedItKw: number, p: ElectricalParams): number {
  if (!(ratedItKw > 0)) return 0; // nothing built, nothing energised
  const x = itKw / ratedItKw;
  const full = 1 / p.upsEfficiency - 1;
  const prop = 1 - p.upsFixedShare - p.upsSquareShare;
  const ups = ratedItKw * full * (p.upsFixedShare + prop * x + p.upsSquareShare * x * x);
  const dist = itKw / (1 - p.distributionLoss) - itKw;
  return ups + dist + itKw * p.lightingFraction;
}
