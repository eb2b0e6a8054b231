import type { Bounds, InputRow } from './input-row.ts';
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

function mid(
  lo: number,
  hi: number,
  unit: string,
  label: string,
  cls: string,
  hard: Bounds,
  scale = 1,
): Param {
  return {
    value: ((lo + hi) / 2) * scale,
    unit,
    label,
    typical: { min: lo * scale, max: hi * scale },
    ...hard,
    source: `${LM} of ${lo}–${hi} (${cls})`,
    grade: 'B',
  };
}

/** Hard bounds of a share or an efficiency. */
const SHARE: Bounds = { min: 0, max: 1 };
const EFFICIENCY: Bounds = { min: 0, exclusiveMin: true, max: 1 };

/** Electrical parameters of each facility class. */
export function electricalTable(cls: FacilityClass): Record<string, Param> {
  const ups = { hyperscale: [90, 99], large: [80, 94], small: [77, 85] }[cls];
  const dist = { hyperscale: [0, 2], large: [2, 5], small: [2, 4] }[cls];
  const light = { hyperscale: [0, 0.2], large: [2, 5], small: [2, 4] }[cls];
  return {
    upsEfficiency: mid(ups[0], ups[1], '', 'UPS efficiency at rated load', cls, EFFICIENCY, 0.01),
    distributionLoss: mid(
      dist[0],
      dist[1],
      '',
      'Power distribution loss (share of IT)',
      cls,
      { min: 0, max: 0.5 },
      0.01,
    ),
    lightingFraction: mid(
      light[0],
      light[1],
      '',
      'Lighting and misc. (share of IT)',
      cls,
      { min: 0, max: 0.5 },
      0.01,
    ),
    upsFixedShare: {
      value: 0.3,
      unit: '',
      label: 'Share of the full-load UPS loss that is fixed (no-load)',
      typical: { min: 0.2, max: 0.5 },
      ...SHARE,
      source:
        'Rasmussen, APC WP 113 (2006) three-term UPS model; the split of the full-load loss (30 % fixed, 50 % proportional, 20 % square-law) is an engineering assumption',
      grade: 'assumption',
    },
    upsSquareShare: {
      value: 0.2,
      unit: '',
      label: 'Share of the full-load UPS loss that is square-law (I²R)',
      typical: { min: 0.1, max: 0.3 },
      ...SHARE,
      source: 'Rasmussen, APC WP 113 (2006); split assumed as above',
      grade: 'assumption',
    },
    upsEcoMode: {
      value: 0,
      unit: '',
      label: 'UPS in eco mode (1) or double conversion (0)',
      min: 0,
      max: 1,
      integer: true,
      source:
        'double conversion: "surveys show that virtually no data centers actually use eco mode" (Rasmussen, Schneider Electric WP 157) [ups-eco-mode]',
      grade: 'B',
    },
    upsEcoEfficiency: {
      value: 0.99,
      unit: '',
      label: 'UPS efficiency in eco mode',
      typical: { min: 0.97, max: 0.995 },
      ...EFFICIENCY,
      source:
        'eConversion (eco) mode "up to 99 %" against "up to 97 %" in double conversion (Schneider Electric Galaxy VS); WP 157: eco mode saves ≈ 2 % of data-centre energy [ups-eco-mode]',
      grade: 'B',
    },
    upsMinEnergisedFraction: {
      value: 0.5,
      unit: '',
      label: 'Smallest share of the installed UPS capacity kept energised (modular UPS, N+1 and bypass)',
      typical: { min: 0.2, max: 1 },
      ...SHARE,
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
