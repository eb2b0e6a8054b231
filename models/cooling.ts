import { HOURS_PER_YEAR } from './calendar.ts';
import {
  type ElectricalParams,
  electricalTable,
  FACILITY_CLASSES,
  type FacilityClass,
  type Param,
} from './electrical.ts';
import {
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
const STANDARD_PRESSURE_PA = 101325;

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
      value: 22.5,
      unit: '°C',
      label: 'Supply (server inlet) air temperature',
      min: 18,
      max: 27,
      source: 'midpoint of the 18–27 °C server inlet envelope, GB 50174-2017 §5.1.1 (A) [gb-50174-2017]',
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
    evaporatorApproachC: assume(
      2,
      'K',
      'Evaporator refrigerant below chilled-water supply',
      'typical shell-and-tube evaporator approach; engineering assumption',
      1,
      4,
    ),
    condenserApproachC: assume(
      2,
      'K',
      'Condensing temperature above condenser-water leaving temperature',
      'typical condenser approach; engineering assumption',
      1,
      4,
    ),
    carnotFractionWater: assume(
      0.65,
      '',
      'Water-cooled chiller COP as a fraction of Carnot',
      'calibrated so a centrifugal chiller gives COP ≈ 6 at AHRI 550/590 conditions (7 °C CHW, 29.4 °C condenser water in); engineering assumption',
      0.5,
      0.75,
    ),
    carnotFractionAir: assume(
      0.5,
      '',
      'Air-cooled chiller COP (incl. condenser fans) as a fraction of Carnot',
      'calibrated so an air-cooled chiller gives COP ≈ 3 at 35 °C ambient (ratings include condenser fans); engineering assumption',
      0.35,
      0.6,
    ),
    airCondenserApproachC: assume(
      15,
      'K',
      'Air-cooled condensing temperature above dry-bulb',
      'typical air-cooled condenser design; engineering assumption',
      10,
      20,
    ),
    maxCop: assume(
      12,
      '',
      'Ceiling on chiller COP at low lift',
      'compressor minimum-lift limit; engineering assumption',
      8,
      15,
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

/** Climate- and design-dependent, load-independent hourly factors. */
export interface CoolingProfile {
  /** 0 mechanical, 1 partial economizer, 2 full free cooling. */
  mode: Uint8Array;
  /** Cooling electric kW per kW of heat from IT, electrical losses and lighting (incl. fan heat). */
  coolingKwPerKwHeat: Float64Array;
  /** Site water, litres per kWh of that heat. */
  waterLPerKwhHeat: Float64Array;
}

/** Derived per-kW-of-heat constants of a design (shared by all hours). */
function constants(d: CoolingDesign) {
  const p = d.p;
  const supplyK = p.supplyAirC + 273.15;
  // Air density for fan volume flows at the supply temperature and standard pressure: air paths are sized
  // for the site's air density, so the design fan pressures of Table B.1 apply at design volume flow
  // (assumption; docs/models/cooling.md). The site pressure still enters the psychrometrics.
  const rhoAir = STANDARD_PRESSURE_PA / (R_DRY_AIR * supplyK); // kg/m³
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

/** Carnot-fraction COP between an evaporating and a condensing temperature (°C), capped. */
function cop(evapC: number, condC: number, fraction: number, maxCop: number): number {
  const lift = condC - evapC;
  if (lift <= 0) return maxCop;
  return Math.min(maxCop, (fraction * (evapC + 273.15)) / lift);
}

/**
 * Water-cooled chiller plant with waterside economizer and cooling tower, per kW of heat at the coil:
 * returns [electric kW per kW, water L per kWh, mode, share of heat carried by the compressor].
 * Full free cooling when T_wb + tower approach + HX approach ≤ CHW supply; partial up to CHW return.
 */
function wsePlant(
  tWet: number,
  evapLPerKwh: number,
  p: Record<string, number>,
  c: ReturnType<typeof constants>,
): [number, number, number] {
  const econOutC = tWet + p.towerApproachC + p.hxApproachC;
  let mechShare: number;
  let mode: number;
  if (econOutC <= c.chwSupplyC) {
    mechShare = 0;
    mode = FREE;
  } else if (econOutC < c.chwReturnC) {
    mechShare = (econOutC - c.chwSupplyC) / (c.chwReturnC - c.chwSupplyC);
    mode = PARTIAL;
  } else {
    mechShare = 1;
    mode = MECHANICAL;
  }
  // Condenser water enters at T_wb + approach, leaves ΔT warmer; refrigerant condenses above that.
  const condC = tWet + p.towerApproachC + p.towerDeltaTC + p.condenserApproachC;
  const evapC = c.chwSupplyC - p.evaporatorApproachC;
  const chiller = mechShare > 0 ? mechShare / cop(evapC, condC, p.carnotFractionWater, p.maxCop) : 0;
  const rejected = 1 + chiller; // kW rejected at the tower per kW of heat
  const kw =
    c.chwPump + (mode !== MECHANICAL ? c.econPump : 0) + chiller + rejected * (c.towerPump + c.towerFan);
  const waterL = rejected * (evapLPerKwh * (1 + c.blowdownFactor) + c.driftLPerKwh);
  return [kw, waterL, mode];
}

/**
 * The load-independent hourly factors of a design in a climate: computed once per design × climate.
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
  const c = constants(design);
  // CRAH fan heat is removed too: Q = Q0 + a·Q → per kW of Q0 everything scales by 1/(1 − a).
  for (let h = 0; h < n; h++) {
    const tDry = climate.tDryC[h];
    const tWet = climate.tWetC[h];
    let plantKw = 0; // per kW of heat at the coils
    let plantWater = 0;
    let m: number = MECHANICAL;
    let fanKw = c.crahFan;
    switch (design.name) {
      case 'air-cooled-chiller': {
        const evapC = c.chwSupplyC - p.evaporatorApproachC;
        plantKw = c.chwPump + 1 / cop(evapC, tDry + p.airCondenserApproachC, p.carnotFractionAir, p.maxCop);
        break;
      }
      case 'water-cooled-chiller-wse': {
        const evap = towerEvaporationLPerKwh(
          tDry,
          climate.humidityRatio[h],
          climate.pressurePa[h],
          c.towerAirMass,
        );
        [plantKw, plantWater, m] = wsePlant(tWet, evap, p, c);
        break;
      }
      case 'indirect-evaporative': {
        // Hall air returns at T_ret; the HX cools it toward the outdoor dry-bulb (dry mode) or wet-bulb
        // (spray on): T_out = T_ret − ε (T_ret − T_sink). DX trim (air-cooled COP) carries the rest.
        const span = c.returnAirC - p.supplyAirC;
        const dryOut = c.returnAirC - p.iecEffectiveness * (c.returnAirC - tDry);
        const wetOut = c.returnAirC - p.iecEffectiveness * (c.returnAirC - tWet);
        const wet = dryOut > p.supplyAirC; // spray only when dry operation falls short
        const out = wet ? wetOut : dryOut;
        const hxShare = Math.max(0, Math.min(1, (c.returnAirC - out) / span));
        const mechShare = 1 - hxShare;
        m = mechShare <= 0 ? FREE : hxShare > 0 ? PARTIAL : MECHANICAL;
        // Scavenger fan moves secondaryAirRatio × hall air at the tower fan pressure/efficiency.
        const hallAirM3 = 1 / (AIR_CP * p.airDeltaTC) / c.rhoAir;
        const scavenger =
          (p.secondaryAirRatio * hallAirM3 * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
        const dx =
          mechShare > 0
            ? mechShare / cop(p.supplyAirC - 8, tDry + p.airCondenserApproachC, p.carnotFractionAir, p.maxCop)
            : 0;
        plantKw = (hxShare > 0 ? scavenger : 0) + dx;
        // Spray water evaporates the heat the HX moves in wet mode; blowdown by cycles; no drift modelled.
        plantWater = wet ? hxShare * c.evapLPerKwh * (1 + c.blowdownFactor) : 0;
        break;
      }
      case 'liquid-cold-plate': {
        // Liquid share: facility water returns at supply + ΔT; a dry cooler brings it to db + approach.
        const f = p.liquidCaptureFraction;
        const liqReturnC = p.liquidSupplyC + p.chwDeltaTC;
        const dcOut = tDry + p.dryCoolerApproachC;
        const dcShare = Math.max(0, Math.min(1, (liqReturnC - dcOut) / (liqReturnC - p.liquidSupplyC)));
        const liqMech = 1 - dcShare;
        const dcAirM3 = 1 / (AIR_CP * p.dryCoolerAirDeltaTC) / c.rhoAir;
        const dcFan = (dcAirM3 * p.towerFanPressurePa) / p.towerFanEfficiency / 1000;
        const liqEvapC = p.liquidSupplyC - p.evaporatorApproachC;
        const liqChiller =
          liqMech > 0
            ? liqMech / cop(liqEvapC, tDry + p.airCondenserApproachC, p.carnotFractionAir, p.maxCop)
            : 0;
        const liquidKw = c.chwPump + dcFan * (1 + liqChiller) + liqChiller;
        // Air share: CRAH + waterside-economized chiller plant.
        const evap = towerEvaporationLPerKwh(
          tDry,
          climate.humidityRatio[h],
          climate.pressurePa[h],
          c.towerAirMass,
        );
        const [airKw, airWater, airMode] = wsePlant(tWet, evap, p, c);
        plantKw = f * liquidKw + (1 - f) * airKw;
        plantWater = (1 - f) * airWater;
        fanKw = (1 - f) * c.crahFan;
        const liqMode = liqMech <= 0 ? FREE : dcShare > 0 ? PARTIAL : MECHANICAL;
        m =
          liqMode === FREE && airMode === FREE
            ? FREE
            : liqMode === MECHANICAL && airMode === MECHANICAL
              ? MECHANICAL
              : PARTIAL;
        break;
      }
    }
    mode[h] = m;
    const scale = 1 / (1 - fanKw);
    kwPerKw[h] = (fanKw + plantKw) * scale;
    water[h] = plantWater * scale;
  }
  return { mode, coolingKwPerKwHeat: kwPerKw, waterLPerKwhHeat: water };
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

/**
 * Facility power and water for one year of hourly IT load: electrical losses (UPS on `ratedItKw`,
 * distribution, lighting) plus cooling for all that heat. Fills `out.facilityKw` and `out.waterL`.
 *
 * @example
 * facilityLoad(itKw, 10000, design, profile, out).pue // → e.g. 1.18 for a WSE plant in Qingyang
 */
export function facilityLoad(
  itKw: Float64Array,
  ratedItKw: number,
  design: CoolingDesign,
  profile: CoolingProfile,
  out: { facilityKw: Float64Array; waterL: Float64Array },
): FacilitySummary {
  const e = design.electrical;
  const fullLoss = ratedItKw > 0 ? ratedItKw * (1 / e.upsEfficiency - 1) : 0;
  const a0 = fullLoss * e.upsFixedShare; // kW, fixed
  const a1 = ratedItKw > 0 ? (fullLoss * (1 - e.upsFixedShare - e.upsSquareShare)) / ratedItKw : 0; // per kW IT
  const a2 = ratedItKw > 0 ? (fullLoss * e.upsSquareShare) / (ratedItKw * ratedItKw) : 0; // per kW² IT
  const dist = 1 / (1 - e.distributionLoss) - 1 + e.lightingFraction; // per kW IT
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
    const cool = heat * k[h];
    const f = heat + cool;
    fac[h] = f;
    const wl = heat * w[h];
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
