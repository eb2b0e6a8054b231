import { HOURS_PER_YEAR } from './calendar.ts';
import {
  biquadratic,
  type ChillerCurves,
  type ChillerPlant,
  chillerPowerKw,
  DOE2_CENTRIFUGAL,
  YORK_YCAL_AIR,
} from './chiller.ts';
import {
  type ElectricalParams,
  electricalTable,
  FACILITY_CLASSES,
  type FacilityClass,
  type Param,
} from './electrical.ts';
import {
  dewPointFromVapourPressureC,
  enthalpyKjPerKg,
  humidityRatioFromVapourPressure,
  saturationPressureFastPa,
} from './psychrometrics.ts';
import { CompensatedSum } from './sum.ts';

/**
 * Cooling designs, hourly cooling mode, cooling power and site water (DESIGN.md §3), after the
 * thermodynamics of Lei & Masanet (Resour. Conserv. Recycl. 182 (2022) 106323; Energy 201 (2020) 117556)
 * with their Table B.1 parameter ranges (Lei & Masanet 2022 [lei-masanet-2022]). docs/models/cooling.md gives every equation.
 *
 * Per kW of heat Q to remove, fan and pump power are linear in flow (flow ∝ Q), and the chiller power
 * is Q_mech / COP(condenser temperature). So everything that depends only on the climate and the
 * design — the mode, the cooling kW per kW of heat, the litres of water per kWh of heat — is computed
 * once per hour of the climate year (`prepareCooling`), and a simulated hour is a few multiply-adds
 * (`facilityLoad`).
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

/** Minimal climate input: a ClimateYear fits it. */
export interface CoolingClimate {
  tDryC: Float64Array;
  tWetC: Float64Array;
  pressurePa: Float64Array;
  /** kg water / kg dry air */
  humidityRatio: Float64Array;
}

const LM = 'Lei & Masanet (2022) Table B.1 [lei-masanet-2022]: midpoint';
const AIR_CP = 1.006; // kJ/kg·K, dry air (Lei & Masanet 2022 [lei-masanet-2022])
const WATER_CP = 4.186; // kJ/kg·K, liquid water
const LATENT_KJ_PER_KG = 2450; // kJ/kg, latent heat of evaporation near 20 °C (Lei & Masanet 2022 [lei-masanet-2022])
const R_DRY_AIR = 287.05; // J/kg·K

function mid(lo: number, hi: number, unit: string, label: string, cls: string): Param {
  return {
    value: (lo + hi) / 2,
    unit,
    label,
    min: lo,
    max: hi,
    source: `${LM} of ${lo}–${hi} (${cls})`,
    grade: 'B',
  };
}

function assume(value: number, unit: string, label: string, why: string, min?: number, max?: number): Param {
  return { value, unit, label, min, max, source: why, grade: 'assumption' };
}

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
  const fe = mid(feLo, feHi, '%', 'CRAH fan efficiency', cls);
  const te = mid(feLo, feHi, '%', 'Cooling-tower / dry-cooler fan efficiency', cls);
  const pe = mid(peLo, peHi, '%', 'Pump efficiency', cls);
  const dr = mid(drLo, drHi, '% of circulating flow', 'Cooling-tower drift loss', cls);
  return {
    supplyAirC: {
      value: pick(27, 24, 22.5),
      unit: '°C',
      label: 'Supply (server inlet) air temperature',
      min: 18,
      max: 27,
      source: pick(
        'warm end of the 18–27 °C recommended inlet envelope (ASHRAE TC 9.9 thermal guidelines; GB 50174-2017 §5.1.1), where hyperscale operators run; Lei & Masanet 2022 Table B.1 put hyperscale high set points at 27–35 °C [ashrae-tc99-2015] [gb-50174-2017] [lei-masanet-2022]',
        'between the midpoint and the warm end of the 18–27 °C recommended envelope for colocation halls (ASHRAE TC 9.9; GB 50174-2017 §5.1.1) [ashrae-tc99-2015] [gb-50174-2017]',
        'midpoint of the 18–27 °C recommended envelope (ASHRAE TC 9.9; GB 50174-2017 §5.1.1); Lei & Masanet 2022 Table B.1 put small-DC set points at 18–27 °C [ashrae-tc99-2015] [gb-50174-2017]',
      ),
      grade: 'D',
    },
    airDeltaTC: mid(dtLo, dtHi, 'K', 'Air temperature rise across IT (CRAH ΔT)', cls),
    crahFanPressurePa: mid(fpLo, fpHi, 'Pa', 'CRAH fan pressure rise', cls),
    crahFanEfficiency: { ...fe, value: fe.value / 100, unit: '', min: feLo / 100, max: feHi / 100 },
    chwDeltaTC: mid(5, 10, 'K', 'Chilled-water ΔT', cls),
    towerDeltaTC: mid(4, 6, 'K', 'Cooling-tower water ΔT', cls),
    towerFanPressurePa: mid(tpLo, tpHi, 'Pa', 'Cooling-tower fan pressure rise', cls),
    towerFanEfficiency: { ...te, value: te.value / 100, unit: '', min: feLo / 100, max: feHi / 100 },
    chwPumpPressureKpa: mid(114.9, 172.4, 'kPa', 'Chilled-water pump pressure', cls),
    towerPumpPressureKpa: mid(166.9, 250.4, 'kPa', 'Cooling-tower pump pressure', cls),
    econPumpPressureKpa: mid(114.9, 172.4, 'kPa', 'Economizer pump pressure', cls),
    pumpEfficiency: { ...pe, value: pe.value / 100, unit: '', min: peLo / 100, max: peHi / 100 },
    towerApproachC: mid(2.8, 6.7, 'K', 'Cooling-tower approach', cls),
    hxApproachC: mid(1.7, 2.8, 'K', 'Economizer heat-exchanger approach', cls),
    towerLiquidGasRatio: mid(lgLo, lgHi, '', 'Cooling-tower liquid/gas mass ratio', cls),
    coilEffectiveness: mid(ceLo, ceHi, '', 'Cooling-coil heat-exchanger effectiveness', cls),
    driftFraction: { ...dr, value: dr.value / 100, unit: '', min: drLo / 100, max: drHi / 100 },
    cyclesOfConcentration: mid(ccLo, ccHi, '', 'Cycles of concentration', cls),
    ratedCopWater: {
      value: pick(6.28, 6.1, 4.69),
      unit: 'W/W',
      label: 'Water-cooled chiller COP at rating conditions (6.7 °C chilled water, 29.4 °C condenser water)',
      min: 4,
      max: 7.5,
      source: pick(
        'ASHRAE 90.1-2016 Table 6.8.1-3, Path A minimum for water-cooled centrifugal chillers ≥ 600 tons: 0.560 kW/ton → COP 6.28 [ashrae-90-1-2016]',
        'ASHRAE 90.1-2016 Table 6.8.1-3, Path A minimum for water-cooled centrifugal chillers 300–600 tons: 0.576 kW/ton → COP 6.10 [ashrae-90-1-2016]',
        'ASHRAE 90.1-2016 Table 6.8.1-3, Path A minimum for water-cooled positive-displacement chillers < 75 tons: 0.750 kW/ton → COP 4.69 [ashrae-90-1-2016]',
      ),
      grade: 'C',
    },
    ratedCopAir: {
      value: 2.96,
      unit: 'W/W',
      label: 'Air-cooled chiller / DX COP at rating conditions (6.7 °C chilled water, 35 °C ambient)',
      min: 2.5,
      max: 3.6,
      source:
        'ASHRAE 90.1-2016 Table 6.8.1-3, Path A minimum for air-cooled chillers: 10.1 EER (Btu/Wh) → COP 2.96 [ashrae-90-1-2016]',
      grade: 'C',
    },
    chillerModules: assume(
      4,
      '',
      'Duty chiller modules, staged on as the load needs them',
      'a plant of four equal duty chillers (redundant units idle); engineering assumption',
      1,
      12,
    ),
    chillerSizing: assume(
      1,
      '',
      'Duty chiller capacity ÷ design heat of the installed halls',
      'duty plant sized to the design heat at the rating point; engineering assumption',
      0.8,
      1.5,
    ),
  };
}

/** Extra parameters of the evaporative and liquid designs. */
function designExtras(name: CoolingDesignName): Record<string, Param> {
  if (name === 'indirect-evaporative') {
    return {
      iecEffectiveness: assume(
        0.8,
        '',
        'Indirect evaporative heat-exchanger wet-bulb effectiveness',
        'taken equal to the cooling-coil effectiveness midpoint for hyperscale (Lei & Masanet 2022 Table B.1, 0.7–0.9 [lei-masanet-2022]); engineering assumption',
        0.6,
        0.9,
      ),
      secondaryAirRatio: assume(
        1,
        '',
        'Outdoor (scavenger) air mass per mass of hall air',
        'balanced air-to-air heat exchanger; engineering assumption',
        0.7,
        1.5,
      ),
    };
  }
  if (name === 'direct-airside-adiabatic') {
    return {
      adiabaticEffectiveness: assume(
        0.85,
        '',
        'Direct evaporative (adiabatic) saturation effectiveness',
        'rigid-media direct evaporative pads are typically 0.75–0.95 saturation effective; engineering assumption',
        0.6,
        0.95,
      ),
      maxDewPointC: {
        value: 15,
        unit: '°C',
        label: 'Highest outdoor dew point admitted directly to the hall',
        min: 9,
        max: 21,
        source:
          'upper dew point of the ASHRAE TC 9.9 recommended envelope (15 °C); Lei & Masanet 2022 Table B.1 dew-point set points 15–27 °C [ashrae-tc99-2015] [lei-masanet-2022]',
        grade: 'B',
      },
    };
  }
  if (name === 'liquid-cold-plate') {
    return {
      liquidCaptureFraction: assume(
        0.75,
        '',
        'Share of IT heat captured by cold plates',
        'cold plates on CPUs/GPUs typically capture 70–80 % of server heat; engineering assumption',
        0.5,
        0.9,
      ),
      liquidSupplyC: assume(
        32,
        '°C',
        'Facility water supply to the cold plates',
        'ASHRAE TC9.9 liquid-cooling class W32 (supply ≤ 32 °C); engineering assumption',
        17,
        45,
      ),
      dryCoolerApproachC: assume(
        6,
        'K',
        'Dry-cooler approach (water leaving − dry-bulb)',
        'typical dry-cooler selection; engineering assumption',
        3,
        10,
      ),
      dryCoolerAirDeltaTC: assume(
        10,
        'K',
        'Air temperature rise across the dry cooler',
        'typical dry-cooler selection; engineering assumption',
        6,
        15,
      ),
    };
  }
  return {};
}

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

/** A cooling design with its resolved parameters. */
export interface CoolingDesign {
  name: CoolingDesignName;
  label: string;
  facilityClass: FacilityClass;
  /** Every parameter with unit, range, source and grade, after overrides. */
  table: Record<string, Param>;
  /** Parameter values by name (the table's `value`s). */
  p: Record<string, number>;
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
  const table: Record<string, Param> = { ...electricalTable(cls), ...plantTable(cls), ...designExtras(n) };
  for (const [k, v] of Object.entries(overrides)) {
    const row = Object.hasOwn(table, k) ? table[k] : undefined;
    if (!row)
      throw new Error(`cooling.overrides.${k}: unknown parameter (known: ${Object.keys(table).join(', ')})`);
    if (!Number.isFinite(v)) throw new Error(`cooling.overrides.${k}: must be a finite number`);
    table[k] = { ...row, value: v, source: 'scenario override', grade: 'assumption' };
  }
  const p = Object.fromEntries(Object.entries(table).map(([k, r]) => [k, r.value]));
  for (const k of [
    'upsEfficiency',
    'crahFanEfficiency',
    'towerFanEfficiency',
    'pumpEfficiency',
    'coilEffectiveness',
  ]) {
    if (!(p[k] > 0 && p[k] <= 1)) throw new Error(`cooling.overrides.${k}: must be in (0, 1]`);
  }
  if (!(p.cyclesOfConcentration > 1)) throw new Error('cooling.overrides.cyclesOfConcentration: must be > 1');
  if (!(p.airDeltaTC > 0 && p.chwDeltaTC > 0 && p.towerDeltaTC > 0)) {
    throw new Error('cooling.overrides: temperature differences must be > 0');
  }
  return {
    name: n,
    label: DESIGN_INFO[n].label,
    facilityClass: cls,
    table,
    p,
    electrical: {
      upsEfficiency: p.upsEfficiency,
      distributionLoss: p.distributionLoss,
      lightingFraction: p.lightingFraction,
      upsFixedShare: p.upsFixedShare,
      upsSquareShare: p.upsSquareShare,
    },
  };
}

/** One chiller circuit of a profile: compressor cooling load and its curve modifiers, per hour. */
export interface ChillerCircuit {
  curves: ChillerCurves;
  /** Rated COP of this circuit (W/W). */
  ratedCop: number;
  /** Compressor cooling load, kW per kW of heat. */
  loadPerKwHeat: Float64Array;
  /** Available capacity ÷ rated capacity (CAPFT, normalised to 1 at the curve's rating point). */
  capFt: Float64Array;
  /** Full-load EIR modifier (EIRFT, normalised to 1 at the rating point). */
  eirFt: Float64Array;
  /** Heat-rejection fans and pumps, kW per kW of compressor power rejected (0 when rejected to air). */
  rejectKwPerKw: Float64Array;
  /** Tower water, L per kWh of compressor power rejected. */
  rejectWaterLPerKwh: Float64Array;
  /** Design cooling load of the circuit per kW of design heat (its share, fan heat included). */
  designLoadPerKwHeat: number;
}

/** Climate- and design-dependent, load-independent hourly factors. */
export interface CoolingProfile {
  /** 0 mechanical, 1 partial economizer, 2 full free cooling. */
  mode: Uint8Array;
  /** Fans, pumps and heat rejection of the heat itself, kW per kW of heat (compressors excluded). */
  coolingKwPerKwHeat: Float64Array;
  /** Site water, litres per kWh of that heat (compressor heat rejected to a tower excluded). */
  waterLPerKwhHeat: Float64Array;
  /** Water-cooled chiller circuit (null when the design has none). */
  water: ChillerCircuit | null;
  /** Air-cooled chiller / DX circuit (null when the design has none). */
  air: ChillerCircuit | null;
  /** Air density used for fan volume flows, kg/m³ (site pressure, supply temperature). */
  airDensityKgPerM3: number;
}

/** Derived per-kW-of-heat constants of a design at a site's mean air pressure (Pa). */
function constants(d: CoolingDesign, sitePressurePa: number) {
  const p = d.p;
  const supplyK = p.supplyAirC + 273.15;
  // Air density at the site's pressure: at 85 kPa (Lanzhou, Qingyang) the same heat needs ≈ 19 % more
  // air volume, and fan power follows volume × pressure rise.
  const rhoAir = sitePressurePa / (R_DRY_AIR * supplyK); // kg/m³
  // CRAH fans: ṁ = Q/(cp ΔT); V = ṁ/ρ; P = V Δp / η  (kW per kW of heat)
  const crahFan = ((1 / (AIR_CP * p.airDeltaTC) / rhoAir) * p.crahFanPressurePa) / p.crahFanEfficiency / 1000;
  // Chilled-water loop: ṁw = Q/(cw ΔT), V = ṁw/1000 m³/s; P = V Δp / η
  const chwFlowM3 = 1 / (WATER_CP * p.chwDeltaTC) / 1000; // m³/s per kW
  const chwPump = (chwFlowM3 * p.chwPumpPressureKpa * 1000) / p.pumpEfficiency / 1000;
  const econPump = (chwFlowM3 * p.econPumpPressureKpa * 1000) / p.pumpEfficiency / 1000;
  // Condenser-water loop, per kW rejected
  const cwMass = 1 / (WATER_CP * p.towerDeltaTC); // kg/s per kW rejected
  const towerPump = ((cwMass / 1000) * p.towerPumpPressureKpa * 1000) / p.pumpEfficiency / 1000;
  const towerAirMass = cwMass / p.towerLiquidGasRatio; // kg/s of air per kW rejected
  const towerFan = ((towerAirMass / rhoAir) * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
  // Water per kWh rejected by evaporation: 3600 kJ / 2450 kJ/kg = 1.469 kg ≈ L
  const evapLPerKwh = 3600 / LATENT_KJ_PER_KG;
  const blowdownFactor = 1 / (p.cyclesOfConcentration - 1);
  const driftLPerKwh = cwMass * 3600 * p.driftFraction; // circulating kg per kWh rejected × drift share
  // Chilled-water temperatures from the coil: T_w,in = T_air,in − ΔT_air / ε
  const returnAirC = p.supplyAirC + p.airDeltaTC;
  const chwSupplyC = returnAirC - p.airDeltaTC / p.coilEffectiveness;
  const chwReturnC = chwSupplyC + p.chwDeltaTC;
  return {
    crahFan,
    chwPump,
    econPump,
    towerPump,
    towerFan,
    evapLPerKwh,
    towerAirMass,
    blowdownFactor,
    driftLPerKwh,
    returnAirC,
    chwSupplyC,
    chwReturnC,
    rhoAir,
  };
}

/**
 * Water evaporated in a cooling tower per kWh rejected (L/kWh), from the tower air's energy balance
 * (Lei & Masanet 2022's tower model, simplified): air at the liquid/gas ratio picks up the heat and
 * leaves saturated, h_out = h_in + Q/ṁ_air; evaporation = ṁ_air (W_sat(T_out) − W_in). In cold dry air
 * much of the heat goes into warming the air, so less water evaporates than the all-latent 1.47 L/kWh.
 *
 * @example
 * towerEvaporationLPerKwh(-5, 0.002, 85000, 0.0434) // → ≈ 0.8 (cold, dry winter hour)
 */
export function towerEvaporationLPerKwh(
  tDryC: number,
  wIn: number,
  pressurePa: number,
  airKgPerSPerKw: number,
): number {
  const hOut = enthalpyKjPerKg(tDryC, wIn) + 1 / airKgPerSPerKw; // kJ/kg of the saturated outlet air
  // Newton on h_sat(T) = h_out, with the tabulated saturation pressure.
  let t = Math.max(-30, Math.min(60, tDryC));
  let ws = 0;
  for (let i = 0; i < 8; i++) {
    const pws = saturationPressureFastPa(t);
    ws = (0.621945 * pws) / (pressurePa - pws);
    const h = 1.006 * t + ws * (2501 + 1.86 * t);
    // dh/dT ≈ 1.006 + 1.86 ws + (2501 + 1.86 t) dws/dT, with dws/dT from the table slope
    const dpws = saturationPressureFastPa(t + 0.05) - saturationPressureFastPa(t - 0.05);
    const dws = (0.621945 * pressurePa * dpws * 10) / ((pressurePa - pws) * (pressurePa - pws));
    const step = (h - hOut) / (1.006 + 1.86 * ws + (2501 + 1.86 * t) * dws);
    t -= step;
    if (Math.abs(step) < 1e-4) break;
  }
  const pws = saturationPressureFastPa(t);
  const wOut = humidityRatioFromVapourPressure(pws, pressurePa);
  const all = 3600 / LATENT_KJ_PER_KG; // all-latent ceiling, L/kWh
  return Math.min(all, Math.max(0, airKgPerSPerKw * (wOut - wIn) * 3600));
}

/** A chiller circuit with empty hourly arrays. */
function circuit(curves: ChillerCurves, ratedCop: number, designLoadPerKwHeat: number): ChillerCircuit {
  const n = HOURS_PER_YEAR;
  return {
    curves,
    ratedCop,
    loadPerKwHeat: new Float64Array(n),
    capFt: new Float64Array(n),
    eirFt: new Float64Array(n),
    rejectKwPerKw: new Float64Array(n),
    rejectWaterLPerKwh: new Float64Array(n),
    designLoadPerKwHeat,
  };
}

/** Curve modifiers of hour h, normalised to 1 at the curve set's rating point. */
function setCurves(cc: ChillerCircuit, h: number, x: number, y: number): void {
  const k = cc.curves;
  cc.capFt[h] = biquadratic(k.capFt, x, y) / biquadratic(k.capFt, k.ratingX, k.ratingY);
  cc.eirFt[h] = biquadratic(k.eirFt, x, y) / biquadratic(k.eirFt, k.ratingX, k.ratingY);
}

/**
 * Water-cooled chiller plant, optionally with a waterside economizer, per kW of heat at the coil:
 * returns [fans/pumps/tower kW per kW, water L per kWh, mode, compressor load share, tower kW and
 * water per kW of compressor power]. With the economizer: full free cooling when T_wb + tower
 * approach + HX approach ≤ CHW supply; partial up to CHW return.
 */
function waterPlant(
  tWet: number,
  evapLPerKwh: number,
  p: Record<string, number>,
  c: ReturnType<typeof constants>,
  economizer: boolean,
): [number, number, number, number, number, number] {
  const econOutC = tWet + p.towerApproachC + p.hxApproachC;
  let mechShare = 1;
  let mode = MECHANICAL;
  if (economizer && econOutC <= c.chwSupplyC) {
    mechShare = 0;
    mode = FREE;
  } else if (economizer && econOutC < c.chwReturnC) {
    mechShare = (econOutC - c.chwSupplyC) / (c.chwReturnC - c.chwSupplyC);
    mode = PARTIAL;
  }
  const rejectKw = c.towerPump + c.towerFan; // per kW rejected
  const rejectWater = evapLPerKwh * (1 + c.blowdownFactor) + c.driftLPerKwh; // L per kWh rejected
  const kw = c.chwPump + (economizer && mode !== MECHANICAL ? c.econPump : 0) + rejectKw;
  return [kw, rejectWater, mode, mechShare, rejectKw, rejectWater];
}

/** The entering condenser water temperature of a tower plant in an hour (°C). */
const condenserWaterC = (tWet: number, p: Record<string, number>) => tWet + p.towerApproachC;

/**
 * The load-independent hourly factors of a design in a climate: computed once per design × climate.
 * Compressor power is not included: it depends on the load through the part-load ratio and is
 * computed by `facilityLoad` from the circuits' hourly curve modifiers.
 *
 * @example
 * prepareCooling(coolingDesign('air-cooled-chiller'), lanzhou).mode.every((m) => m === 0) // → true
 */
export function prepareCooling(design: CoolingDesign, climate: CoolingClimate): CoolingProfile {
  const n = HOURS_PER_YEAR;
  const mode = new Uint8Array(n);
  const kwPerKw = new Float64Array(n);
  const water = new Float64Array(n);
  const p = design.p;
  let pSum = 0;
  for (let h = 0; h < n; h++) pSum += climate.pressurePa[h];
  const c = constants(design, pSum / n);
  const f = design.name === 'liquid-cold-plate' ? p.liquidCaptureFraction : 0;
  const airFan = design.name === 'liquid-cold-plate' ? (1 - f) * c.crahFan : c.crahFan;
  const scale = 1 / (1 - airFan); // CRAH fan heat is removed too: Q = Q0 + a·Q
  const hasWater = ['water-cooled-chiller-wse', 'water-cooled-chiller', 'liquid-cold-plate'].includes(
    design.name,
  );
  const hasAir = !['water-cooled-chiller-wse', 'water-cooled-chiller'].includes(design.name);
  const wc = hasWater ? circuit(DOE2_CENTRIFUGAL, p.ratedCopWater, (1 - f) * scale) : null;
  const ac = hasAir
    ? circuit(YORK_YCAL_AIR, p.ratedCopAir, (design.name === 'liquid-cold-plate' ? f : 1) * scale)
    : null;
  const xChw = c.chwSupplyC; // leaving chilled-water (or DX coil) temperature; the curves clamp it
  for (let h = 0; h < n; h++) {
    const tDry = climate.tDryC[h];
    const tWet = climate.tWetC[h];
    let plantKw = 0; // per kW of heat at the coils
    let plantWater = 0;
    let m: number = MECHANICAL;
    let fanKw = c.crahFan;
    let waterLoad = 0; // compressor cooling load per kW of heat, water circuit
    let airLoad = 0;
    switch (design.name) {
      case 'air-cooled-chiller': {
        plantKw = c.chwPump;
        airLoad = 1;
        break;
      }
      case 'dx-crac': {
        airLoad = 1; // CRAC fans (the CRAH fan term) + DX compressor rejecting to outdoor air
        break;
      }
      case 'water-cooled-chiller':
      case 'water-cooled-chiller-wse': {
        const evap = towerEvaporationLPerKwh(
          tDry,
          climate.humidityRatio[h],
          climate.pressurePa[h],
          c.towerAirMass,
        );
        const [kw, w, md, share, rk, rw] = waterPlant(
          tWet,
          evap,
          p,
          c,
          design.name === 'water-cooled-chiller-wse',
        );
        plantKw = kw;
        plantWater = w;
        m = md;
        waterLoad = share;
        wc!.rejectKwPerKw[h] = rk;
        wc!.rejectWaterLPerKwh[h] = rw;
        break;
      }
      case 'direct-airside-adiabatic': {
        // Outdoor air straight into the hall when it is cool and dry enough; evaporative (adiabatic)
        // pre-cooling when warm and dry; DX on recirculated or pre-cooled air for the rest.
        const dewOk = dewPointFromW(climate.humidityRatio[h], climate.pressurePa[h]) <= p.maxDewPointC;
        const span = c.returnAirC - p.supplyAirC;
        if (dewOk && tDry <= p.supplyAirC) {
          m = FREE;
        } else {
          const evapOut = tDry - p.adiabaticEffectiveness * (tDry - tWet);
          const out = dewOk ? Math.min(tDry, evapOut) : c.returnAirC;
          if (out <= p.supplyAirC) {
            m = FREE;
            plantWater =
              tDry - p.supplyAirC > 0
                ? ((tDry - p.supplyAirC) / span) * c.evapLPerKwh * (1 + c.blowdownFactor)
                : 0;
          } else if (out < c.returnAirC) {
            m = PARTIAL;
            airLoad = (out - p.supplyAirC) / span;
            plantWater = ((tDry - out) / span) * c.evapLPerKwh * (1 + c.blowdownFactor);
          } else {
            airLoad = 1; // recirculate; DX on the return air
          }
        }
        break;
      }
      case 'indirect-evaporative': {
        // Hall air returns at T_ret; the HX cools it toward the outdoor dry-bulb (dry mode) or wet-bulb
        // (spray on): T_out = T_ret − ε (T_ret − T_sink). DX trim carries the rest.
        const span = c.returnAirC - p.supplyAirC;
        const dryOut = c.returnAirC - p.iecEffectiveness * (c.returnAirC - tDry);
        const wetOut = c.returnAirC - p.iecEffectiveness * (c.returnAirC - tWet);
        const wet = dryOut > p.supplyAirC; // spray only when dry operation falls short
        const out = wet ? wetOut : dryOut;
        const hxShare = Math.max(0, Math.min(1, (c.returnAirC - out) / span));
        airLoad = 1 - hxShare;
        m = airLoad <= 0 ? FREE : hxShare > 0 ? PARTIAL : MECHANICAL;
        // Scavenger fan moves up to secondaryAirRatio × hall air at the tower fan pressure/efficiency; with
        // a cold sink it slows to the flow that just reaches the supply temperature (power ∝ flow, VFD).
        const hallAirM3 = 1 / (AIR_CP * p.airDeltaTC) / c.rhoAir;
        const sink = wet ? tWet : tDry;
        const flowShare = Math.min(1, span / Math.max(1e-9, p.iecEffectiveness * (c.returnAirC - sink)));
        const scavenger =
          (flowShare * p.secondaryAirRatio * hallAirM3 * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
        plantKw = hxShare > 0 ? scavenger : 0;
        // Spray water evaporates the heat the HX moves in wet mode; blowdown by cycles; no drift modelled.
        plantWater = wet ? hxShare * c.evapLPerKwh * (1 + c.blowdownFactor) : 0;
        break;
      }
      case 'liquid-cold-plate': {
        // Liquid share: facility water returns at supply + ΔT; a dry cooler brings it to db + approach;
        // an air-cooled trim chiller carries the rest.
        const liqReturnC = p.liquidSupplyC + p.chwDeltaTC;
        const dcOut = tDry + p.dryCoolerApproachC;
        const dcShare = Math.max(0, Math.min(1, (liqReturnC - dcOut) / (liqReturnC - p.liquidSupplyC)));
        const liqMech = 1 - dcShare;
        const dcAirM3 = 1 / (AIR_CP * p.dryCoolerAirDeltaTC) / c.rhoAir;
        const dcFan = (dcAirM3 * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
        const liquidKw = c.chwPump + dcFan;
        // Air share: CRAH + waterside-economized chiller plant.
        const evap = towerEvaporationLPerKwh(
          tDry,
          climate.humidityRatio[h],
          climate.pressurePa[h],
          c.towerAirMass,
        );
        const [airKw, airWater, airMode, share, rk, rw] = waterPlant(tWet, evap, p, c, true);
        plantKw = f * liquidKw + (1 - f) * airKw;
        plantWater = (1 - f) * airWater;
        fanKw = airFan;
        waterLoad = (1 - f) * share;
        airLoad = f * liqMech;
        wc!.rejectKwPerKw[h] = rk;
        wc!.rejectWaterLPerKwh[h] = rw;
        const liqMode = liqMech <= 0 ? FREE : dcShare > 0 ? PARTIAL : MECHANICAL;
        m =
          liqMode === FREE && airMode === FREE
            ? FREE
            : liqMode === MECHANICAL && airMode === MECHANICAL
              ? MECHANICAL
              : PARTIAL;
        if (wc) setCurves(wc, h, xChw, condenserWaterC(tWet, p));
        if (ac) setCurves(ac, h, p.liquidSupplyC, tDry);
        break;
      }
    }
    mode[h] = m;
    kwPerKw[h] = (fanKw + plantKw) * scale;
    water[h] = plantWater * scale;
    if (wc) {
      wc.loadPerKwHeat[h] = waterLoad * scale;
      if (design.name !== 'liquid-cold-plate') setCurves(wc, h, xChw, condenserWaterC(tWet, p));
    }
    if (ac) {
      ac.loadPerKwHeat[h] = airLoad * scale;
      if (design.name !== 'liquid-cold-plate') setCurves(ac, h, xChw, tDry);
    }
  }
  return {
    mode,
    coolingKwPerKwHeat: kwPerKw,
    waterLPerKwhHeat: water,
    water: wc,
    air: ac,
    airDensityKgPerM3: c.rhoAir,
  };
}

/** Dew point (°C) from the humidity ratio at a pressure (ASHRAE 2017 ch. 1, via the vapour pressure). */
function dewPointFromW(w: number, pressurePa: number): number {
  return dewPointFromVapourPressureC((w * pressurePa) / (0.621945 + w), 10);
}

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
 * Facility power and water for one year of hourly IT load: UPS losses on the energised modules,
 * distribution losses, lighting of the built halls, fans, pumps and heat rejection for all that heat,
 * and compressor power from the chillers' curves at the hour's part load (staged modules sized for
 * the installed halls). Fills `out.facilityKw` and `out.waterL`.
 *
 * @example
 * facilityLoad(itKw, { installedItKw: 10000, energisedItKw: 6500 }, design, profile, out).pue // → e.g. 1.2
 */
export function facilityLoad(
  itKw: Float64Array,
  sizing: FacilitySizing,
  design: CoolingDesign,
  profile: CoolingProfile,
  out: { facilityKw: Float64Array; waterL: Float64Array },
): FacilitySummary {
  const e = design.electrical;
  const rated = sizing.energisedItKw;
  const fullLoss = rated > 0 ? rated * (1 / e.upsEfficiency - 1) : 0;
  const a0 = fullLoss * e.upsFixedShare + sizing.installedItKw * e.lightingFraction; // kW, fixed
  const a1 = rated > 0 ? (fullLoss * (1 - e.upsFixedShare - e.upsSquareShare)) / rated : 0; // per kW IT
  const a2 = rated > 0 ? (fullLoss * e.upsSquareShare) / (rated * rated) : 0; // per kW² IT
  const dist = 1 / (1 - e.distributionLoss) - 1; // per kW IT
  // Design heat of the installed halls (full IT, full UPS loss, distribution, lighting), kW
  const designHeat = sizing.installedItKw * (1 / e.upsEfficiency + dist + e.lightingFraction);
  const plantOf = (cc: ChillerCircuit): ChillerPlant => ({
    curves: cc.curves,
    ratedCop: cc.ratedCop,
    capacityKw: designHeat * cc.designLoadPerKwHeat * design.p.chillerSizing,
    modules: Math.max(1, Math.round(design.p.chillerModules)),
  });
  // The two circuits unrolled (water first, then air): no per-hour iteration over a list of plants.
  const none = new Float64Array(0);
  const wc = profile.water;
  const wPlant = wc ? plantOf(wc) : null;
  const [wLoad, wCap, wEir, wRej, wRejW] = wc
    ? [wc.loadPerKwHeat, wc.capFt, wc.eirFt, wc.rejectKwPerKw, wc.rejectWaterLPerKwh]
    : [none, none, none, none, none];
  const ac = profile.air;
  const aPlant = ac ? plantOf(ac) : null;
  const [aLoad, aCap, aEir, aRej, aRejW] = ac
    ? [ac.loadPerKwHeat, ac.capFt, ac.eirFt, ac.rejectKwPerKw, ac.rejectWaterLPerKwh]
    : [none, none, none, none, none];
  const k = profile.coolingKwPerKwHeat;
  const w = profile.waterLPerKwhHeat;
  const mode = profile.mode;
  const fac = out.facilityKw;
  const water = out.waterL;
  const sIt = new CompensatedSum();
  const sFac = new CompensatedSum();
  const sCool = new CompensatedSum();
  const sLoss = new CompensatedSum();
  const sW = new CompensatedSum();
  let peak = 0;
  let free = 0;
  let partial = 0;
  for (let h = 0; h < itKw.length; h++) {
    const it = itKw[h];
    const loss = a0 + (a1 + a2 * it) * it + dist * it;
    const heat = it + loss;
    let cool = heat * k[h];
    let wl = heat * w[h];
    if (wPlant !== null) {
      const q = heat * wLoad[h];
      if (q > 0) {
        const comp = chillerPowerKw(wPlant, q, wCap[h], wEir[h]);
        cool += comp * (1 + wRej[h]);
        wl += comp * wRejW[h];
      }
    }
    if (aPlant !== null) {
      const q = heat * aLoad[h];
      if (q > 0) {
        const comp = chillerPowerKw(aPlant, q, aCap[h], aEir[h]);
        cool += comp * (1 + aRej[h]);
        wl += comp * aRejW[h];
      }
    }
    const f = heat + cool;
    fac[h] = f;
    water[h] = wl;
    if (f > peak) peak = f;
    if (it > 0) {
      const md = mode[h];
      if (md === FREE) free++;
      else if (md === PARTIAL) partial++;
    }
    sIt.add(it);
    sFac.add(f);
    sCool.add(cool);
    sLoss.add(loss);
    sW.add(wl);
  }
  const itE = sIt.value;
  const facE = sFac.value;
  const waterL = sW.value;
  return {
    itEnergyKwh: itE,
    facilityEnergyKwh: facE,
    coolingEnergyKwh: sCool.value,
    electricalLossKwh: sLoss.value,
    waterL,
    pue: itE > 0 ? facE / itE : 0,
    wueLPerKwh: itE > 0 ? waterL / itE : 0,
    peakFacilityKw: peak,
    freeCoolingHours: free,
    partialCoolingHours: partial,
  };
}
