import {
  type ElectricalParams,
  electricalTable,
  FACILITY_CLASSES,
  type FacilityClass,
  type Param,
} from '../electrical.ts';
import { applyTable, type Bounds } from '../input-row.ts';
import type { AssumptionUsed } from '../result.ts';

/**
 * Cooling designs: names, hourly mode codes and the parameter tables of each design and facility class
 * (Lei & Masanet 2022 Table B.1 [lei-masanet-2022]); `coolingDesign` resolves one with its overrides.
 * docs/models/cooling.md gives every equation.
 */

export const COOLING_DESIGN_NAMES = [
  'air-cooled-chiller',
  'water-cooled-chiller-wse',
  'indirect-evaporative',
  'liquid-cold-plate',
  'direct-airside-adiabatic',
  'water-cooled-chiller',
  'dx-crac',
] as const;
export type CoolingDesignName = (typeof COOLING_DESIGN_NAMES)[number];

/** Hourly cooling mode codes. */
export const MECHANICAL = 0;
export const PARTIAL = 1;
export const FREE = 2;

const LM = 'Lei & Masanet (2022) Table B.1 [lei-masanet-2022]: midpoint';

function mid(lo: number, hi: number, unit: string, label: string, cls: string, hard: Bounds): Param {
  return {
    value: (lo + hi) / 2,
    unit,
    label,
    typical: { min: lo, max: hi },
    ...hard,
    source: `${LM} of ${lo}–${hi} (${cls})`,
    grade: 'B',
  };
}

function assume(
  value: number,
  unit: string,
  label: string,
  why: string,
  typical: [number, number],
  hard: Bounds,
): Param {
  return {
    value,
    unit,
    label,
    typical: { min: typical[0], max: typical[1] },
    ...hard,
    source: why,
    grade: 'assumption',
  };
}

/** Hard bounds (physics): a share, an efficiency or effectiveness, a positive difference, a pressure. */
const SHARE: Bounds = { min: 0, max: 1 };
const EFFICIENCY: Bounds = { min: 0, exclusiveMin: true, max: 1 };
const DELTA_T: Bounds = { min: 0, exclusiveMin: true, max: 40 };
const APPROACH: Bounds = { min: 0, max: 30 };
const PA: Bounds = { min: 0, max: 5000 };
const KPA: Bounds = { min: 0, max: 1000 };

/** Plant rows that do not depend on the facility class (the last rows of `plantTable`). */
const CLASS_FREE_ROWS: Record<string, Param> = {
  ratedCopAir: {
    value: 2.96,
    unit: 'W/W',
    label: 'Air-cooled chiller / DX COP at rating conditions (6.7 °C chilled water, 35 °C ambient)',
    typical: { min: 2.5, max: 3.6 },
    min: 1,
    max: 10,
    source:
      'ASHRAE 90.1-2016 Table 6.8.1-3, Path A minimum for air-cooled chillers: 10.1 EER (Btu/Wh) → COP 2.96 [ashrae-90-1-2016]',
    grade: 'C',
  },
  chillerModules: assume(
    4,
    '',
    'Duty chiller modules, staged on as the load needs them',
    'a plant of four equal duty chillers (redundant units idle); engineering assumption',
    [1, 12],
    { min: 1, max: 50, integer: true },
  ),
  chillerSizing: assume(
    1,
    '',
    'Duty chiller capacity ÷ design heat of the installed halls',
    'duty plant sized to the design heat at the rating point; engineering assumption',
    [0.8, 1.5],
    { min: 0.5, max: 3 },
  ),
};

/** Mechanical-plant and air/water-side parameters of a facility class (Lei & Masanet 2022 [lei-masanet-2022]). */
function plantTable(cls: FacilityClass): Record<string, Param> {
  const pick = <T>(h: T, l: T, s: T) => ({ hyperscale: h, large: l, small: s })[cls];
  const [dtLo, dtHi] = pick([13.9, 19.4], [5, 10], [5, 8]);
  const [fpLo, fpHi] = pick([300, 1000], [400, 1000], [400, 900]);
  const [feLo, feHi] = pick([65, 90], [60, 80], [60, 75]);
  const [tpLo, tpHi] = pick([100, 400], [200, 400], [200, 400]);
  const [peLo, peHi] = pick([60, 80], [60, 80], [60, 70]);
  const [lgLo, lgHi] = pick([0.2, 4], [0.2, 2], [0.2, 2]);
  const [ceLo, ceHi] = pick([0.7, 0.9], [0.65, 0.9], [0.65, 0.8]);
  const [drLo, drHi] = pick([0.005, 0.5], [0.005, 0.5], [0.05, 0.5]);
  const [ccLo, ccHi] = pick([3, 15], [3, 12], [3, 12]);
  const pct = { min: 0, max: 100 };
  const fe = mid(feLo, feHi, '%', 'CRAH fan efficiency', cls, pct);
  const te = mid(feLo, feHi, '%', 'Cooling-tower / dry-cooler fan efficiency', cls, pct);
  const pe = mid(peLo, peHi, '%', 'Pump efficiency', cls, pct);
  const dr = mid(drLo, drHi, '% of circulating flow', 'Cooling-tower drift loss', cls, pct);
  // A row given in per cent by the literature, as the fraction the model reads, with its own bounds.
  const frac = (r: Param, hard: Bounds): Param => ({
    ...r,
    value: r.value / 100,
    unit: '',
    typical: { min: (r.typical?.min ?? 0) / 100, max: (r.typical?.max ?? 100) / 100 },
    min: undefined,
    max: undefined,
    ...hard,
  });
  return {
    supplyAirC: {
      value: pick(27, 24, 22.5),
      unit: '°C',
      label: 'Supply (server inlet) air temperature',
      typical: { min: 18, max: 27 },
      min: 5,
      max: 45,
      source: pick(
        'warm end of the 18–27 °C recommended inlet envelope (ASHRAE TC 9.9 thermal guidelines; GB 50174-2017 §5.1.1), where hyperscale operators run; Lei & Masanet 2022 Table B.1 put hyperscale high set points at 27–35 °C [ashrae-tc99-2015] [gb-50174-2017] [lei-masanet-2022]',
        'between the midpoint and the warm end of the 18–27 °C recommended envelope for colocation halls (ASHRAE TC 9.9; GB 50174-2017 §5.1.1) [ashrae-tc99-2015] [gb-50174-2017]',
        'midpoint of the 18–27 °C recommended envelope (ASHRAE TC 9.9; GB 50174-2017 §5.1.1); Lei & Masanet 2022 Table B.1 put small-DC set points at 18–27 °C [ashrae-tc99-2015] [gb-50174-2017]',
      ),
      grade: 'D',
    },
    airDeltaTC: mid(dtLo, dtHi, 'K', 'Air temperature rise across IT (CRAH ΔT)', cls, DELTA_T),
    crahFanPressurePa: mid(fpLo, fpHi, 'Pa', 'CRAH fan pressure rise', cls, PA),
    crahFanEfficiency: frac(fe, EFFICIENCY),
    chwDeltaTC: mid(5, 10, 'K', 'Chilled-water ΔT', cls, DELTA_T),
    towerDeltaTC: mid(4, 6, 'K', 'Cooling-tower water ΔT', cls, DELTA_T),
    towerFanPressurePa: mid(tpLo, tpHi, 'Pa', 'Cooling-tower fan pressure rise', cls, PA),
    towerFanEfficiency: frac(te, EFFICIENCY),
    chwPumpPressureKpa: mid(114.9, 172.4, 'kPa', 'Chilled-water pump pressure', cls, KPA),
    towerPumpPressureKpa: mid(166.9, 250.4, 'kPa', 'Cooling-tower pump pressure', cls, KPA),
    econPumpPressureKpa: mid(114.9, 172.4, 'kPa', 'Economizer pump pressure', cls, KPA),
    pumpEfficiency: frac(pe, EFFICIENCY),
    towerApproachC: mid(2.8, 6.7, 'K', 'Cooling-tower approach', cls, APPROACH),
    hxApproachC: mid(1.7, 2.8, 'K', 'Economizer heat-exchanger approach', cls, APPROACH),
    towerLiquidGasRatio: mid(lgLo, lgHi, '', 'Cooling-tower liquid/gas mass ratio', cls, {
      min: 0,
      exclusiveMin: true,
      max: 20,
    }),
    coilEffectiveness: mid(ceLo, ceHi, '', 'Cooling-coil heat-exchanger effectiveness', cls, EFFICIENCY),
    driftFraction: frac(dr, { min: 0, max: 0.05 }),
    cyclesOfConcentration: mid(ccLo, ccHi, '', 'Cycles of concentration', cls, {
      min: 1,
      exclusiveMin: true,
      max: 50,
    }),
    ratedCopWater: {
      value: pick(6.28, 6.1, 4.69),
      unit: 'W/W',
      label: 'Water-cooled chiller COP at rating conditions (6.7 °C chilled water, 29.4 °C condenser water)',
      typical: { min: 4, max: 7.5 },
      min: 1,
      max: 15,
      source: pick(
        'ASHRAE 90.1-2016 Table 6.8.1-3, Path A minimum for water-cooled centrifugal chillers ≥ 600 tons: 0.560 kW/ton → COP 6.28 [ashrae-90-1-2016]',
        'ASHRAE 90.1-2016 Table 6.8.1-3, Path A minimum for water-cooled centrifugal chillers 300–600 tons: 0.576 kW/ton → COP 6.10 [ashrae-90-1-2016]',
        'ASHRAE 90.1-2016 Table 6.8.1-3, Path A minimum for water-cooled positive-displacement chillers < 75 tons: 0.750 kW/ton → COP 4.69 [ashrae-90-1-2016]',
      ),
      grade: 'C',
    },
    ...CLASS_FREE_ROWS,
  };
}

/** Extra parameters of the evaporative and liquid designs, by design. */
const DESIGN_EXTRAS: Partial<Record<CoolingDesignName, Record<string, Param>>> = {
  'indirect-evaporative': {
    iecEffectiveness: assume(
      0.8,
      '',
      'Indirect evaporative heat-exchanger wet-bulb effectiveness',
      'taken equal to the cooling-coil effectiveness midpoint for hyperscale (Lei & Masanet 2022 Table B.1, 0.7–0.9 [lei-masanet-2022]); engineering assumption',
      [0.6, 0.9],
      EFFICIENCY,
    ),
    secondaryAirRatio: assume(
      1,
      '',
      'Outdoor (scavenger) air mass per mass of hall air',
      'balanced air-to-air heat exchanger; engineering assumption',
      [0.7, 1.5],
      { min: 0, exclusiveMin: true, max: 5 },
    ),
  },
  'direct-airside-adiabatic': {
    adiabaticEffectiveness: assume(
      0.85,
      '',
      'Direct evaporative (adiabatic) saturation effectiveness',
      'rigid-media direct evaporative pads are typically 0.75–0.95 saturation effective; engineering assumption',
      [0.6, 0.95],
      EFFICIENCY,
    ),
    maxDewPointC: {
      value: 15,
      unit: '°C',
      label: 'Highest outdoor dew point admitted directly to the hall',
      typical: { min: 9, max: 21 },
      min: -10,
      max: 30,
      source:
        'upper dew point of the ASHRAE TC 9.9 recommended envelope (15 °C); Lei & Masanet 2022 Table B.1 dew-point set points 15–27 °C [ashrae-tc99-2015] [lei-masanet-2022]',
      grade: 'B',
    },
  },
  'liquid-cold-plate': {
    liquidCaptureFraction: assume(
      0.75,
      '',
      'Share of IT heat captured by cold plates',
      'cold plates on CPUs/GPUs typically capture 70–80 % of server heat; engineering assumption',
      [0.5, 0.9],
      SHARE,
    ),
    liquidSupplyC: assume(
      32,
      '°C',
      'Facility water supply to the cold plates',
      'ASHRAE TC9.9 liquid-cooling class W32 (supply ≤ 32 °C); engineering assumption',
      [17, 45],
      { min: 5, max: 65 },
    ),
    dryCoolerApproachC: assume(
      6,
      'K',
      'Dry-cooler approach (water leaving − dry-bulb)',
      'typical dry-cooler selection; engineering assumption',
      [3, 10],
      APPROACH,
    ),
    dryCoolerAirDeltaTC: assume(
      10,
      'K',
      'Air temperature rise across the dry cooler',
      'typical dry-cooler selection; engineering assumption',
      [6, 15],
      DELTA_T,
    ),
  },
};

const DESIGN_INFO: Record<CoolingDesignName, { label: string; defaultClass: FacilityClass }> = {
  'air-cooled-chiller': { label: 'Air-cooled chiller + CRAH, no economizer', defaultClass: 'large' },
  'water-cooled-chiller-wse': {
    label: 'Water-cooled chiller + waterside economizer + cooling tower',
    defaultClass: 'large',
  },
  'indirect-evaporative': {
    label: 'Indirect evaporative air-to-air cooling with DX trim',
    defaultClass: 'large',
  },
  'liquid-cold-plate': {
    label: 'Liquid cold plates + dry coolers; residual air heat by CRAH + waterside-economized chiller',
    defaultClass: 'large',
  },
  'direct-airside-adiabatic': {
    label: 'Direct airside economizer with adiabatic (evaporative) assist and DX trim',
    defaultClass: 'large',
  },
  'water-cooled-chiller': {
    label: 'Water-cooled chiller + cooling tower + CRAH, no economizer',
    defaultClass: 'large',
  },
  'dx-crac': {
    label: 'DX computer-room air conditioners (CRAC), air-cooled condensers',
    defaultClass: 'large',
  },
};

/** The facility class whose parameters a design takes when the scenario names none. */
export function designDefaultClass(name: CoolingDesignName): FacilityClass {
  return DESIGN_INFO[name].defaultClass;
}

/** A cooling design with its resolved parameters. */
export interface CoolingDesign {
  name: CoolingDesignName;
  label: string;
  facilityClass: FacilityClass;
  /** Every parameter with unit, range, source and grade, after overrides. */
  table: Record<string, Param>;
  /** Parameter values by name (the table's `value`s). */
  p: Record<string, number>;
  /** The table rows left at their defaults, as the result's assumptions (`cooling.overrides.<name>`). */
  defaultsUsed: AssumptionUsed[];
  /** Overrides outside their row's typical range, in words. */
  warnings: string[];
  electrical: ElectricalParams;
}

/**
 * A named cooling design with its class defaults, optionally overridden parameter by parameter.
 * Throws `invalid coolingDesign: foo`, `invalid facilityClass: x`, or `cooling.overrides.x: unknown parameter`.
 *
 * @example
 * coolingDesign('water-cooled-chiller-wse').p.towerApproachC // → 4.75 (midpoint of 2.8–6.7 K)
 */
export function coolingDesign(
  name: string,
  overrides: Record<string, number> = {},
  facilityClass?: string,
): CoolingDesign {
  if (!(COOLING_DESIGN_NAMES as readonly string[]).includes(name))
    throw new Error(`invalid coolingDesign: ${name}`);
  const n = name as CoolingDesignName;
  const cls = (facilityClass ?? DESIGN_INFO[n].defaultClass) as FacilityClass;
  if (!FACILITY_CLASSES.includes(cls)) throw new Error(`invalid facilityClass: ${facilityClass}`);
  const table: Record<string, Param> = { ...electricalTable(cls), ...plantTable(cls), ...DESIGN_EXTRAS[n] };
  const { values: p, used, warnings } = applyTable('cooling.overrides', table, overrides);
  for (const [k, v] of Object.entries(overrides))
    table[k] = { ...table[k], value: v, source: 'scenario override', grade: 'assumption' };
  return {
    name: n,
    label: DESIGN_INFO[n].label,
    facilityClass: cls,
    table,
    p,
    defaultsUsed: used,
    warnings,
    electrical: {
      upsEfficiency: p.upsEcoMode === 1 ? p.upsEcoEfficiency : p.upsEfficiency,
      distributionLoss: p.distributionLoss,
      lightingFraction: p.lightingFraction,
      upsFixedShare: p.upsFixedShare,
      upsSquareShare: p.upsSquareShare,
    },
  };
}
